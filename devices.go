package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"kiosk/assets"
	"kiosk/devices/audio"
	"kiosk/devices/audio/portaudio"
	"kiosk/devices/audio/silent"
	"kiosk/devices/camera"
	"kiosk/devices/camera/replay"
	"kiosk/devices/camera/v4l2"
	"kiosk/devices/face"
	"kiosk/devices/face/counter"
	"kiosk/devices/face/demo"
	"kiosk/devices/face/httpface"
	"kiosk/devices/sms"
	"kiosk/devices/sms/modem"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/pwhash"
)

// Devices are the adapters wired for the configured mode.
type Devices struct {
	Camera  camera.Camera
	Face    face.Verifier
	Counter *counter.Verifier
	SMS     sms.Sender
	Phone   *sim.Sender // set when SMS is the simulated phone
	Audio   audio.Player
}

// checker is what every device answers to.
type checker interface {
	Check(ctx context.Context) error
	Name() string
	Simulated() bool
}

// buildDevices constructs each configured adapter. Construction does not
// talk to hardware (checkDevices does), except that audio initialises
// PortAudio, with its stderr noise sent to noise (nil: /dev/null; os.Stderr:
// left on fd 2, which runKiosk captures into the log). With late,
// the demo's best-effort "auto" audio adapter is built in the background on
// first need instead (see lateAudio); "portaudio" is always built here, so a
// missing device stops start-up.
func buildDevices(cfg Config, st model.Store, hasher model.PasswordHasher, log *slog.Logger, noise *os.File, late bool) (*Devices, error) {
	d := &Devices{Counter: &counter.Verifier{Auth: &model.Auth{Store: st, Hasher: hasher, Clock: model.SystemClock{}, Kiosk: cfg.KioskID}}}
	switch cfg.Camera.Adapter {
	case "replay":
		if cfg.Camera.ReplayDir != "" {
			d.Camera = replay.NewDir(cfg.Camera.ReplayDir, replay.Options{})
		} else {
			d.Camera = replay.New(assets.CameraFrames, replay.Options{Pattern: "camera/face-*.jpg"})
		}
	case "v4l2":
		d.Camera = v4l2.New(v4l2.Config{Device: cfg.Camera.Device, Width: cfg.Camera.Width, Height: cfg.Camera.Height})
	}
	switch cfg.Face.Adapter {
	case "demo":
		v, err := demo.New(cfg.Demo())
		if err != nil {
			return nil, err
		}
		d.Face = v
	case "http":
		token, err := readSecretFile(cfg.path(cfg.Face.TokenFile))
		if err != nil {
			return nil, fmt.Errorf("face.token_file: %w", err)
		}
		c, err := httpface.New(httpface.Config{BaseURL: cfg.Face.BaseURL, Token: token, KioskID: cfg.KioskID,
			AttemptTimeout: cfg.Face.AttemptTimeout.Duration, OverallTimeout: cfg.Face.OverallTimeout.Duration, Logger: log})
		if err != nil {
			return nil, err
		}
		d.Face = c
	case "counter":
		d.Face = d.Counter
	}
	switch cfg.SMS.Adapter {
	case "simulated":
		d.Phone = sim.New(sim.Options{})
		d.SMS = d.Phone
	case "modem":
		m, err := modem.New(modem.Config{Port: cfg.SMS.Port, Baud: cfg.SMS.Baud, SMSC: cfg.SMS.SMSC,
			CheckPIN: cfg.SMS.CheckPIN, Log: log})
		if err != nil {
			return nil, err
		}
		d.SMS = m
	}
	if late && cfg.Audio.Adapter == "auto" {
		d.Audio = newLateAudio(func() audio.Player {
			p, _ := buildAudio(cfg, log, noise) // auto does not fail
			return p
		})
		return d, nil
	}
	p, err := buildAudio(cfg, log, noise)
	if err != nil {
		return nil, err
	}
	d.Audio = p
	return d, nil
}

// buildAudio constructs the configured audio adapter at the configured
// volume, initialising PortAudio first (noise as for buildDevices).
func buildAudio(cfg Config, log *slog.Logger, noise *os.File) (audio.Player, error) {
	var p audio.Player = silent.New()
	if cfg.Audio.Adapter != "silent" {
		err := portaudio.Init(noise)
		var pp *portaudio.Player
		if err == nil {
			pp, err = portaudio.New(portaudio.Config{Device: cfg.Audio.Device, Log: log})
		}
		switch {
		case err == nil:
			p = pp
		case cfg.Audio.Adapter == "portaudio":
			return nil, fmt.Errorf("audio: %w", err)
		default:
			// auto is demo-only: a development machine without speakers
			// gets the silent player, and the log says so.
			log.Warn("no audio output; using the silent player", "err", err)
		}
	}
	p.SetVolume(cfg.Audio.Volume)
	return p, nil
}

// readSecretFile reads a token file, refusing one that others may read.
func readSecretFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s is readable by group or others (chmod 600 it)", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// deviceStatus is one line of `kiosk devices check`.
type deviceStatus struct {
	Role, Name string
	Simulated  bool
	Err        error
}

// checkDevices asks every device whether it answers, each within timeout.
func checkDevices(ctx context.Context, d *Devices, timeout time.Duration) []deviceStatus {
	items := []struct {
		role string
		dev  checker
	}{{"camera", d.Camera}, {"face", d.Face}, {"sms", d.SMS}, {"audio", d.Audio}}
	out := make([]deviceStatus, 0, len(items))
	for _, it := range items {
		c, cancel := context.WithTimeout(ctx, timeout)
		err := it.dev.Check(c)
		cancel()
		out = append(out, deviceStatus{Role: it.role, Name: it.dev.Name(), Simulated: it.dev.Simulated(), Err: err})
	}
	return out
}

// printDeviceStatus writes the check as a table and returns an error when
// any device failed.
func printDeviceStatus(w io.Writer, st []deviceStatus) error {
	failed := 0
	fmt.Fprintf(w, "%-8s %-34s %-10s %s\n", "device", "adapter", "kind", "status")
	for _, s := range st {
		kind, status := "real", "ok"
		if s.Simulated {
			kind = "simulated"
		}
		if s.Err != nil {
			status = "FAIL: " + s.Err.Error()
			failed++
		}
		fmt.Fprintf(w, "%-8s %-34s %-10s %s\n", s.Role, s.Name, kind, status)
	}
	if failed > 0 {
		return fmt.Errorf("%d device(s) did not answer", failed)
	}
	return nil
}

// devicesCheck is `kiosk devices check`.
func devicesCheck(ctx context.Context, cfg Config, out io.Writer) error {
	log, logFile, err := openLog(cfg)
	if err != nil {
		return err
	}
	defer logFile.Close()
	// The counter adapter checks staff credentials against the store, so
	// the check opens it too (stop the kiosk first: the file is locked).
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := buildDevices(cfg, st, pwhash.New(pwhash.Default), log, nil, false)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintf(out, "mode: %s\n", cfg.Mode)
	return printDeviceStatus(out, checkDevices(ctx, d, 10*time.Second))
}

// Close releases the devices that hold resources.
func (d *Devices) Close() error {
	var errs []error
	if d.Camera != nil {
		errs = append(errs, d.Camera.Stop())
	}
	if d.SMS != nil {
		errs = append(errs, d.SMS.Close())
	}
	if d.Audio != nil {
		errs = append(errs, d.Audio.Close())
	}
	return errors.Join(errs...)
}

// terminateAudio releases PortAudio after the players are closed; it is a
// no-op when PortAudio never started. A late start that never returned
// holds PortAudio's lock, and Terminate would wait for it forever.
func terminateAudio(d *Devices) {
	if d != nil {
		if la, ok := d.Audio.(*lateAudio); ok && !la.settled() {
			return
		}
	}
	_ = portaudio.Terminate()
}
