package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
)

// TestAuditCommands runs `kiosk audit verify` and `kiosk audit export` on
// a store with two kiosks' chains, then on one whose newest record was
// removed from the file.
func TestAuditCommands(t *testing.T) {
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
	old := time.Now().Add(-48 * time.Hour)
	for i, r := range []model.AuditRecord{
		{Time: old, Kiosk: "TEST-01", Actor: "operator", Action: "outbox.retry", Outcome: "ok"},
		{Time: old, Kiosk: "TEST-02", Actor: "anonymous", Action: "login.enterprise", Outcome: "fail"},
		{Time: time.Now(), Kiosk: "TEST-01", Actor: "anonymous", Action: "login.enterprise", Outcome: "ok"},
		{Time: time.Now(), Kiosk: "TEST-01", Actor: "anonymous", Action: "logout", Outcome: "ok"},
	} {
		if err := st.Update(context.Background(), func(tx model.Tx) error { _, err := tx.Audit().Append(r); return err }); err != nil {
			t.Fatal(i, err)
		}
	}
	st.Close()

	kiosk := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := run(append([]string{"-config", cfgPath, "audit"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := kiosk("verify")
	if code != 0 || !strings.Contains(out, "TEST-01") || !strings.Contains(out, "3 record(s), head seq 3") ||
		!strings.Contains(out, "TEST-02") || !strings.Contains(out, "2 chain(s) verified") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = kiosk("export", "--since", "24h")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var cp storage.AuditCheckpoint
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &cp) != nil {
		t.Fatalf("export output:\n%s", out)
	}
	if cp.Kiosk != "TEST-01" || cp.Seq != 3 || cp.Count != 3 || cp.SinceCount != 2 || cp.SinceFirst != 2 ||
		cp.Format != storage.AuditCheckpointFormat || len(cp.Sig) != 64 {
		t.Fatalf("checkpoint %+v", cp)
	}
	checkpoints := filepath.Join(dir, "checkpoints.jsonl")
	if err := os.WriteFile(checkpoints, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs = kiosk("verify", "-checkpoints", checkpoints); code != 0 {
		t.Fatalf("verify against its own checkpoints: exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ = kiosk("export", "--since", "yesterday"); code == 0 {
		t.Fatal("export accepted -since yesterday")
	}

	// Someone with the file, not the key file, drops TEST-01's newest record.
	e, err := bboltkv.Open(cfg.path(cfg.Store.Path), bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Update(context.Background(), func(tx kv.Tx) error { return tx.Delete([]byte("audit/TEST-01/0000000000000003")) })
	e.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs = kiosk("verify")
	if code != 1 || !strings.Contains(out, "TEST-01          BROKEN") || !strings.Contains(out, "seq 2: head:") ||
		!strings.Contains(out, "TEST-02          ok") || !strings.Contains(errs, "1 of 2 chain(s) broken") {
		t.Fatalf("verify after tampering: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs = kiosk("export"); code != 1 || out != "" || !strings.Contains(errs, "no checkpoint exported") {
		t.Fatalf("export of a broken chain: exit %d\n%s%s", code, out, errs)
	}
}

// TestAuditVerifyTampering: `kiosk audit verify` reports the break when
// the newest record is deleted and the chain's counter rewound (the head
// deleted, written back as a plain count, or an old copy put back — the
// last one a rollback that only exported checkpoints reveal), and when a
// record in the middle is changed.
func TestAuditVerifyTampering(t *testing.T) {
	const (
		newest = "audit/TEST-01/0000000000000003"
		middle = "audit/TEST-01/0000000000000002"
		head   = "meta/audit/TEST-01"
	)
	for _, c := range []struct {
		name        string
		checkpoints bool // verify against a checkpoint exported before the tampering
		tamper      func(tx kv.Tx, oldHead []byte) error
	}{
		{"newest deleted, head deleted", false, func(tx kv.Tx, _ []byte) error {
			return errors.Join(tx.Delete([]byte(newest)), tx.Delete([]byte(head)))
		}},
		{"newest deleted, counter rewound to 2", false, func(tx kv.Tx, _ []byte) error {
			return errors.Join(tx.Delete([]byte(newest)), tx.Put([]byte(head), []byte{0, 0, 0, 0, 0, 0, 0, 2}))
		}},
		{"newest deleted, old head put back", true, func(tx kv.Tx, oldHead []byte) error {
			return errors.Join(tx.Delete([]byte(newest)), tx.Put([]byte(head), oldHead))
		}},
		{"middle record changed", false, func(tx kv.Tx, _ []byte) error {
			v, err := tx.Get([]byte(middle))
			if err != nil {
				return err
			}
			v = append([]byte(nil), v...)
			v[len(v)/2] ^= 0x01
			return tx.Put([]byte(middle), v)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := demoConfig(t, dir)
			cfg, err := LoadConfig(cfgPath, true)
			if err != nil {
				t.Fatal(err)
			}
			kiosk := func(args ...string) (int, string, string) {
				var out, errb strings.Builder
				code := run(append([]string{"-config", cfgPath, "audit"}, args...), &out, &errb)
				return code, out.String(), errb.String()
			}
			appendN := func(n int) {
				st, err := openStore(cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				for range n {
					r := model.AuditRecord{Time: time.Now(), Kiosk: "TEST-01", Actor: "anonymous", Action: "login.enterprise", Outcome: "fail"}
					if err := st.Update(context.Background(), func(tx model.Tx) error { _, err := tx.Audit().Append(r); return err }); err != nil {
						t.Fatal(err)
					}
				}
			}
			raw := func(f func(tx kv.Tx) error) {
				e, err := bboltkv.Open(cfg.path(cfg.Store.Path), bboltkv.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer e.Close()
				if err := e.Update(context.Background(), f); err != nil {
					t.Fatal(err)
				}
			}
			appendN(2)
			var oldHead []byte
			raw(func(tx kv.Tx) error {
				v, err := tx.Get([]byte(head))
				oldHead = append([]byte(nil), v...)
				return err
			})
			appendN(1)
			code, cps, errs := kiosk("export")
			if code != 0 {
				t.Fatalf("export: exit %d %s", code, errs)
			}
			cpFile := filepath.Join(dir, "cp.jsonl")
			if err := os.WriteFile(cpFile, []byte(cps), 0o600); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := kiosk("verify"); code != 0 {
				t.Fatalf("intact store: exit %d\n%s%s", code, out, errs)
			}
			raw(func(tx kv.Tx) error { return c.tamper(tx, oldHead) })
			args := []string{"verify"}
			if c.checkpoints {
				args = append(args, "-checkpoints", cpFile)
			}
			code, out, errs := kiosk(args...)
			if code != 1 || !strings.Contains(out, "BROKEN") {
				t.Fatalf("tampered store: exit %d\n%s%s", code, out, errs)
			}
		})
	}
}
