package storage_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage"
)

// TestAuditChangeRoundTrip: the before/after of a change
// (model.AuditRecord.Change) is stored with its record and read back after
// the store is reopened; a record without one reads ""; the chain still
// verifies and exports; and the file holds neither value in clear (the
// record is sealed whole).
func TestAuditChangeRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	keys := storage.KeysFromSeed("audit-change")
	s, err := openBolt(t, path, keys)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	change := `[{"field":"name","before":"长春澜益旧名称有限公司","after":"长春澜益新名称有限公司"}]`
	recs := []model.AuditRecord{
		{Time: t0, Kiosk: "K-1", Actor: "enterprise:e1", Action: "enterprise.change", Subject: "e1", Outcome: "ok",
			Detail: "fields=name", Change: change},
		{Time: t0.Add(time.Minute), Kiosk: "K-1", Actor: "enterprise:e1", Action: "logout", Subject: "e1", Outcome: "ok"},
	}
	for _, r := range recs {
		if err := s.Update(t.Context(), func(tx model.Tx) error { _, err := tx.Audit().Append(r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = openBolt(t, path, keys)
	if err != nil {
		t.Fatal(err)
	}
	var got []model.AuditRecord
	if err := s.View(t.Context(), func(tx model.Tx) error {
		var err error
		got, err = tx.Audit().List(0, 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Change != change || got[0].Detail != "fields=name" || got[1].Change != "" {
		t.Fatalf("read back %+v", got)
	}
	if rep, err := s.VerifyAudit(t.Context()); err != nil || !rep.OK() || rep.Chains[0].Count != 2 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
	if cps, _, err := s.AuditCheckpoints(t.Context(), time.Time{}, t0.Add(time.Hour)); err != nil || len(cps) != 1 || cps[0].Seq != 2 {
		t.Fatalf("checkpoints %+v, %v", cps, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"长春澜益旧名称有限公司", "长春澜益新名称有限公司", `"before"`} {
		for form, b := range map[string][]byte{"utf-8": []byte(v), "utf-16le": utf16LE(v), "hex": []byte(hex.EncodeToString([]byte(v)))} {
			if bytes.Contains(raw, b) {
				t.Errorf("%s of %q found in the database file", form, v)
			}
		}
	}
}
