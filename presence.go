package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"kiosk/model"
	"kiosk/model/fleet"
)

// The kiosk's presence in the fleet (model/fleet): a heartbeat that keeps
// this kiosk's record — hall, version, each device's health, last use —
// in the store, with its online mark under a lease where the store has
// leases. `kiosk fleet` and the staff console's 终端状态 read it.

// presenceDelay holds the first heartbeat back after start.
const presenceDelay = 1500 * time.Millisecond

// startPresence starts the heartbeat until ctx ends; stop ends it (the
// record is marked stopped, the lease revoked) and waits. The heartbeat is
// also the root's Deps.Activity.
func startPresence(ctx context.Context, cfg Config, st fleet.Store, devs *Devices, clock model.Clock, log *slog.Logger) (*fleet.Heartbeat, func()) {
	hb := &fleet.Heartbeat{Store: st, Clock: clock, Kiosk: cfg.KioskID, Hall: cfg.HallName(), Version: version,
		Check: func(ctx context.Context) []fleet.Device { return deviceHealth(ctx, cfg, devs) },
		OnState: func(err error) {
			if err != nil {
				log.Warn("fleet presence not written", "err", err)
				return
			}
			log.Info("fleet presence written again")
		}}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The first beat checks every device (PortAudio, the camera, the
		// modem): it waits until the first frame is drawn, as the other
		// languages' catalogs do, so it never delays the home screen.
		select {
		case <-ctx.Done():
			return
		case <-time.After(presenceDelay):
		}
		if err := hb.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("fleet presence stopped", "err", err)
		}
	}()
	return hb, func() { cancel(); <-done }
}

// deviceHealth checks every configured device as `kiosk devices check`
// does, and the visitors' USB mount folder when there is one.
func deviceHealth(ctx context.Context, cfg Config, devs *Devices) []fleet.Device {
	var out []fleet.Device
	for _, s := range checkDevices(ctx, devs, 10*time.Second) {
		d := fleet.Device{Role: s.Role, Adapter: s.Name, Simulated: s.Simulated, OK: s.Err == nil}
		if s.Err != nil {
			d.Problem = s.Err.Error()
		}
		out = append(out, d)
	}
	if m := cfg.USB.Mount; m != "" {
		d := fleet.Device{Role: fleet.USB, Adapter: m, OK: true}
		if fi, err := os.Stat(m); err != nil {
			d.OK, d.Problem = false, err.Error()
		} else if !fi.IsDir() {
			d.OK, d.Problem = false, fmt.Sprintf("%s is not a folder", m)
		}
		out = append(out, d)
	}
	return out
}
