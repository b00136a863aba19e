package model_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// TestAppealHousekeeping: the housekeeper with the appeal jobs purges the
// materials of an appeal closed past the retention (one record for the
// appeal, one for the run) and collects an abandoned upload (one record
// for the run); a run with nothing to do leaves no record.
func TestAppealHousekeeping(t *testing.T) {
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	filed := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	clk := clocktest.New(filed)
	m, err := model.WriteMaterial(ctx, st, clk, bytes.NewReader(bytes.Repeat([]byte("licence"), 60000)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.WriteMaterial(ctx, st, clk, bytes.NewReader([]byte("abandoned upload")), 1<<20); err != nil {
		t.Fatal(err)
	}
	m.Kind, m.Name, m.MIME = model.MaterialLicense, "licence.pdf", "application/pdf"
	a := model.Appeal{ID: model.NewID(), Ref: model.NewAppealRef("K-1", filed), Kind: model.AppealKindRegister,
		State: model.AppealPending, Kiosk: "K-1", Materials: []model.Material{m}, CreatedAt: filed, UpdatedAt: filed}
	a, _ = a.Take("s1", filed)
	a, err = a.Approve("s1", filed.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, func(tx model.Tx) error { return tx.Appeals().Put(a) }); err != nil {
		t.Fatal(err)
	}
	h := &model.Housekeeper{Store: st, Clock: clk, Kiosk: "K-1",
		Jobs: (&model.AppealHousekeeping{Store: st, Clock: clk, Kiosk: "K-1"}).Jobs()}

	clk.Set(filed.Add(30 * 24 * time.Hour)) // the upload is abandoned, the appeal still kept
	counts, err := h.RunOnce(ctx)
	if err != nil || counts[model.AuditAppealPurgeRun] != 0 || counts[model.AuditChunkCollect] != 1 {
		t.Fatalf("after 30 days: %v, %v", counts, err)
	}
	if _, err := model.ReadMaterial(ctx, st, m); err != nil {
		t.Fatalf("the kept appeal's material: %v", err)
	}
	clk.Set(filed.Add(91 * 24 * time.Hour))
	counts, err = h.RunOnce(ctx)
	if err != nil || counts[model.AuditAppealPurgeRun] != 1 || counts[model.AuditChunkCollect] != 0 {
		t.Fatalf("after 91 days: %v, %v", counts, err)
	}
	var got model.Appeal
	if err := st.View(ctx, func(tx model.Tx) error { got, err = tx.Appeals().Get(a.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if !got.MaterialsPurged {
		t.Fatal("not marked purged")
	}
	if _, err := model.ReadMaterial(ctx, st, got.Materials[0]); err != model.ErrMaterialPurged {
		t.Fatalf("purged material read: %v", err)
	}
	if _, err := model.ReadMaterial(ctx, st, m); err == nil {
		t.Fatal("the purged chunks can still be read")
	}
	for action, want := range map[string]int{model.AuditAppealMaterialsPurge: 1, model.AuditAppealPurgeRun: 1,
		model.AuditChunkCollect: 1} {
		if n := len(auditByAction(t, st, action)); n != want {
			t.Errorf("%d %s records, want %d", n, action, want)
		}
	}
	if counts, err := h.RunOnce(ctx); err != nil || counts[model.AuditAppealPurgeRun]+counts[model.AuditChunkCollect] != 0 {
		t.Fatalf("idle run: %v, %v", counts, err)
	}
}
