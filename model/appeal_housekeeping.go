package model

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Retention of appeal materials.
const (
	// DefaultMaterialsPurgeAfter is how long the materials of a closed
	// appeal are kept after its decision ([appeals] purge_after).
	DefaultMaterialsPurgeAfter = 90 * 24 * time.Hour
	// DefaultOrphanGrace is how long a chunk no appeal references is kept
	// after it was last written: far longer than any visit takes from the
	// first upload to 提交, so an appeal being filed never loses a chunk.
	DefaultOrphanGrace = 24 * time.Hour
)

// Audit actions of the appeal housekeeping.
const (
	// AuditAppealMaterialsPurge: one appeal's materials were deleted
	// (Subject "appeal:<id>"), one record per appeal.
	AuditAppealMaterialsPurge = "appeal.materials.purge"
	// AuditAppealPurgeRun: a housekeeping run purged the materials of
	// Detail's count of appeals.
	AuditAppealPurgeRun = "appeal.materials.purge_closed"
	// AuditChunkCollect: a housekeeping run deleted Detail's count of
	// orphan chunks.
	AuditChunkCollect = "appeal.chunks.collect"
)

// Batch sizes. A chunk deletion is three key deletions (data, description,
// index entry) after two reads (its references, its description): on a
// store that bounds a transaction (etcd counts a deletion as two writes, a
// walk as two compares) a batch is made to fit (BatchSize).
const (
	chunkBatch   = 32 // chunks deleted per transaction, at most
	chunkOps     = 6  // what one chunk deletion costs, at most
	chunkReserve = 8  // the commit, the walk of the index
	appealBatch  = 50 // appeals listed per read; each is purged in its own transaction
)

// CollectOrphanChunks deletes the chunks no appeal references that were
// last written more than olderThan before now (DefaultOrphanGrace when
// olderThan <= 0), in transactions of chunkBatch, and returns how many it
// deleted. It reads only the index of unreferenced chunks, from the least
// recently touched, and stops at the grace: its cost follows what it
// deletes. A chunk an appeal took meanwhile is no longer in that index; one
// written again meanwhile has moved past the grace. First it releases the
// chunks reserved before the grace for appeals that were never filed, and
// those of purges cut short (ReleaseChunks), so they are collected too.
func CollectOrphanChunks(ctx context.Context, s Store, olderThan time.Duration, now time.Time) (int, error) {
	if olderThan <= 0 {
		olderThan = DefaultOrphanGrace
	}
	before := now.Add(-olderThan)
	if _, err := releaseUnsettled(ctx, s, before); err != nil {
		return 0, err
	}
	batch := BatchSize(s, chunkBatch, chunkOps, chunkReserve)
	return InBatches(ctx, s, func(tx Tx, cursor string) (int, string, error) {
		list, next, err := tx.Blobs().Unreferenced(before, cursor, batch)
		if err != nil {
			return 0, "", err
		}
		for _, c := range list {
			if err := tx.Blobs().DeleteChunk(c.ID); err != nil {
				return 0, "", fmt.Errorf("chunk %s: %w", c.ID, err)
			}
		}
		return len(list), next, nil
	})
}

// PurgeClosedMaterials deletes the materials of the appeals closed
// (approved or rejected) more than after before now
// (DefaultMaterialsPurgeAfter when after <= 0) and returns how many
// appeals it purged. Each appeal is purged in a transaction of its own:
// it is marked MaterialsPurged, its materials keep their names, types,
// sizes and hashes but lose their chunks, and an audit record
// AuditAppealMaterialsPurge is appended, by kiosk. Then its chunk
// references are dropped in batches (ReleaseChunks), and the chunks it
// freed go in batches: those another appeal still
// references stay (content addressing lets appeals share a chunk), and so
// do those written within DefaultOrphanGrace (someone is uploading the
// same bytes), which CollectOrphanChunks deletes later if nobody takes
// them. A crash in between leaves only work for the collector, which
// releases what a purge left referenced and deletes the orphans.
func PurgeClosedMaterials(ctx context.Context, s Store, after time.Duration, now time.Time, kiosk string) (int, error) {
	if after <= 0 {
		after = DefaultMaterialsPurgeAfter
	}
	before := now.Add(-after)
	purged, cursor := 0, ""
	for {
		var (
			list []Appeal
			next string
		)
		err := s.View(ctx, func(tx Tx) error {
			var err error
			list, next, err = tx.Appeals().ClosedBefore(before, cursor, appealBatch)
			return err
		})
		if err != nil {
			return purged, err
		}
		for _, a := range list {
			freed, ok, err := purgeAppeal(ctx, s, a.ID, before, now, kiosk)
			if err != nil {
				return purged, fmt.Errorf("appeal %s: %w", a.ID, err)
			}
			if !ok {
				continue
			}
			purged++
			if err := ReleaseChunks(ctx, s, a.ID); err != nil {
				return purged, fmt.Errorf("appeal %s: %w", a.ID, err)
			}
			if err := deleteFreedChunks(ctx, s, freed, now.Add(-DefaultOrphanGrace)); err != nil {
				return purged, fmt.Errorf("appeal %s: %w", a.ID, err)
			}
		}
		if cursor = next; cursor == "" {
			return purged, nil
		}
		if err := ctx.Err(); err != nil {
			return purged, err
		}
	}
}

// purgeAppeal purges one appeal's materials in one transaction, checking
// again inside it that the appeal is due (another kiosk may have purged it,
// and the closure may be re-run), and returns the chunks it referenced.
func purgeAppeal(ctx context.Context, s Store, id string, before, now time.Time, kiosk string) (freed []string, ok bool, err error) {
	err = s.Update(ctx, func(tx Tx) error {
		freed, ok = nil, false
		a, err := tx.Appeals().Get(id)
		if err != nil {
			return err
		}
		if !a.State.Closed() || a.MaterialsPurged || !closedAt(a).Before(before) {
			return nil
		}
		freed = a.ChunkIDs()
		a.Materials = append([]Material(nil), a.Materials...)
		for i := range a.Materials {
			a.Materials[i].Chunks = nil
		}
		a.MaterialsPurged, a.UpdatedAt = true, now
		if err := tx.Appeals().Put(a); err != nil {
			return err
		}
		_, err = tx.Audit().Append(AuditRecord{Time: now, Kiosk: kiosk, Actor: "system",
			Action: AuditAppealMaterialsPurge, Subject: "appeal:" + a.ID, Outcome: "ok",
			Detail: fmt.Sprintf("state=%s decided=%s materials=%d chunks=%d", a.State,
				closedAt(a).UTC().Format(time.RFC3339), len(a.Materials), len(freed))})
		ok = err == nil
		return err
	})
	return freed, ok, err
}

// closedAt is when a closed appeal was decided (UpdatedAt for a record
// without DecidedAt).
func closedAt(a Appeal) time.Time {
	if a.DecidedAt.IsZero() {
		return a.UpdatedAt
	}
	return a.DecidedAt
}

// deleteFreedChunks deletes, in transactions of chunkBatch, the chunks of
// ids that no appeal references and that were last written before
// touchedBefore.
func deleteFreedChunks(ctx context.Context, s Store, ids []string, touchedBefore time.Time) error {
	size := BatchSize(s, chunkBatch, chunkOps, chunkReserve)
	for len(ids) > 0 {
		batch := ids[:min(size, len(ids))]
		ids = ids[len(batch):]
		err := s.Update(ctx, func(tx Tx) error {
			for _, id := range batch {
				used, err := tx.Blobs().Referenced(id)
				if err != nil {
					return err
				}
				if used {
					continue
				}
				info, err := tx.Blobs().Stat(id)
				if errors.Is(err, ErrNotFound) || err == nil && !info.TouchedAt.Before(touchedBefore) {
					continue
				}
				if err != nil {
					return err
				}
				if err := tx.Blobs().DeleteChunk(id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// AppealHousekeeping is the appeals' part of the kiosk's housekeeping:
// materials purged PurgeAfter the decision, orphan chunks collected after
// OrphanGrace (zero durations mean the defaults).
type AppealHousekeeping struct {
	Store       Store
	Clock       Clock
	Kiosk       string
	PurgeAfter  time.Duration
	OrphanGrace time.Duration
}

// Jobs are the purge and the collection as housekeeping jobs, the purge
// first so the chunks it leaves to the collector go in the same run.
func (h *AppealHousekeeping) Jobs() []HousekeepingJob {
	return []HousekeepingJob{
		{Action: AuditAppealPurgeRun, Run: func(ctx context.Context) (int, error) {
			return PurgeClosedMaterials(ctx, h.Store, h.PurgeAfter, h.Clock.Now(), h.Kiosk)
		}},
		{Action: AuditChunkCollect, Run: func(ctx context.Context) (int, error) {
			return CollectOrphanChunks(ctx, h.Store, h.OrphanGrace, h.Clock.Now())
		}},
	}
}
