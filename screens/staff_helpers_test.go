package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/pwhash"
	"kiosk/model/staffadmin"
	"kiosk/model/staffdesk"
	"kiosk/screens/staff"
)

// What the staff console's tests share: the fixture with one staff member
// of each role (the demo seed's counter01, and a reviewer and two 管理员
// added through model/staffadmin as the CLI adds them), the console's use
// cases wired, and the chord and login helpers.

const (
	staffCounter   = "counter01" // the demo seed's 窗口工作人员
	staffCounterPw = "Staff@2026"
	staffReviewer  = "reviewer01"
	staffAdmin     = "admin0001"
	staffAdmin2    = "admin0002"
	staffPw        = "Console#2026"
)

// staffChordKey is ctrl+alt+s as the terminal reports it (the default chord).
var staffChordKey = tea.KeyMsg{Type: tea.KeyCtrlS, Alt: true}

// staffPasswords are the staff members' passwords.
var staffPasswords = map[string]string{staffCounter: staffCounterPw, staffReviewer: staffPw, staffAdmin: staffPw, staffAdmin2: staffPw}

// staffFixture is newFixture with the staff console wired and staff of
// every role.
func staffFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	hasher := pwhash.New(pwhash.Fast)
	f.deps.Staff = &staffdesk.Desk{Store: f.store, Clock: f.clock, Hasher: hasher, Kiosk: "KIOSK-T1"}
	cli := &staffadmin.Admin{Store: f.store, Clock: f.clock, Hasher: hasher, Kiosk: "KIOSK-T1", Actor: "cli"}
	for _, s := range []struct {
		user, name string
		role       model.StaffRole
	}{{staffReviewer, "李审核", model.StaffReviewer}, {staffAdmin, "张管理", model.StaffAdmin}, {staffAdmin2, "赵管理", model.StaffAdmin}} {
		if _, err := cli.Add(context.Background(), staffadmin.NewStaff{Username: s.user, Name: s.name, Role: s.role, Password: staffPw}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// staffSession logs a staff member in through the use case (for the
// route-guard walk, which needs sessions, not screens).
func (f *fixture) staffSession(user string) model.Session {
	f.t.Helper()
	s, err := f.auth.LoginStaff(context.Background(), user, staffPasswords[user])
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// staffStaff reads a staff member.
func (f *fixture) staffStaff(user string) model.Staff {
	f.t.Helper()
	st, ok := findRecord(f.t, f.store, func(tx model.Tx) (model.Staff, error) { return tx.Staff().ByUsername(user) })
	if !ok {
		f.t.Fatalf("no staff member %s", user)
	}
	return st
}

// staffAuditOf is the newest record of action, and whether there is one.
func (f *fixture) staffAuditOf(action string) (model.AuditRecord, bool) {
	var last model.AuditRecord
	found := false
	for _, r := range f.audit() {
		if r.Action == action {
			last, found = r, true
		}
	}
	return last, found
}

// staffLock locks the fixture's enterprise by five wrong passwords.
func (f *fixture) staffLock() {
	f.t.Helper()
	for i := 0; i < model.MaxFailures; i++ {
		_, _ = f.auth.LoginEnterprise(context.Background(), entAccount, "Wrong#Pass1")
	}
	if _, err := f.auth.LoginEnterprise(context.Background(), entAccount, entPassword); err == nil {
		f.t.Fatal("the enterprise is not locked")
	}
}

// staffDead puts a dead notice SMS to phone in the outbox.
func (f *fixture) staffDead(id, phone string) {
	f.t.Helper()
	now := f.clock.Now()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		m := model.NewOutboundSMS(phone, "密码已修改", model.SMSKindNotice, now)
		m.ID = id
		if err := tx.Outbox().Enqueue(m); err != nil {
			return err
		}
		m.State, m.Attempts, m.LastError = model.OutboxDead, 8, "gave up after 8 attempts: +CMS ERROR: 500"
		return tx.Outbox().Put(m)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// ---- pure tests: a root fed by hand ----

// staffLoginAt feeds the chord and the staff login of user with the
// picture captcha's text, and returns the root.
func staffLoginAt(t *testing.T, f *fixture, user string, w, h int) *Root {
	t.Helper()
	r := newRoot(t, f.deps, w, h)
	staffLoginOn(t, r, user, staffPasswords[user])
	return r
}

// staffLoginOn presses the chord and logs in on r.
func staffLoginOn(t *testing.T, r *Root, user, pw string) {
	t.Helper()
	feed(r, staffChordKey)
	if r.Current() != "staff-login" {
		t.Fatalf("the chord opened %s", r.Current())
	}
	typeRunes(r, user)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, pw)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
}

// staffOpen taps the staff home's tile (a catalog id).
func staffOpen(t *testing.T, r *Root, tile string) {
	t.Helper()
	staffTap(t, r, staff.TileZone(tile))
}

// staffTap presses the left button on a zone as drawn in the last frame.
func staffTap(t *testing.T, r *Root, id string) {
	t.Helper()
	r.View()
	z := r.Zone(id)
	for i := 0; (z == nil || z.IsZero()) && i < 200; i++ {
		time.Sleep(2 * time.Millisecond) // the zone manager works off the event loop
		z = r.Zone(id)
	}
	if z == nil || z.IsZero() {
		t.Fatalf("zone %s not drawn on %s:\n%s", id, r.Current(), ansi.Strip(r.View()))
	}
	feed(r, tea.MouseMsg{X: z.StartX, Y: z.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
}

// staffType types s into the focused field of the screen on show.
func staffType(r *Root, s string) { typeRunes(r, s) }

// staffKeys feeds keys.
func staffKeys(r *Root, keys ...tea.KeyType) {
	for _, k := range keys {
		feed(r, tea.KeyMsg{Type: k})
	}
}

// staffSees fails unless every s is on the screen.
func staffSees(t *testing.T, r *Root, ss ...string) {
	t.Helper()
	v := ansi.Strip(r.View())
	for _, s := range ss {
		if !strings.Contains(v, s) {
			t.Fatalf("%q not on %s:\n%s", s, r.Current(), v)
		}
	}
}

// staffFits fails when a line of the frame is wider than w or the frame
// taller than h.
func staffFits(t *testing.T, r *Root, w, h int) {
	t.Helper()
	v := r.View()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%s: %d lines at %dx%d:\n%s", r.Current(), len(lines), w, h, ansi.Strip(v))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%s: line %d is %d cells wide at %dx%d: %q", r.Current(), i, n, w, h, ansi.Strip(l))
		}
	}
}

// staffAsk is the zone of a console dialog's answer.
func staffAsk(dialog, answer string) string { return dialog + ":" + answer }

// staffButton is the zone of a console button.
func staffButton(row, id string) string { return row + ":" + id }

// staffDesk is the console's use cases of the fixture.
func (f *fixture) staffDesk() *staffdesk.Desk { return f.deps.Staff }
