package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/storage"
)

// withStdin makes text the process's stdin (a file, not a terminal) for
// the rest of the test.
func withStdin(t *testing.T, text string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = f
	t.Cleanup(func() { os.Stdin = old; _ = f.Close() })
}

// kiosk runs the command line with stdin and returns its exit status and
// output.
func kiosk(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	withStdin(t, stdin)
	var out, errb strings.Builder
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStaffCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := demoConfig(t, dir)
	const pw, pw2 = "Review#2026x", "Fresh!Pass77"

	if code, _, errs := kiosk(t, "Short1\nShort1\n", "-config", cfg, "staff", "add", "reviewer01", "--name", "李审", "--role", "审核员"); code != 1 ||
		!strings.Contains(errs, "password") || !strings.Contains(errs, "8") {
		t.Fatalf("weak password: exit %d, %s", code, errs)
	}
	if code, _, errs := kiosk(t, pw+"\n"+pw+"x\n", "-config", cfg, "staff", "add", "reviewer01", "--name", "李审", "--role", "审核员"); code != 1 ||
		!strings.Contains(errs, "differ") {
		t.Fatalf("passwords that differ: exit %d, %s", code, errs)
	}
	if code, _, errs := kiosk(t, pw+"\n", "-config", cfg, "staff", "add", "reviewer01", "--name", "李审", "--role", "审核员"); code != 1 ||
		!strings.Contains(errs, "password line") {
		t.Fatalf("one password line: exit %d, %s", code, errs)
	}
	code, out, errs := kiosk(t, pw+"\n"+pw+"\n", "-config", cfg, "staff", "add", "reviewer01", "--name", "李审", "--role", "审核员")
	if code != 0 || !strings.Contains(out, "staff reviewer01 added (reviewer)") {
		t.Fatalf("add: exit %d, %s %s", code, out, errs)
	}
	if code, _, errs := kiosk(t, pw+"\n"+pw+"\n", "-config", cfg, "staff", "add", "REVIEWER01", "--name", "王五", "--role", "管理员"); code != 1 ||
		!strings.Contains(errs, "duplicate username") {
		t.Fatalf("duplicate: exit %d, %s", code, errs)
	}
	if code, _, errs := kiosk(t, "", "-config", cfg, "staff", "add", "admin0001", "--name", "王五", "--role", "boss"); code != 1 ||
		!strings.Contains(errs, "--role") {
		t.Fatalf("bad role: exit %d, %s", code, errs)
	}

	code, out, errs = kiosk(t, "", "-config", cfg, "staff", "list")
	if code != 0 || !strings.Contains(out, "reviewer01") || !strings.Contains(out, "李审") ||
		!strings.Contains(out, "reviewer") || !strings.Contains(out, "enabled") || !strings.Contains(out, "1 staff member(s)") {
		t.Fatalf("list: exit %d, %s %s", code, out, errs)
	}
	if strings.Contains(out, "argon2") || strings.Contains(out, pw) {
		t.Fatalf("list shows a password or hash:\n%s", out)
	}

	if code, out, errs := kiosk(t, pw2+"\n"+pw2+"\n", "-config", cfg, "staff", "reset-password", "reviewer01"); code != 0 ||
		!strings.Contains(out, "reset") {
		t.Fatalf("reset-password: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs := kiosk(t, "", "-config", cfg, "staff", "disable", "reviewer01"); code != 0 || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: exit %d, %s %s", code, out, errs)
	}
	if _, out, _ := kiosk(t, "", "-config", cfg, "staff", "list"); !strings.Contains(out, "disabled") {
		t.Fatalf("list after disable:\n%s", out)
	}
	if code, _, errs := kiosk(t, "", "-config", cfg, "staff", "disable", "nobody001"); code != 1 || !strings.Contains(errs, "no staff member") {
		t.Fatalf("disable unknown: exit %d, %s", code, errs)
	}
	if code, _, errs := kiosk(t, "", "-config", cfg, "staff", "frobnicate"); code != 1 || !strings.Contains(errs, "usage") {
		t.Fatalf("unknown staff command: exit %d, %s", code, errs)
	}

	// What the commands left behind: the disabled member cannot log in, and
	// three audit records by "cli" that name no password.
	c, err := LoadConfig(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(c)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	auth := &model.Auth{Store: st, Clock: model.SystemClock{}, Hasher: pwhash.New(pwhash.Fast), Kiosk: c.KioskID}
	if _, err := auth.LoginStaff(context.Background(), "reviewer01", pw2); err == nil {
		t.Fatal("disabled staff logged in")
	}
	var recs []model.AuditRecord
	_ = st.View(context.Background(), func(tx model.Tx) error {
		recs, err = tx.Audit().List(0, 1000)
		return err
	})
	actions := map[string]bool{}
	for _, r := range recs {
		if r.Actor == "cli" {
			actions[r.Action] = true
		}
		if strings.Contains(r.Detail+r.Subject, pw) || strings.Contains(r.Detail+r.Subject, pw2) {
			t.Errorf("audit record carries a password: %+v", r)
		}
	}
	for _, a := range []string{"staff.add", "staff.reset_password", "staff.disable"} {
		if !actions[a] {
			t.Errorf("no %s record by cli in %+v", a, recs)
		}
	}
}

// TestStaffUnlockCommand: counter staff clear the lock that five wrong
// passwords put on an enterprise; the owner logs in again at once, and the
// clearing is audited with the staff id. A wrong staff password clears
// nothing.
func TestStaffUnlockCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := demoConfig(t, dir)
	c, err := LoadConfig(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	withStore := func(f func(st *storage.Store, auth *model.Auth)) {
		st, err := openStore(c)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f(st, &model.Auth{Store: st, Clock: model.SystemClock{}, Hasher: pwhash.New(pwhash.Fast), Kiosk: c.KioskID})
	}
	withStore(func(st *storage.Store, auth *model.Auth) {
		if err := registry.SeedDemo(ctx, st, pwhash.New(pwhash.Fast), model.SystemClock{},
			bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON)); err != nil {
			t.Fatal(err)
		}
		for range model.MaxFailures {
			_, _ = auth.LoginEnterprise(ctx, "demo_corp01", "Wrong#2026x")
		}
		if _, err := auth.LoginEnterprise(ctx, "demo_corp01", "Kiosk@2026"); !errors.As(err, new(*model.LockedError)) {
			t.Fatalf("not locked: %v", err)
		}
	})
	if code, _, errs := kiosk(t, "Wrong#Staff1\n", "-config", cfg, "staff", "unlock", "demo_corp01", "--staff", "counter01"); code != 1 {
		t.Fatalf("wrong staff password: exit %d, %s", code, errs)
	}
	if code, _, errs := kiosk(t, "", "-config", cfg, "staff", "unlock", "demo_corp01"); code != 1 || !strings.Contains(errs, "usage") {
		t.Fatalf("no --staff: exit %d, %s", code, errs)
	}
	code, out, errs := kiosk(t, "Staff@2026\n", "-config", cfg, "staff", "unlock", "demo_corp01", "--staff", "counter01")
	if code != 0 || !strings.Contains(out, "cleared") {
		t.Fatalf("unlock: exit %d, %s %s", code, out, errs)
	}
	withStore(func(st *storage.Store, auth *model.Auth) {
		if _, err := auth.LoginEnterprise(ctx, "demo_corp01", "Kiosk@2026"); err != nil {
			t.Fatalf("still refused after unlock: %v", err)
		}
		var recs []model.AuditRecord
		_ = st.View(ctx, func(tx model.Tx) error { recs, err = tx.Audit().List(0, 1000); return err })
		n := 0
		for _, r := range recs {
			if r.Action == "lock.clear" && r.Outcome == "ok" && strings.HasPrefix(r.Actor, "staff:") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d lock.clear records by staff: %+v", n, recs)
		}
	})
}
