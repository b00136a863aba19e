package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/screens/kit"
	"kiosk/screens/route"

	accountui "kiosk/screens/account"
	"kiosk/screens/form"
)

// settledZone is the zone id as drawn once the frame has settled (the
// same bounds twice, 50 ms apart).
func (k *kiosk) settledZone(id string) zone.ZoneInfo {
	k.t.Helper()
	var last zone.ZoneInfo
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		z := k.root.Zone(id)
		if z == nil || z.IsZero() {
			continue
		}
		if cur := *z; cur.StartX == last.StartX && cur.StartY == last.StartY && cur.EndX == last.EndX && cur.EndY == last.EndY {
			return cur
		} else {
			last = cur
		}
	}
	k.t.Fatalf("zone %s never settled", id)
	return last
}

// Newcomer finding 8: at 120×40 a form stands in the middle of the body,
// its buttons are boxes three rows high that take a tap anywhere on them,
// and an error that appears moves nothing: not sideways, not up.
func TestJourneyFormCentredBoxedAndSteady(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openRegister()
	next := form.ButtonZone(accountui.RegisterForm, form.ButtonNext)
	name := form.FieldZone(accountui.RegisterForm, account.FieldName)
	first := form.FieldZone(accountui.RegisterForm, account.FieldLegalType)
	btn, field, top := k.settledZone(next), k.settledZone(name), k.settledZone(first)
	if rows := btn.EndY - btn.StartY + 1; rows < 3 {
		t.Errorf("下一步 is %d rows high, want a box of at least 3", rows)
	}
	// Centred: as many blank rows above the form (title and hint
	// included) as under its buttons, give or take a few.
	headH, bodyH := k.root.headerHeight(), 40-k.root.headerHeight()-k.root.footerHeight()
	above := top.StartY - 2 - headH // the title line and a blank above the first field
	below := headH + bodyH - 1 - btn.EndY
	if d := above - below; d < -4 || d > 4 {
		t.Errorf("form not centred: %d rows above, %d below", above, below)
	}
	// A tap on the box's bottom row presses it: every field says why.
	k.tm.Send(tea.MouseMsg{X: btn.StartX + 2, Y: btn.EndY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	k.waitFor(k.text("form.required_choose", "Label", k.text("field.legal_type")))
	// The first field stays where it was; the ones under an error move
	// down by its lines, never sideways.
	if after := k.settledZone(first); after.StartX != top.StartX || after.StartY != top.StartY {
		t.Errorf("法人类型 moved from (%d,%d) to (%d,%d) when the errors appeared",
			top.StartX, top.StartY, after.StartX, after.StartY)
	}
	if after := k.settledZone(name); after.StartX != field.StartX {
		t.Errorf("企业名称 moved sideways from column %d to %d", field.StartX, after.StartX)
	}
	// Focus on a button shows without colour: a double border and ▶ ◀.
	k.key(tea.KeyShiftTab) // from 法人类型 back round to the last button
	k.key(tea.KeyShiftTab)
	r := k.finish()
	v := r.View()
	if !strings.Contains(v, "║ ▶ ") || !strings.Contains(v, " ◀ ║") {
		t.Errorf("the focused button is not marked without colour:\n%s", v)
	}
	if !strings.Contains(v, "╔") {
		t.Errorf("the focused button has no double border:\n%s", v)
	}
}

// 法人类型 is the same control in 注册 and 激活: the same option row, only
// the preset choice differs.
func TestLegalTypeSameInEveryFlow(t *testing.T) {
	row := func(nav tea.Msg) string {
		f := newFixture(t)
		r := newRoot(t, f.deps, 120, 40)
		feed(r, nav)
		for _, l := range strings.Split(r.View(), "\n") {
			if strings.Contains(l, zh("field.legal_type")) {
				l, _, _ = strings.Cut(l, "│") // not the phone panel beside it
				l = strings.ReplaceAll(l, "(*)", "( )")
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), ">"))
			}
		}
		t.Fatalf("no 法人类型 on\n%s", r.View())
		return ""
	}
	reg, act := row(route.Register.Nav(kit.None{})), row(route.Activate.Nav(route.ActivateParams{}))
	if reg != act {
		t.Errorf("法人类型 differs:\n注册 %q\n激活 %q", reg, act)
	}
	for _, id := range legalTypeIDs {
		if !strings.Contains(reg, "( ) "+zh(id)) {
			t.Errorf("%s not a radio option in %q", zh(id), reg)
		}
	}
}

// An error wider than the form (the password refused as weak, on 设置账号)
// does not move the form sideways: before, the block was centred on its
// widest line.
func TestJourneyErrorMovesNothingSideways(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	f.toAccountStep(k, sampleTonghua)
	acct := form.FieldZone(accountui.RegisterForm, account.FieldAccount)
	before := k.settledZone(acct)
	k.fillAccount(newAccount, "P@ssw0rd", "P@ssw0rd")
	k.waitFor("> * " + k.text("field.password"))
	if after := k.settledZone(acct); after.StartX != before.StartX || after.StartY != before.StartY {
		t.Errorf("企业账号 moved from (%d,%d) to (%d,%d) when the refusal appeared",
			before.StartX, before.StartY, after.StartX, after.StartY)
	}
	r := k.finish()
	if got := formOf(t, r).Error(account.FieldPassword); got == "" {
		t.Fatalf("P@ssw0rd accepted:\n%s", r.View())
	}
}

var legalTypeIDs = []string{"legal_type.enterprise", "legal_type.non_enterprise", "legal_type.individual", "legal_type.organization"}

// Newcomer finding 6: for an ID card that never expires (长期有效) the end
// date says 长期, not an empty box with "fills itself in" under it; and it
// is stored as long-term with no end date.
func TestJourneyLongTermEndDateSaysLongTerm(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		f := newFixture(t)
		r := newRoot(t, f.deps, sz[0], sz[1])
		fm := registerToStep2(t, r, sampleTonghua)
		fm.Focus(account.FieldIDPeriod)
		for range 4 { // the fourth option: 长期有效
			feed(r, tea.KeyMsg{Type: tea.KeyRight})
		}
		fm.Focus(account.FieldIDFrom)
		typeInto(r, sampleTonghua.from)
		fm.Focus(account.FieldIDTo)
		v := r.View()
		var line string
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, zh("field.id_to")) {
				line = l
			}
		}
		if !strings.Contains(line, "["+zh("validity.long_end")) {
			t.Errorf("%dx%d: 结束日期 should say 长期: %q\n%s", sz[0], sz[1], line, v)
		}
		if strings.Contains(v, zh("field.id_to_placeholder")) {
			t.Errorf("%dx%d: the placeholder still shows for a long-term card:\n%s", sz[0], sz[1], v)
		}
		doc := accountui.IDDocument(fm.Values())
		if doc.Period != model.ValidityLongTerm || !doc.ValidTo.IsZero() {
			t.Errorf("%dx%d: stored as %+v", sz[0], sz[1], doc)
		}
		// Back to ten years: the date again.
		fm.Focus(account.FieldIDPeriod)
		feed(r, tea.KeyMsg{Type: tea.KeyLeft})
		feed(r, tea.KeyMsg{Type: tea.KeyLeft})
		if v := r.View(); strings.Contains(v, "["+zh("validity.long_end")) || !strings.Contains(v, "2033-11-25") {
			t.Errorf("%dx%d: after 10年 the end date is not back:\n%s", sz[0], sz[1], v)
		}
	}
}
