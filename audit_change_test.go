package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/model"
)

// TestAuditCommandsKeepChangeSealed: a record with the before/after of a
// change (model.AuditRecord.Change) verifies and exports like any other,
// and neither command prints the values, nor the record's detail.
func TestAuditCommandsKeepChangeSealed(t *testing.T) {
	dir := t.TempDir()
	cfgPath := demoConfig(t, dir)
	cfg, err := LoadConfig(cfgPath, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const before, after = "吉林省长春市旧址路1号", "吉林省长春市新址路2号"
	r := model.AuditRecord{Time: time.Now(), Kiosk: "TEST-01", Actor: "enterprise:e1", Action: "enterprise.change",
		Subject: "e1", Outcome: "ok", Detail: "fields=registered_address",
		Change: `[{"field":"registered_address","before":"` + before + `","after":"` + after + `"}]`}
	if err := st.Update(context.Background(), func(tx model.Tx) error { _, err := tx.Audit().Append(r); return err }); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, args := range [][]string{{"verify"}, {"export"}, {"export", "-since", "1h"}} {
		var out, errb strings.Builder
		code := run(append([]string{"-config", cfgPath, "audit"}, args...), &out, &errb)
		if code != 0 || !strings.Contains(out.String(), "TEST-01") {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
		printed := out.String() + errb.String()
		for _, v := range []string{before, after, "registered_address", `"before"`} {
			if strings.Contains(printed, v) {
				t.Errorf("%v prints %q:\n%s", args, v, printed)
			}
		}
	}
}
