package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/iotest"
	"time"

	"kiosk/model"
	"kiosk/model/material"
)

// fixedClock stands still.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// randomBytes are n bytes that repeat no chunk (seeded, so a failure
// reproduces).
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func chunkCount(t *testing.T, s model.Store) int {
	t.Helper()
	n := 0
	view(t, s, func(tx model.Tx) error {
		list, _, err := tx.Blobs().ListChunks("", 100000)
		n = len(list)
		return err
	})
	return n
}

// materialChunking: a 3 MiB file goes in as 12 chunks and comes back equal;
// chunks out of order, a wrong size or hash, a missing chunk and purged
// materials are each told apart; limits and empty files are refused.
func materialChunking(t *testing.T, s model.Store) {
	ctx := context.Background()
	clk := fixedClock(t0)
	data := randomBytes(3<<20, 1)
	m, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(data), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if len(m.Chunks) != 12 || m.Size != int64(len(data)) || m.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("3 MiB material: %d chunks, size %d, sha %s", len(m.Chunks), m.Size, m.SHA256)
	}
	if n := chunkCount(t, s); n != 12 {
		t.Fatalf("%d chunks stored, want 12", n)
	}
	got, err := model.ReadMaterial(ctx, s, m)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, equal %v, %v", len(got), bytes.Equal(got, data), err)
	}
	// One byte more is a 13th chunk of one byte.
	m13, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(append(data, 9)), 10<<20)
	if err != nil || len(m13.Chunks) != 13 || fmt.Sprint(m13.Chunks[:12]) != fmt.Sprint(m.Chunks) {
		t.Fatalf("3 MiB + 1: %d chunks, %v", len(m13.Chunks), err)
	}
	if n := chunkCount(t, s); n != 13 {
		t.Fatalf("%d chunks stored after the second file, want 13 (12 shared)", n)
	}
	swapped, short, wrongHash, missing, purged := m, m, m, m, m
	swapped.Chunks = append([]string(nil), m.Chunks...)
	swapped.Chunks[0], swapped.Chunks[1] = swapped.Chunks[1], swapped.Chunks[0]
	short.Size--
	wrongHash.SHA256 = fmt.Sprintf("%064x", 0)
	missing.Chunks = append(append([]string(nil), m.Chunks[:11]...), fmt.Sprintf("%064x", 5))
	purged.Chunks = nil
	for name, tc := range map[string]struct {
		m    model.Material
		want error
	}{
		"swapped": {swapped, model.ErrMaterialCorrupt}, "short": {short, model.ErrMaterialCorrupt},
		"wrong hash": {wrongHash, model.ErrMaterialCorrupt}, "missing chunk": {missing, model.ErrMaterialMissing},
		"purged": {purged, model.ErrMaterialPurged},
	} {
		if _, err := model.ReadMaterial(ctx, s, tc.m); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	// Repeated content is stored once: 1 MiB of zeros is one chunk, four times.
	zeros, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(make([]byte, 1<<20)), 10<<20)
	if err != nil || len(zeros.Chunks) != 4 || zeros.Chunks[0] != zeros.Chunks[3] || chunkCount(t, s) != 14 {
		t.Fatalf("zeros: %v, %v; %d chunks stored", zeros.Chunks, err, chunkCount(t, s))
	}
	if back, err := model.ReadMaterial(ctx, s, zeros); err != nil || !bytes.Equal(back, make([]byte, 1<<20)) {
		t.Fatalf("zeros read back: %v", err)
	}
	// Refusals.
	if _, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(data), 1<<20); !errors.Is(err, material.ErrTooLarge) {
		t.Errorf("3 MiB with a 1 MiB limit: %v", err)
	}
	if _, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(nil), 1<<20); !errors.Is(err, material.ErrEmpty) {
		t.Errorf("empty file: %v", err)
	}
	boom := errors.New("usb gone")
	if _, err := model.WriteMaterial(ctx, s, clk, iotest.ErrReader(boom), 1<<20); !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
	exact, err := model.WriteMaterial(ctx, s, clk, bytes.NewReader(data[:1<<20]), 1<<20)
	if err != nil || exact.Size != 1<<20 {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

// orphanCollection: chunks no appeal references go once they are older
// than the grace; recent ones, re-written ones and referenced ones stay.
func orphanCollection(t *testing.T, s model.Store) {
	ctx := context.Background()
	now := t0.Add(48 * time.Hour)
	for i := range 40 { // more than one batch
		putChunk(t, s, fmt.Sprint("orphan ", i), t0)
	}
	recent := putChunk(t, s, "recent", now.Add(-time.Hour))
	kept := putChunk(t, s, "kept", t0)
	touched := putChunk(t, s, "touched", t0)
	putChunk(t, s, "touched", now.Add(-2*time.Hour)) // uploaded again by an appeal being filed
	putAppeal(t, s, Appeal("ap1", "R1", t0, kept))
	n, err := model.CollectOrphanChunks(ctx, s, 24*time.Hour, now)
	if err != nil || n != 40 {
		t.Fatalf("collected %d, %v; want 40", n, err)
	}
	exists := func(id string) bool {
		var err error
		view(t, s, func(tx model.Tx) error { _, err = tx.Blobs().Stat(id); return nil })
		return err == nil
	}
	if !exists(recent) || !exists(kept) || !exists(touched) || chunkCount(t, s) != 3 {
		t.Fatalf("after collection: recent %v kept %v touched %v, %d chunks", exists(recent), exists(kept), exists(touched),
			chunkCount(t, s))
	}
	if n, err := model.CollectOrphanChunks(ctx, s, 24*time.Hour, now); err != nil || n != 0 {
		t.Fatalf("second run collected %d, %v", n, err)
	}
	// A day later nobody took them.
	if n, err := model.CollectOrphanChunks(ctx, s, 0, now.Add(24*time.Hour)); err != nil || n != 2 {
		t.Fatalf("a day later collected %d, %v; want 2", n, err)
	}
	if !exists(kept) || exists(recent) || exists(touched) {
		t.Fatal("the referenced chunk went, or an orphan stayed")
	}
}

// purgeClosedMaterials: materials of appeals closed longer than the
// retention go, one audit record each; a chunk another appeal references
// stays, so does one just written again; open and recent appeals keep
// theirs; a second run does nothing.
func purgeClosedMaterials(t *testing.T, s model.Store) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	old := now.Add(-120 * day)
	cA, cShared, cD, cE, cTouch := putChunk(t, s, "A", old), putChunk(t, s, "shared", old), putChunk(t, s, "D", old),
		putChunk(t, s, "E", old), putChunk(t, s, "touch", old)
	closed := func(id string, state model.AppealState, decided time.Time, chunks ...string) model.Appeal {
		a := Appeal(id, "REF-"+id, old, chunks...)
		a.State, a.Handler, a.DecidedAt, a.UpdatedAt = state, "s1", decided, decided
		return a
	}
	for _, a := range []model.Appeal{
		closed("A", model.AppealApproved, now.Add(-100*day), cA, cTouch),
		closed("B", model.AppealRejected, now.Add(-91*day), cShared),
		Appeal("C", "REF-C", old, cShared),
		closed("D", model.AppealApproved, now.Add(-10*day), cD),
		closed("E", model.AppealProcessing, time.Time{}, cE),
	} {
		putAppeal(t, s, a)
	}
	for i := range 52 { // more than one listing batch; no chunks
		putAppeal(t, s, closed(fmt.Sprint("Z", i), model.AppealRejected, now.Add(-95*day)))
	}
	putChunk(t, s, "touch", now.Add(-time.Hour)) // someone uploads the same bytes right now
	n, err := model.PurgeClosedMaterials(ctx, s, 90*day, now, "K-9")
	if err != nil || n != 54 {
		t.Fatalf("purged %d, %v; want 54", n, err)
	}
	view(t, s, func(tx model.Tx) error {
		for id, want := range map[string]bool{"A": true, "B": true, "C": false, "D": false, "E": false, "Z7": true} {
			a, err := tx.Appeals().Get(id)
			if err != nil {
				return err
			}
			if a.MaterialsPurged != want || (want && (len(a.ChunkIDs()) != 0 || !a.UpdatedAt.Equal(now))) {
				t.Errorf("%s: purged %v (want %v), chunks %v, updated %v", id, a.MaterialsPurged, want, a.ChunkIDs(), a.UpdatedAt)
			}
			if id == "A" && (len(a.Materials) != len(model.MaterialKinds) || a.Materials[0].Name == "" || a.Materials[0].SHA256 == "") {
				t.Errorf("A's materials lost their description: %+v", a.Materials)
			}
		}
		for id, want := range map[string]bool{cA: false, cShared: true, cD: true, cE: true, cTouch: true} {
			if _, err := tx.Blobs().Stat(id); (err == nil) != want {
				t.Errorf("chunk %s: present %v, want %v", id[:8], err == nil, want)
			}
		}
		due, _, err := tx.Appeals().ClosedBefore(now.Add(-90*day), "", 10)
		return firstErr(err, same("still due", len(due), 0))
	})
	audit := func() []model.AuditRecord {
		var out []model.AuditRecord
		view(t, s, func(tx model.Tx) error {
			out = nil // the closure may run again
			all, err := tx.Audit().List(0, 1000)
			for _, r := range all {
				if r.Action == model.AuditAppealMaterialsPurge {
					out = append(out, r)
				}
			}
			return err
		})
		return out
	}
	recs := audit()
	subjects := map[string]bool{}
	for _, r := range recs {
		subjects[r.Subject] = true
		if r.Kiosk != "K-9" || r.Actor != "system" || r.Outcome != "ok" || !r.Time.Equal(now) {
			t.Errorf("audit record %+v", r)
		}
	}
	if len(recs) != 54 || !subjects["appeal:A"] || !subjects["appeal:B"] || subjects["appeal:D"] {
		t.Fatalf("%d purge records, subjects %v", len(recs), subjects)
	}
	if n, err := model.PurgeClosedMaterials(ctx, s, 90*day, now, "K-9"); err != nil || n != 0 || len(audit()) != 54 {
		t.Fatalf("second run purged %d, %v, %d records", n, err, len(audit()))
	}
	// The chunk written again during the purge is an orphan for the collector.
	if n, err := model.CollectOrphanChunks(ctx, s, 0, now.Add(day)); err != nil || n != 1 {
		t.Fatalf("collector after the purge: %d, %v; want 1", n, err)
	}
}

// rerunStore runs every Update closure twice, the first run rolled back:
// what an optimistic engine (etcd) does on a conflict.
type rerunStore struct {
	model.Store
	runs *int
}

var errRerun = errors.New("storetest: rerun")

// MaxOps passes the store's bound on a transaction on (model.OpLimiter).
func (s rerunStore) MaxOps() int { return model.MaxOps(s.Store) }

func (s rerunStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		*s.runs++
		if err := fn(tx); err != nil {
			return err
		}
		return errRerun
	})
	if !errors.Is(err, errRerun) {
		return err
	}
	*s.runs++
	return s.Store.Update(ctx, fn)
}

// appealRerun: filing an appeal, writing a material, purging and
// collecting, with every transaction closure run twice, write what one run
// writes; a closure committed twice changes nothing the second time.
func appealRerun(t *testing.T, s model.Store) {
	ctx := context.Background()
	runs := 0
	rs := rerunStore{s, &runs}
	data := randomBytes(600<<10, 2)
	m, err := model.WriteMaterial(ctx, rs, fixedClock(t0), bytes.NewReader(data), 1<<20)
	if err != nil || len(m.Chunks) != 3 || runs != 6 {
		t.Fatalf("WriteMaterial re-run: %d chunks, %d runs, %v", len(m.Chunks), runs, err)
	}
	if back, err := model.ReadMaterial(ctx, s, m); err != nil || !bytes.Equal(back, data) {
		t.Fatalf("read back: %v", err)
	}
	file := func(tx model.Tx) error {
		extra, err := tx.Blobs().PutChunk([]byte("holding photo"), t0)
		if err != nil {
			return err
		}
		a := Appeal("ap1", "REF-RERUN", t0, m.Chunks[0], extra)
		a.State, a.DecidedAt, a.Handler = model.AppealApproved, t0, "s1"
		if err := tx.Appeals().Put(a); err != nil {
			return err
		}
		_, err = tx.Audit().Append(model.AuditRecord{Time: t0, Kiosk: "K-1", Actor: "anonymous", Action: "appeal.submit",
			Subject: "appeal:ap1", Outcome: "ok"})
		return err
	}
	if err := rs.Update(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx model.Tx) error { // committed again, without the audit record
		a, err := tx.Appeals().Get("ap1")
		if err != nil {
			return err
		}
		return tx.Appeals().Put(a)
	}); err != nil {
		t.Fatal(err)
	}
	view(t, s, func(tx model.Tx) error {
		all, _, err1 := tx.Appeals().List(model.AppealFilter{}, "", 10)
		approved, _, err2 := tx.Appeals().List(model.AppealFilter{State: model.AppealApproved, NewestFirst: true}, "", 10)
		due, _, err3 := tx.Appeals().ClosedBefore(t0.Add(time.Second), "", 10)
		loose, _, err4 := tx.Blobs().Unreferenced(t0.Add(time.Hour), "", 10)
		audit, err5 := tx.Audit().List(0, 10)
		return firstErr(err1, err2, err3, err4, err5, same("listed", len(all), 1), same("approved", len(approved), 1),
			same("due", len(due), 1), same("unreferenced (m's other two chunks)", len(loose), 2),
			same("audit records", len(audit), 1))
	})
	if n := chunkCount(t, s); n != 4 {
		t.Fatalf("%d chunks, want 4", n)
	}
	if n, err := model.PurgeClosedMaterials(ctx, rs, time.Hour, t0.Add(48*time.Hour), "K-1"); err != nil || n != 1 {
		t.Fatalf("purge re-run: %d, %v", n, err)
	}
	if n, err := model.CollectOrphanChunks(ctx, rs, time.Hour, t0.Add(48*time.Hour)); err != nil || n != 2 {
		t.Fatalf("collect re-run: %d, %v; want the 2 chunks of m no appeal took", n, err)
	}
	view(t, s, func(tx model.Tx) error {
		audit, err := tx.Audit().List(0, 10)
		return firstErr(err, same("audit records after the purge", len(audit), 2))
	})
	if n := chunkCount(t, s); n != 0 {
		t.Fatalf("%d chunks left, want 0", n)
	}
}
