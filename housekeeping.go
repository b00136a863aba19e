package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"kiosk/model"
)

// housekeepingEvery is how often the housekeeper runs after its run at start.
const housekeepingEvery = time.Hour

// startHousekeeping runs the periodic clean-ups in the background (at once,
// then hourly) until ctx ends; stop cancels it and waits. A job is one
// entry in Jobs.
func startHousekeeping(ctx context.Context, cfg Config, st model.Store, clock model.Clock, log *slog.Logger) (stop func()) {
	jobs := []model.HousekeepingJob{
		(&model.SentSMSPurge{Store: st, Clock: clock, Keep: cfg.SMS.KeepSent.Duration}).Job(),
		// Lock records that say nothing any more (expired, no recent
		// failure), unknown identifiers' included.
		{Action: "lockout.purge", Run: (&model.Auth{Store: st, Clock: clock, Kiosk: cfg.KioskID}).PurgeExpiredLocks},
	}
	// Appeal materials purge_after the decision, then the chunks of
	// abandoned uploads.
	jobs = append(jobs, (&model.AppealHousekeeping{Store: st, Clock: clock, Kiosk: cfg.KioskID,
		PurgeAfter: cfg.Appeals.PurgeAfter.Duration, OrphanGrace: model.DefaultOrphanGrace}).Jobs()...)
	h := &model.Housekeeper{
		Store: st, Clock: clock, Kiosk: cfg.KioskID, Every: housekeepingEvery, Jobs: jobs,
		OnError: func(action string, err error) { log.Error("housekeeping job failed", "job", action, "err", err) },
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := h.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("housekeeping stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
}

// demoStoreError is the operator's sentence for a production start on a
// store that holds demo data (storage.ErrDemoStore).
func demoStoreError(cfg Config, err error) error {
	db := cfg.path(cfg.Store.Path)
	return fmt.Errorf("%s holds demo data (demo enterprises, agents and a staff account with a public password) "+
		"and production mode refuses it (%w).\n"+
		"To start clean, set data_dir in the configuration to a new, empty directory, "+
		"or stop the kiosk and delete %s (a store seeded by `make run` or demo mode cannot be cleaned in place)",
		db, err, db)
}
