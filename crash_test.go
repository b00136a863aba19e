package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/registry"
	"kiosk/storage"
	"kiosk/storage/kv/bboltkv"
)

// TestKillDuringRegistration is the crash test at the level of the
// real kiosk binary: it registers enterprises through the UI in a
// pseudo-terminal, as a person would, and kills the process with SIGKILL at a
// random moment around the final step (face verification, then the write),
// 50 times. After every kill the store must hold each enterprise whole —
// record, USCC and account indexes, its audit record and its SMS notice — or
// not at all.
func TestKillDuringRegistration(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary through 50 registrations; skipped with -short (make test runs it)")
	}
	bin, err := buildKiosk()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cands := registrable(t)
	const runs = 50
	if len(cands) < runs {
		t.Fatalf("only %d registrable sample enterprises", len(cands))
	}
	rng := rand.New(rand.NewPCG(27, 11))
	committed := 0
	// The first registration runs to its end to measure how long the last
	// step (capture, face verification, write) takes here; the other kills
	// land at random moments across that span and a little beyond.
	var span time.Duration
	for i := 0; i < runs; i++ {
		c := cands[i]
		acct := fmt.Sprintf("crashtest%02d", i)
		phone := fmt.Sprintf("1391000%04d", i)
		// Each run is another kiosk of the hall on the same store (the
		// per-kiosk look-up limit allows ten registrations in ten minutes),
		// with a fixed captcha the test can type.
		cfg := crashConfig(t, dir, i)
		cmd, f, sr := startKiosk(t, bin, cfg, "自然人注册")
		sr.wait(t, "自然人注册")
		sr.send(t, f, "\x1b[C\x1b[C\r") // → 立即注册
		sr.wait(t, "统一社会信用代码")
		sr.send(t, f, "\x1b[C\t"+c.Name+"\t"+c.USCC+"\r")
		sr.wait(t, "法定代表人姓名")
		sr.send(t, f, c.LegalRep.Name+"\t\t"+c.LegalRep.ID.Number+"\t"+strings.Repeat("\x1b[C", periodPresses(c.LegalRep.ID.Period))+
			"\t"+c.LegalRep.ID.ValidFrom.Format("2006-01-02")+"\t\t"+phone+"\t"+crashCaptcha+"\t\x1b[15~") // the captcha, then F5 asks for the code
		code := sr.code(t, phone)
		sr.send(t, f, code+"\r")
		sr.wait(t, "确认密码")
		sr.send(t, f, acct+"\tCrash#2026ok\tCrash#2026ok\r")
		sr.wait(t, "实时画面") // the preview is live: 拍照 has a frame to take
		sr.send(t, f, "\r")
		if i == 0 {
			start := time.Now()
			sr.wait(t, "注册成功")
			span = time.Since(start)
		} else {
			time.Sleep(time.Duration(rng.Int64N(int64(span) * 5 / 4)))
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_, _ = cmd.Process.Wait()
		_ = f.Close()
		if checkRegistration(t, dir, c, acct, phone) {
			committed++
		}
	}
	t.Logf("%d kills, %d registrations committed before the kill (last step took %s)", runs, committed, span)
	if committed == 0 || committed == runs {
		t.Errorf("kills never landed on both sides of the commit (%d of %d committed)", committed, runs)
	}
}

// crashCaptcha is every captcha's text in the crash test (demo.fixed_captcha).
const crashCaptcha = "ACE34"

// crashConfig is demo mode on dir's data as kiosk number i.
func crashConfig(t *testing.T, dir string, i int) string {
	t.Helper()
	p := filepath.Join(dir, "kiosk.toml")
	cfg := fmt.Sprintf("mode = \"demo\"\nkiosk_id = \"CRASH-%02d\"\ndata_dir = %q\n[ui]\nallow_quit = true\n[demo]\nfixed_captcha = %q\n",
		i, filepath.Join(dir, "data"), crashCaptcha)
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// registrable lists sample enterprises without an account whose legal type
// is the radio's first option.
func registrable(t *testing.T) []model.RegistryRecord {
	t.Helper()
	recs, _, err := registry.ParseCSV(bytes.NewReader(assets.SampleRegistryCSV), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	seed, err := registry.DecodeSeed(bytes.NewReader(assets.DemoSeedJSON))
	if err != nil {
		t.Fatal(err)
	}
	seeded := map[string]bool{}
	for _, e := range seed.Enterprises {
		seeded[e.USCC] = true
	}
	var out []model.RegistryRecord
	for _, r := range recs {
		if !seeded[r.USCC] && r.LegalType == model.LegalTypes[0] {
			out = append(out, r)
		}
	}
	return out
}

// periodPresses is how many → presses select p on the validity radio.
func periodPresses(p model.ValidityPeriod) int {
	switch p {
	case model.Validity5Years:
		return 1
	case model.Validity10Years:
		return 2
	case model.Validity20Years:
		return 3
	}
	return 4
}

// checkRegistration opens the store the killed kiosk left and reports
// whether the registration is there; it fails the test when it is there in
// part.
func checkRegistration(t *testing.T, dir string, c model.RegistryRecord, acct, phone string) bool {
	t.Helper()
	data := filepath.Join(dir, "data")
	keys, err := storage.LoadOrCreateKeys(filepath.Join(data, "kiosk.key"))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := bboltkv.Open(filepath.Join(data, "kiosk.db"), bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(eng, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	present := false
	err = st.View(context.Background(), func(tx model.Tx) error {
		byUSCC, errU := tx.Enterprises().ByUSCC(c.USCC)
		byAcct, errA := tx.Enterprises().ByAccount(acct)
		if errors.Is(errU, model.ErrNotFound) && errors.Is(errA, model.ErrNotFound) {
			return nil // nothing of it: fine
		}
		if errU != nil || errA != nil || byUSCC.ID != byAcct.ID {
			return fmt.Errorf("%s half there: by USCC %v, by account %v", c.USCC, errU, errA)
		}
		present = true
		if byUSCC.State != model.EnterpriseActive || byUSCC.Phone != phone {
			return fmt.Errorf("%s stored as %s with another phone", c.USCC, byUSCC.State)
		}
		recs, err := tx.Audit().List(0, 100000)
		if err != nil {
			return err
		}
		n := 0
		for _, r := range recs {
			if r.Action == "register.enterprise" && r.Subject == byUSCC.ID {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s has %d registration audit records", c.USCC, n)
		}
		for _, s := range []model.OutboxState{model.OutboxPending, model.OutboxSent, model.OutboxDead} {
			msgs, err := tx.Outbox().List(s, 100000)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if m.To == phone && m.Kind == model.SMSKindNotice && strings.Contains(m.Text, acct) {
					return nil
				}
			}
		}
		return fmt.Errorf("%s registered without its SMS notice", c.USCC)
	})
	if err != nil {
		t.Fatal(err)
	}
	return present
}

// wait blocks until s has been drawn.
func (sr *screenReader) wait(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if strings.Contains(sr.text(), s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q not drawn; last output: %q", s, tail(sr.text(), 600))
		}
	}
}

// send types into the kiosk and forgets what was drawn so far, so that the
// next wait looks at new frames only.
func (sr *screenReader) send(t *testing.T, f *os.File, keys string) {
	t.Helper()
	sr.mu.Lock()
	sr.buf.Reset()
	sr.mu.Unlock()
	for keys != "" {
		// An escape sequence (arrow, F5) goes out whole, as a terminal
		// sends it; a lone ESC would read as the 返回 key.
		n := len(string([]rune(keys)[0]))
		if loc := keyRE.FindStringIndex(keys); loc != nil && loc[0] == 0 {
			n = loc[1]
		}
		if _, err := f.WriteString(keys[:n]); err != nil {
			t.Fatal(err)
		}
		keys = keys[n:]
		time.Sleep(2 * time.Millisecond) // a person types; a pty burst would arrive as one paste
	}
}

var keyRE = regexp.MustCompile(`^\x1b\[[0-9;]*[~A-Za-z]`)

var codeRE = regexp.MustCompile(`验证码为([0-9]{6})`)

// code reads the SMS code from the simulated phone panel, as the person
// would read their phone: the panel is the box at the right edge, so each
// line's text between its last two borders is joined before matching.
func (sr *screenReader) code(t *testing.T, phone string) string {
	t.Helper()
	var panel strings.Builder
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		panel.Reset()
		for _, line := range strings.Split(stripANSI(sr.text()), "\n") {
			if j := strings.LastIndex(line, "│"); j > 0 {
				if i := strings.LastIndex(line[:j], "│"); i >= 0 {
					panel.WriteString(strings.TrimSpace(line[i+len("│") : j]))
				}
			}
		}
		if m := codeRE.FindStringSubmatch(panel.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no SMS code for %s on the phone panel; panel text %q", phone, tail(panel.String(), 600))
	return ""
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
