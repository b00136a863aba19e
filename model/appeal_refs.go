package model

import (
	"context"
	"fmt"
	"time"
)

// What a chunk reference costs a transaction at most (its chunk's
// description and reference entries read, its reference and the
// unreferenced index written), and what such a transaction needs of its
// own (the appeal, its manifest and the manifest's index entry).
const (
	refOps     = 4
	refReserve = 12
)

// ReserveChunks references chunks from appeal appealID ahead of the
// appeal's Put (BlobRepo.Reserve), in transactions sized for s: so the Put
// of an appeal with many materials (30 MB is 120 chunks) writes no
// reference itself and stays within what one transaction of an engine
// takes. The chunks must be stored already (WriteMaterial). If the appeal
// is never filed, CollectOrphanChunks releases them after its grace.
func ReserveChunks(ctx context.Context, s Store, appealID string, chunks []string, now time.Time) error {
	batch := BatchSize(s, len(chunks), refOps, refReserve)
	for start := 0; start < len(chunks); start += batch {
		part := chunks[start:min(start+batch, len(chunks))]
		err := s.Update(ctx, func(tx Tx) error { return tx.Blobs().Reserve(appealID, part, now) })
		if err != nil {
			return fmt.Errorf("reserve chunks %d–%d of appeal %s: %w", start, start+len(part), appealID, err)
		}
	}
	return nil
}

// ReleaseChunks drops, in transactions sized for s, the references of
// appeal appealID to chunks its stored version does not hold
// (BlobRepo.Release): what a purge left, or a reservation never filed.
// Each transaction reads where the last one stopped, so it may be re-run.
func ReleaseChunks(ctx context.Context, s Store, appealID string) error {
	batch := BatchSize(s, 1<<16, refOps, refReserve)
	for {
		var left int
		err := s.Update(ctx, func(tx Tx) error {
			var err error
			left, err = tx.Blobs().Release(appealID, batch)
			return err
		})
		if err != nil {
			return fmt.Errorf("release chunks of appeal %s: %w", appealID, err)
		}
		if left == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// releaseUnsettled releases the chunks of every appeal whose references
// have differed from its materials since before before: reservations of
// appeals never filed, and purges cut short. It returns how many appeals
// it settled.
func releaseUnsettled(ctx context.Context, s Store, before time.Time) (int, error) {
	n, cursor := 0, ""
	for {
		var (
			ids  []string
			next string
		)
		err := s.View(ctx, func(tx Tx) error {
			var err error
			ids, next, err = tx.Blobs().Unsettled(before, cursor, appealBatch)
			return err
		})
		if err != nil {
			return n, err
		}
		for _, id := range ids {
			if err := ReleaseChunks(ctx, s, id); err != nil {
				return n, err
			}
			n++
		}
		if cursor = next; cursor == "" {
			return n, nil
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
	}
}
