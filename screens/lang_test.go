package screens

import (
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	accountui "kiosk/screens/account"
	"kiosk/screens/center"
	"kiosk/screens/login"
	"kiosk/screens/route"
)

// Journeys in every interface language: the same keys, the screen in the
// language chosen at the header, and the same records in the store.

// tr is id in l, as the kiosk draws it.
func tr(l i18n.Lang, id string, kv ...any) string { return i18n.Default().Render(l, i18n.T(id, kv...)) }

// chooseLang presses F3 until l is the language of the visit and waits
// for the header to say so.
func (k *kiosk) chooseLang(l i18n.Lang) {
	k.t.Helper()
	if k.lang == l {
		return
	}
	for k.lang != l {
		k.key(tea.KeyF3)
	}
	k.waitFor("["+tr(l, "lang."+string(l))+"]", tr(l, "home.welcome"))
}

// wide is r's frame on a screen wide enough that no sentence of the page
// wraps, so a test can look for a whole sentence.
func wide(r *Root) string {
	r.Update(tea.WindowSizeMsg{Width: 300, Height: 40})
	return r.View()
}

// registerIn registers e from home to the result page in l, keys only.
func (f *fixture) registerIn(k *kiosk, l i18n.Lang, e sampleEnt) {
	k.t.Helper()
	k.chooseLang(l)
	k.clickHome("home.register")
	k.waitFor(tr(l, "register.title"))
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor(tr(l, accountui.RegisterSteps[1]))
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
	k.requestCode()
	k.waitFor(tr(l, "flow.code_sent_to", "Phone", rules.MaskMobile(e.phone)))
	k.typeText(f.deliver(e.phone))
	k.key(tea.KeyEnter)
	k.waitFor(tr(l, accountui.RegisterSteps[2]))
	k.fillAccount(newAccount, newPassword, newPassword)
	k.waitFor(tr(l, "register.face_purpose"))
	k.passFace()
	k.waitFor(tr(l, "register.done"))
}

// rcUSCC is the demo account's (assets/demo/ACCOUNTS.md).
const rcUSCC = "9122012283957419XU"

// enterpriseRecord is what a registration stores, without what differs by
// nature from one run to the next (the id, the password's salt) and with
// times in one zone.
func enterpriseRecord(e model.Enterprise) model.Enterprise {
	e.ID, e.PasswordHash = "", ""
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.LegalRep.ID.ValidFrom, e.LegalRep.ID.ValidTo = e.LegalRep.ID.ValidFrom.UTC(), e.LegalRep.ID.ValidTo.UTC()
	return e
}

func TestJourneyRegisterInEveryLanguage(t *testing.T) {
	var want model.Enterprise
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			k := startKiosk(t, f.deps)
			e := sampleTonghua
			f.registerIn(k, l, e)
			r := k.finish()
			checkRoot(t, r)
			v := wide(r)
			for _, s := range []string{tr(l, "register.done_account", "Account", newAccount), tr(l, "result.to_login")} {
				if !strings.Contains(v, s) {
					t.Errorf("result page lacks %q:\n%s", s, v)
				}
			}
			if l != i18n.Chinese && strings.Contains(v, tr(i18n.Chinese, "register.done_keep")) {
				t.Errorf("Chinese left on the %s result page:\n%s", l, v)
			}
			got, ok := f.enterpriseByUSCC(e.uscc)
			if !ok {
				t.Fatal("nothing stored")
			}
			if err := f.login(newAccount, newPassword); err != nil {
				t.Errorf("the password set in %s does not log in: %v", l, err)
			}
			rec := enterpriseRecord(got)
			if l == i18n.Chinese {
				want = rec
			} else if !reflect.DeepEqual(rec, want) {
				t.Errorf("the %s registration stored\n%+v\nthe Chinese one\n%+v", l, rec, want)
			}
			// The SMS went out in the language of the visit.
			notices := f.notices(e.phone)
			if len(notices) != 1 || !strings.Contains(notices[0].Text, newAccount) {
				t.Fatalf("notices %+v", notices)
			}
			if sent := notices[0].Text; !strings.Contains(sent, tr(l, "notice.registered", "Account", newAccount)) {
				t.Errorf("the notice is not in %s: %q", l, sent)
			}
		})
	}
}

// forgotIn resets the demo account's password from home in l.
func (f *fixture) forgotIn(k *kiosk, l i18n.Lang, newPassword string) {
	k.t.Helper()
	k.chooseLang(l)
	k.clickHome("home.forgot")
	k.waitFor(tr(l, "forgot.title"))
	k.forgotConfirm(rcAccount, rcRep, rcID, captchaText)
	k.waitFor(rcMasked)
	k.smsStep(f, rcPhone, rcMasked)
	k.waitFor(tr(l, accountui.ForgotSteps[2]))
	k.passwords(newPassword, newPassword)
	k.waitFor(tr(l, "forgot.done"))
}

func TestJourneyForgotInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			before := enterpriseRecord(f.enterprise(rcUSCC))
			k := startKiosk(t, f.deps)
			f.forgotIn(k, l, rcNewPass)
			r := k.finish()
			checkRoot(t, r)
			v := wide(r)
			if !strings.Contains(v, tr(l, "forgot.done_account", "Account", rcAccount)) {
				t.Errorf("result page in %s:\n%s", l, v)
			}
			if err := f.login(rcAccount, rcNewPass); err != nil {
				t.Fatalf("the new password does not log in: %v", err)
			}
			// The same record as a Chinese reset leaves: only the password
			// (and the session epoch, times) moved.
			after := enterpriseRecord(f.enterprise(rcUSCC))
			after.SessionEpoch, after.UpdatedAt = before.SessionEpoch, before.UpdatedAt
			if !reflect.DeepEqual(after, before) {
				t.Errorf("the %s reset changed more than the password:\n%+v\n%+v", l, after, before)
			}
			if n := f.auditCount(account.AuditReset, "ok"); n != 1 {
				t.Errorf("%d password.reset records", n)
			}
			notices := f.notices(rcPhone)
			if len(notices) != 1 || !strings.Contains(notices[0].Text, tr(l, "notice.password_reset", "Account", rcAccount)) {
				t.Errorf("the notice is not in %s: %+v", l, notices)
			}
		})
	}
}

// Switching language mid-flow keeps every value typed and every choice
// made, and the page shows in the new language.
func TestSwitchLanguageKeepsValues(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.fillToCode(e)
	k.typeText("12")
	k.waitFor("[12")
	for _, l := range []i18n.Lang{i18n.Korean, i18n.English, i18n.Chinese} {
		k.key(tea.KeyF3)
		k.waitFor("["+tr(l, "lang."+string(l))+"]", tr(l, accountui.RegisterSteps[1]))
	}
	k.key(tea.KeyF3) // and on in Korean
	k.waitFor(tr(i18n.Korean, "field.sms_code"))
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 1 {
		t.Fatalf("at step %d", fm.Step())
	}
	for key, want := range map[string]string{
		account.FieldName: e.name, account.FieldUSCC: e.uscc, account.FieldRepName: e.rep,
		account.FieldIDNumber: e.id, account.FieldIDFrom: e.from, account.FieldPhone: e.phone,
		account.FieldSMSCode: "12", account.FieldIDPeriod: string(model.Validity10Years),
	} {
		if got := fm.Value(key); got != want {
			t.Errorf("%s = %q after switching, want %q", key, got, want)
		}
	}
	if r.app.Lang() != i18n.Korean || !strings.Contains(r.View(), tr(i18n.Korean, "field.rep_name")) {
		t.Errorf("not in Korean:\n%s", r.View())
	}
}

// The language lasts for the visit: idle and logout bring the next visitor
// the hall's language.
func TestLanguageEndsWithTheVisit(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Language = i18n.English // this hall speaks English by default
	k := startKiosk(t, d)     // waits for the English welcome
	k.chooseLang(i18n.Korean) // EN → 中文 → 조선어
	k.openEnterpriseLogin()   // waits for the Korean 图片验证码 label
	k.idle(f.clock, tr(i18n.English, "home.welcome"))
	r := k.finish()
	if r.app.Lang() != i18n.English {
		t.Fatalf("after idle the language is %s", r.app.Lang())
	}
	// Logging out does the same.
	f2 := newFixture(t)
	k = startKiosk(t, f2.deps)
	k.chooseLang(i18n.English)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(tr(i18n.English, "center.enterprise_title"))
	k.click(center.Logout)
	k.waitFor(tr(i18n.Chinese, "home.welcome"))
	if r := k.finish(); r.app.Lang() != i18n.Chinese || r.Current() != route.Home.ID() {
		t.Fatalf("after logout: %s at %s", r.app.Lang(), r.Current())
	}
}

// Tapping the header's button cycles the languages too.
func TestLanguageButtonByTouch(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.click(LangToggle)
	k.waitFor("[조선어]", tr(i18n.Korean, "home.welcome"))
	k.click(LangToggle)
	k.waitFor("[EN]", tr(i18n.English, "home.welcome"))
	if r := k.finish(); r.app.Lang() != i18n.English {
		t.Fatalf("language %s", r.app.Lang())
	}
}

// Refusals are said in the language of the visit, values included.
func TestRefusalInTheLanguageOfTheVisit(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.chooseLang(i18n.English)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, "Wrong#2024")
	k.waitFor(tr(i18n.English, "error.bad_credentials"))
	r := k.finish()
	if fm := formOf(t, r); fm.Value(login.FieldIdentifier) != entAccount {
		t.Errorf("identifier lost: %q", fm.Value(login.FieldIdentifier))
	}
}
