package storage

import (
	"encoding/json"
	"testing"

	"kiosk/model"
	"kiosk/storage/kv"
)

// TestAuditChangeInChain: the before/after of a change is in the sealed
// plaintext the chain's HMAC covers, so a record resealed with another
// Change (by someone holding the encryption key, not the chain key) breaks
// the link of the record after it.
func TestAuditChangeInChain(t *testing.T) {
	keys := KeysFromSeed("audit")
	s, e := auditStore(t, 2)
	err := s.Update(t.Context(), func(tx model.Tx) error {
		_, err := tx.Audit().Append(model.AuditRecord{Time: auditT0, Kiosk: "K-1", Actor: "enterprise:e1",
			Action: "enterprise.change", Subject: "e1", Outcome: "ok", Detail: "fields=name",
			Change: `[{"field":"name","before":"甲","after":"乙"}]`})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	appendAudit(t, s, "K-1", 2)
	if rep := verify(t, s); !rep.OK() {
		t.Fatalf("before tampering: %+v", rep)
	}
	k := []byte(auditKey("K-1", 3))
	var rec auditRec
	if err := openRec(keys, k, rawGet(t, e, string(k)), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Change == "" {
		t.Fatal("record 3 has no change")
	}
	rec.Change = `[{"field":"name","before":"甲","after":"丙"}]`
	pt, _ := json.Marshal(rec)
	rawUpdate(t, e, func(tx kv.Tx) error { return tx.Put(k, keys.seal(k, pt)) })
	wantBreak(t, verify(t, s), 4, BreakLink)
}
