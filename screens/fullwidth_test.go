package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/width"

	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/form"
)

// fullWidth is what a Chinese input method types for s.
func fullWidth(s string) string { return width.Widen.String(s) }

// Issue 10, item 5: identifiers typed by a Chinese input method in full
// width are accepted and shown as the rules read them. A lower-case USCC
// shows in upper case at step 1; a full-width ID number, start date and
// mobile at step 2 show in half width and the step is accepted.
func TestJourneyRegisterFullWidth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.key(tea.KeyRight) // 企业法人
	k.key(tea.KeyTab)
	k.typeFields(e.name)
	k.typeText(strings.ToLower(e.uscc))
	k.waitFor("[" + e.uscc)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("field.rep_name"))
	k.fillRep(e.rep, fullWidth(e.id), e.period, fullWidth(e.from), fullWidth(e.phone))
	k.waitFor("["+e.id, "["+e.from, "["+e.phone)
	f.answerCode(k, e.phone) // on to step 3: step 2 was accepted
	r := k.finish()
	fm := formOf(t, r)
	for key, want := range map[string]string{account.FieldUSCC: e.uscc, account.FieldIDNumber: e.id,
		account.FieldIDFrom: e.from, account.FieldPhone: e.phone} {
		if got := fm.Value(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

// Issue 10, item 7: P@ssw0rd is refused next to the field, with the
// meter under it showing 弱, and nothing is registered.
func TestJourneyRegisterWeakPasswordMeter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleQijin
	f.toAccountStep(k, e)
	k.typeFields(newAccount)
	k.typeText("P@ssw0rd")
	k.waitFor(k.text("form.strength_weak") + " ▮▯▯▯")
	k.key(tea.KeyTab)
	k.typeText("P@ssw0rd")
	k.key(tea.KeyEnter)
	want := zht(form.ErrorText(rules.CheckPassword("P@ssw0rd", newAccount)))
	if want != zh("rule.password_weak") {
		t.Fatalf("P@ssw0rd refused as %q", want)
	}
	k.waitFor(want)
	r := k.finish()
	fm := formOf(t, r)
	if got := fm.Error(account.FieldPassword); got != want {
		t.Fatalf("password error %q, want %q", got, want)
	}
	if fm.Step() != 2 || !flowOf(t, r).OnForm() {
		t.Fatalf("went on to step %d / on the form %v", fm.Step(), flowOf(t, r).OnForm())
	}
	f.noRegistration(e.uscc)
}
