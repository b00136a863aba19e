package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"kiosk/model"
)

// limitTests are the conformance tests of the work that an engine bounding
// one transaction (etcd: 128 compares and 128 writes per commit) would
// refuse if it were done in one: an appeal of 30 MB of materials, chunk
// references made ahead of an appeal and dropped after it, and the index
// that keeps the last-admin guard from reading every agent. On an engine
// with such a bound (kv.Limiter) each fails with kv.ErrTooLarge if a
// transaction does not fit.
var limitTests = []struct {
	name string
	fn   func(t *testing.T, s model.Store)
}{
	{"AgentAdmins", agentAdmins},
	{"AppealManyChunks", appealManyChunks},
	{"ChunkReservations", chunkReservations},
}

// adminOf is what AgentRepo.Admins says of a: its state, nothing else.
func adminOf(a model.Agent) model.Agent {
	return model.Agent{ID: a.ID, EnterpriseID: a.EnterpriseID, Admin: true, Enabled: a.Enabled,
		ValidFrom: a.ValidFrom, ValidTo: a.ValidTo}
}

// agentAdmins: Admins lists an enterprise's agents with 管理权限, in id
// order, and follows every Put (promoted, demoted, disabled, moved) and
// Delete.
func agentAdmins(t *testing.T, s model.Store) {
	a1, a2, a3 := Agent("a1", "e1", "110105194912310029"), Agent("a2", "e1", "110105194912310037"),
		Agent("a3", "e2", "110105194912310045")
	a2.Admin, a3.Enabled = false, false
	admins := func(ent string, want ...model.Agent) {
		t.Helper()
		view(t, s, func(tx model.Tx) error {
			got, err := tx.Agents().Admins(ent)
			w := []model.Agent{}
			for _, a := range want {
				w = append(w, adminOf(a))
			}
			return firstErr(err, same("admins of "+ent, append([]model.Agent{}, got...), w))
		})
	}
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Agents().Put(a1), tx.Agents().Put(a2), tx.Agents().Put(a3))
	})
	admins("e1", a1)
	admins("e2", a3)
	admins("e9")
	a1.Admin = false
	a2.Admin, a2.ValidFrom, a2.ValidTo = true, day0.AddDate(0, 1, 0), day0.AddDate(2, 0, 0)
	a3.EnterpriseID, a3.Enabled = "e1", true
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Agents().Put(a1), tx.Agents().Put(a2), tx.Agents().Put(a3))
	})
	admins("e1", a2, a3)
	admins("e2")
	update(t, s, func(tx model.Tx) error { return tx.Agents().Delete("a2") })
	admins("e1", a3)
}

// appealManyChunks: an appeal with 30 MiB of materials (126 chunks) is
// filed the way the kiosk files one (its chunks reserved in batches, then
// one transaction with the appeal and its audit record), reads back, and
// is purged with every chunk; nothing is left referenced or unsettled.
func appealManyChunks(t *testing.T, s model.Store) {
	ctx := context.Background()
	a := Appeal("big", "REF-BIG", t0)
	per := (30 << 20) / len(a.Materials)
	var second []byte
	for i := range a.Materials {
		data := randomBytes(per, uint64(100+i))
		m, err := model.WriteMaterial(ctx, s, fixedClock(t0), bytes.NewReader(data), 10<<20)
		if err != nil {
			t.Fatalf("material %d: %v", i, err)
		}
		a.Materials[i].Size, a.Materials[i].SHA256, a.Materials[i].Chunks = m.Size, m.SHA256, m.Chunks
		if i == 1 {
			second = data
		}
	}
	chunks := a.ChunkIDs()
	if len(chunks) != 126 {
		t.Fatalf("%d chunks, want 126", len(chunks))
	}
	if err := model.ReserveChunks(ctx, s, a.ID, chunks, t0); err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx model.Tx) error {
		if err := tx.Appeals().Put(a); err != nil {
			return err
		}
		_, err := tx.Audit().Append(model.AuditRecord{Time: t0, Kiosk: "K-1", Actor: "anonymous",
			Action: "appeal.submit", Subject: "appeal:" + a.ID, Outcome: "ok"})
		return err
	})
	later := t0.Add(1000 * time.Hour)
	state := func() (referenced int, loose, unsettled int) {
		view(t, s, func(tx model.Tx) error {
			referenced = 0
			for _, c := range chunks {
				used, err := tx.Blobs().Referenced(c)
				if err != nil {
					return err
				}
				if used {
					referenced++
				}
			}
			l, _, err1 := tx.Blobs().Unreferenced(later, "", 1000)
			u, _, err2 := tx.Blobs().Unsettled(later, "", 1000)
			loose, unsettled = len(l), len(u)
			return firstErr(err1, err2)
		})
		return
	}
	if r, l, u := state(); r != len(chunks) || l != 0 || u != 0 {
		t.Fatalf("filed: %d of %d chunks referenced, %d unreferenced, %d unsettled", r, len(chunks), l, u)
	}
	var filed model.Appeal
	view(t, s, func(tx model.Tx) (err error) { filed, err = tx.Appeals().Get(a.ID); return })
	if back, err := model.ReadMaterial(ctx, s, filed.Materials[1]); err != nil || !bytes.Equal(back, second) {
		t.Fatalf("material read back: equal %v, %v", bytes.Equal(back, second), err)
	}
	a.State, a.Handler, a.DecidedAt, a.UpdatedAt = model.AppealApproved, "s1", t0, t0
	putAppeal(t, s, a)
	if n, err := model.PurgeClosedMaterials(ctx, s, time.Hour, t0.Add(48*time.Hour), "K-1"); err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if r, l, u := state(); r != 0 || l != 0 || u != 0 || chunkCount(t, s) != 0 {
		t.Fatalf("purged: %d chunks referenced, %d unreferenced, %d unsettled, %d stored", r, l, u, chunkCount(t, s))
	}
}

// chunkReservations: chunks reserved for an appeal are referenced before
// it is filed, even re-run; a reservation of a missing chunk writes
// nothing; the appeal's Put takes what it holds and drops a few others;
// a reservation never filed is released by the collector after the grace
// only; a Put that drops many references leaves them until they are
// released.
func chunkReservations(t *testing.T, s model.Store) {
	ctx := context.Background()
	c1, c2, c3 := putChunk(t, s, "r1", t0), putChunk(t, s, "r2", t0), putChunk(t, s, "r3", t0)
	used := func(ids ...string) (out []bool) {
		view(t, s, func(tx model.Tx) error {
			out = nil
			for _, id := range ids {
				u, err := tx.Blobs().Referenced(id)
				if err != nil {
					return err
				}
				out = append(out, u)
			}
			return nil
		})
		return out
	}
	unsettled := func(before time.Time) (ids []string) {
		view(t, s, func(tx model.Tx) (err error) { ids, _, err = tx.Blobs().Unsettled(before, "", 100); return })
		return ids
	}
	missing := fmt.Sprintf("%064x", 9)
	err := s.Update(ctx, func(tx model.Tx) error { return tx.Blobs().Reserve("ap1", []string{c1, missing}, t0) })
	if !errors.Is(err, model.ErrMaterialMissing) || slices.Contains(used(c1), true) {
		t.Fatalf("reserving a missing chunk: %v, c1 referenced %v", err, used(c1))
	}
	runs := 0
	if err := model.ReserveChunks(ctx, rerunStore{s, &runs}, "ap1", []string{c1, c2, c1}, t0); err != nil || runs != 2 {
		t.Fatalf("reserve re-run: %d runs, %v", runs, err)
	}
	if err := model.ReserveChunks(ctx, s, "ap1", []string{c2}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u := used(c1, c2, c3); !u[0] || !u[1] || u[2] {
		t.Fatalf("reserved c1, c2: referenced %v", u)
	}
	if got := unsettled(t0); len(got) != 0 {
		t.Fatalf("unsettled before the reservation: %v", got)
	}
	if got := unsettled(t0.Add(time.Nanosecond)); !slices.Equal(got, []string{"ap1"}) {
		t.Fatalf("unsettled %v, want [ap1] since the first reservation", got)
	}
	putAppeal(t, s, Appeal("ap1", "R1", t0, c1))
	if u := used(c1, c2); !u[0] || u[1] || len(unsettled(t0.Add(time.Hour))) != 0 {
		t.Fatalf("filed with c1: referenced %v, unsettled %v", u, unsettled(t0.Add(time.Hour)))
	}
	// A reservation that no appeal took, kept for the grace only.
	if err := model.ReserveChunks(ctx, s, "ghost", []string{c2, c3}, t0); err != nil {
		t.Fatal(err)
	}
	if n, err := model.CollectOrphanChunks(ctx, s, 24*time.Hour, t0.Add(12*time.Hour)); err != nil || n != 0 {
		t.Fatalf("collector within the grace: %d, %v", n, err)
	}
	if u := used(c2, c3); !u[0] || !u[1] {
		t.Fatalf("reservation released within the grace: %v", u)
	}
	if n, err := model.CollectOrphanChunks(ctx, s, 24*time.Hour, t0.Add(48*time.Hour)); err != nil || n != 2 {
		t.Fatalf("collector after the grace: %d, %v; want c2 and c3", n, err)
	}
	if u := used(c1); !u[0] || len(unsettled(t0.Add(1000*time.Hour))) != 0 {
		t.Fatal("the filed appeal lost its chunk, or the reservation stayed")
	}
	// A Put that drops more references than it drops itself.
	var many []string
	for i := range 12 {
		many = append(many, putChunk(t, s, fmt.Sprint("m", i), t0))
	}
	b := Appeal("ap2", "R2", t0)
	for i := range b.Materials {
		b.Materials[i].Chunks = many[2*i : min(2*i+2, len(many))]
	}
	if err := model.ReserveChunks(ctx, s, "ap2", b.ChunkIDs(), t0); err != nil {
		t.Fatal(err)
	}
	putAppeal(t, s, b)
	for i := range b.Materials {
		b.Materials[i].Chunks = nil
	}
	b.MaterialsPurged, b.UpdatedAt = true, t0.Add(time.Hour)
	putAppeal(t, s, b)
	if u := used(many...); slices.Contains(u, false) || !slices.Equal(unsettled(t0.Add(2*time.Hour)), []string{"ap2"}) {
		t.Fatalf("after the purge's Put: referenced %v, unsettled %v", u, unsettled(t0.Add(2*time.Hour)))
	}
	if err := model.ReleaseChunks(ctx, s, "ap2"); err != nil {
		t.Fatal(err)
	}
	if u := used(many...); slices.Contains(u, true) || len(unsettled(t0.Add(2*time.Hour))) != 0 {
		t.Fatalf("released: referenced %v, unsettled %v", u, unsettled(t0.Add(2*time.Hour)))
	}
}
