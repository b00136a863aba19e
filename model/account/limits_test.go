package account_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
)

// bigUploads are the seven materials as pictures of 30 MiB together, the
// most an appeal takes, padded with bytes that repeat no chunk (the type
// is told by the first bytes).
func bigUploads() []account.AppealUpload {
	r := rand.New(rand.NewPCG(30, 7))
	per := int(material.DefaultLimits.Appeal) / len(model.MaterialKinds)
	var out []account.AppealUpload
	for i, k := range model.MaterialKinds {
		head, name := mt.JPEG(64, 48+i), "m.jpg"
		if k == model.MaterialAuthorization {
			head, name = mt.PNG(64, 48), "m.png"
		}
		data := make([]byte, per)
		copy(data, head)
		for j := len(head); j < per; j++ {
			data[j] = byte(r.Uint32())
		}
		out = append(out, account.AppealUpload{Kind: k, Name: name, Data: data})
	}
	return out
}

// TestAppealOf30MiBOnLimitedStore: an appeal with 30 MiB of materials (126
// chunks) is filed, reviewed, read and purged on a store that bounds a
// transaction as etcd does (128 compares, 128 writes, 1.5 MiB) with a
// competing write before every commit; no transaction is too large, and
// the appeal holds and references every chunk, then none.
func TestAppealOf30MiBOnLimitedStore(t *testing.T) {
	ctx := context.Background()
	f := newConflictFixture(t, conflictMode{name: "LimitedInterleave", touch: true, limit: true})
	ups := bigUploads()
	in, proof := f.changeAppeal("13933334444")
	if err := f.svc.CheckAppealIdentity(ctx, in, proof); err != nil {
		t.Fatal(err)
	}
	done, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: ups})
	if err != nil {
		t.Fatal(err)
	}
	a := f.appealByRef(done.Ref)
	chunks := a.ChunkIDs()
	referenced := func() (n, loose, unsettled int) {
		err := f.store.View(ctx, func(tx model.Tx) error {
			n = 0
			for _, c := range chunks {
				used, err := tx.Blobs().Referenced(c)
				if err != nil {
					return err
				}
				if used {
					n++
				}
			}
			later := f.clk.Now().Add(1000 * time.Hour)
			l, _, err1 := tx.Blobs().Unreferenced(later, "", 1000)
			u, _, err2 := tx.Blobs().Unsettled(later, "", 1000)
			loose, unsettled = len(l), len(u)
			return firstErr(err1, err2)
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if n, l, u := referenced(); len(chunks) != 126 || n != 126 || l != 0 || u != 0 {
		t.Fatalf("filed with %d chunks: %d referenced, %d unreferenced, %d unsettled", len(chunks), n, l, u)
	}
	rev := f.staffLogin(model.StaffReviewer)
	if _, err := f.svc.TakeAppeal(ctx, rev, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RejectAppeal(ctx, rev, a.ID, "材料不清晰"); err != nil {
		t.Fatal(err)
	}
	back, err := f.svc.AppealMaterial(ctx, rev, a.ID, model.MaterialRepIDBack)
	if err != nil || !bytes.Equal(back, ups[3].Data) {
		t.Fatalf("material read back: equal %v, %v", bytes.Equal(back, ups[3].Data), err)
	}
	later := f.clk.Now().Add(model.DefaultMaterialsPurgeAfter + 48*time.Hour)
	if n, err := model.PurgeClosedMaterials(ctx, f.store, 0, later, "K-07"); err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if n, l, u := referenced(); n != 0 || l != 0 || u != 0 {
		t.Fatalf("purged: %d referenced, %d unreferenced, %d unsettled", n, l, u)
	}
	p := f.engine.Peak()
	t.Logf("largest transaction: %d compares, %d writes, %d bytes", p.Compares, p.Writes, p.Bytes)
}

// TestLastAdminGuardAmongManyAgents: the last-admin guard of an enterprise
// with 240 agents (some of them admins no longer active) reads only its
// admins, so it fits a store that bounds a transaction as etcd does, and
// still tells the last active admin apart.
func TestLastAdminGuardAmongManyAgents(t *testing.T) {
	ctx := context.Background()
	f := newConflictFixture(t, conflictMode{name: "Limited", limit: true})
	ent, who, ags := f.agentsEnt()
	now := f.clk.Now()
	for i := range 240 {
		a := model.Agent{ID: model.NewID(), EnterpriseID: ent.ID, PersonID: model.NewID(), Name: fmt.Sprint("经办人", i),
			IDNumber: fmt.Sprintf("22010419900101%04d", i), Phone: "13900000000", Enabled: i%3 != 0, Admin: i%2 == 0,
			ValidFrom: now.AddDate(-2, 0, 0), ValidTo: now.AddDate(-1, 0, 0), CreatedAt: now, UpdatedAt: now}
		if i%2 == 1 { // plain agents, in their window
			a.ValidTo = now.AddDate(1, 0, 0)
		}
		if err := f.store.Update(ctx, func(tx model.Tx) error { return tx.Agents().Put(a) }); err != nil {
			t.Fatal(err)
		}
	}
	f.engine.ResetPeak()
	admin := ags[adminAgentName]
	_, err := f.svc.SetAgentEnabled(ctx, who, admin.ID, false, false)
	wantField(t, err, account.FieldForm, "last_admin", model.ErrLastAdmin)
	if _, err := f.svc.EditAgent(ctx, who, ags[plainAgentName].ID, date(2026, 1, 1), date(2027, 12, 31), true, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetAgentEnabled(ctx, who, admin.ID, false, false); err != nil {
		t.Fatalf("with a second admin: %v", err)
	}
	if p := f.engine.Peak(); p.Compares > 32 || p.Writes > 32 {
		t.Errorf("largest transaction of the guarded changes: %+v", p)
	}
}
