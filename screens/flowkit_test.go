package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/form"
)

// Pure tests of the account flows' shared glue (flowkit.go).

func kitForm(a *app) *form.Form {
	return form.New(form.Config{ID: "kit", Styles: a.st, Keys: a.keys, Steps: []form.Step{
		{Title: "一", Fields: []form.Field{{Key: account.FieldName, Label: "企业名称"}, {Key: account.FieldUSCC, Label: "代码"}}},
		{Title: "二", Fields: append(a.idCardFields(), phoneFields()...)},
	}})
}

func fieldErrs(m map[string]string) *account.FieldErrors { return &account.FieldErrors{Fields: m} }

func TestShowAccountError(t *testing.T) {
	storeDown := errors.New("bolt: database not open")
	cases := []struct {
		name      string
		err       error
		fields    map[string]string
		formError string
		step      int
	}{
		{name: "field", err: fieldErrs(map[string]string{account.FieldUSCC: "代码错"}),
			fields: map[string]string{account.FieldUSCC: "代码错"}},
		{name: "form key", err: fieldErrs(map[string]string{account.FieldForm: "人脸核验结果无效"}), formError: "人脸核验结果无效"},
		{name: "key the form lacks goes above the buttons",
			err: fieldErrs(map[string]string{account.FieldAccount: "该账号已被使用"}), formError: "该账号已被使用"},
		{name: "error on a later step switches to it",
			err: fieldErrs(map[string]string{account.FieldSMSCode: "验证码错误"}), fields: map[string]string{account.FieldSMSCode: "验证码错误"}, step: 1},
		{name: "joined checks show both",
			err:    errors.Join(fieldErrs(map[string]string{account.FieldName: "甲"}), fieldErrs(map[string]string{account.FieldUSCC: "乙"})),
			fields: map[string]string{account.FieldName: "甲", account.FieldUSCC: "乙"}},
		{name: "wrapped", err: fmt.Errorf("step: %w", fieldErrs(map[string]string{account.FieldName: "甲"})),
			fields: map[string]string{account.FieldName: "甲"}},
		{name: "system failure", err: storeDown, formError: model.UserMessage(storeDown)},
	}
	r := newRoot(t, Deps{}, 120, 40)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := kitForm(r.app)
			f.SetFormError("old")
			showAccountError(f, c.err)
			if got := f.FormError(); got != c.formError {
				t.Errorf("form error %q, want %q", got, c.formError)
			}
			got := f.Errors()
			if len(got) != len(c.fields) {
				t.Errorf("field errors %v, want %v", got, c.fields)
			}
			for k, v := range c.fields {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
			if f.Step() != c.step {
				t.Errorf("at step %d, want %d", f.Step(), c.step)
			}
			m := accountErrorMap(c.err)
			if len(m) == 0 {
				t.Errorf("accountErrorMap(%v) is empty: the step would advance", c.err)
			}
		})
	}
	if accountErrorMap(nil) != nil {
		t.Error("no error must advance")
	}
}

// handleCodeSent: the note and the countdown after a send; a refused
// early resend runs the countdown for the time left.
func TestHandleCodeSent(t *testing.T) {
	f := newRegFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	a := r.app
	fm := kitForm(a)
	phone := sampleTonghua.phone
	send := func() codeSent {
		var m codeSent
		for _, msg := range collect(a.sendCodeCmd("kit", account.FieldSMSCode, maskedPhone(phone), func(ctx context.Context) (time.Time, error) {
			return f.svc.SendRegisterCode(ctx, phone)
		})) {
			if cs, ok := msg.(codeSent); ok {
				m = cs
			}
		}
		return m
	}
	m := send()
	if m.err != nil || m.masked != "187****2385" {
		t.Fatalf("send: %+v", m)
	}
	cmd := a.handleCodeSent(fm, m)
	if fm.Countdown(account.FieldSMSCode) != form.SMSResend || cmd == nil {
		t.Fatalf("countdown %d", fm.Countdown(account.FieldSMSCode))
	}
	fm.Focus(account.FieldSMSCode)
	if v := fm.View(); !strings.Contains(v, "验证码已发送至 187****2385") || strings.Contains(v, phone) {
		t.Fatalf("note:\n%s", v)
	}

	f.clock.Add(15 * time.Second)
	fm.StopCountdown(account.FieldSMSCode)
	m = send()
	if m.err == nil {
		t.Fatal("a resend after 15 s was accepted")
	}
	a.handleCodeSent(fm, m)
	if n := fm.Countdown(account.FieldSMSCode); n != 45 {
		t.Fatalf("countdown %d, want the 45 s left", n)
	}
	if got := fm.Error(account.FieldSMSCode); got != "发送过于频繁，请45秒后再试" {
		t.Fatalf("error %q", got)
	}
	if v := fm.View(); strings.Contains(v, "验证码已发送至") {
		t.Fatal("the sent note outlived the refusal")
	}
	if a.handleCodeSent(fm, codeSent{form: "other"}) != nil {
		t.Fatal("another form's answer was taken")
	}
}

func TestFaceVerifiedEvidence(t *testing.T) {
	at := regNow
	for _, c := range []struct {
		name   string
		sim    bool
		res    face.Result
		staff  string
		method string
		ref    string
	}{
		{"authority", false, face.ResultFor(face.Match, 0.93), "", model.FaceHTTP, ""},
		{"demo", true, face.ResultFor(face.Match, 1), "", model.FaceDemo, ""},
		{"counter", true, face.ResultFor(face.Counter, 1), "counter01", model.FaceCounter, "counter01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRoot(t, Deps{Clock: &fakeClock{t: at}, Face: &stubFace{sim: c.sim}}, 120, 40)
			s := newFaceStep(r.app, FaceParams{Name: faceName, IDNumber: faceID})
			s.staffBy = c.staff
			var got *FaceVerified
			for _, m := range collect(s.pass(c.res)) {
				if v, ok := m.(FaceVerified); ok {
					got = &v
				}
			}
			if got == nil {
				t.Fatal("no FaceVerified")
			}
			ev := faceEvidence(*got)
			want := model.FaceEvidence{Method: c.method, Score: c.res.Score, Ref: c.ref, At: at}
			if ev != want {
				t.Fatalf("evidence %+v, want %+v", ev, want)
			}
		})
	}
}

func TestSyncValidityAndIDDocument(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	cases := []struct {
		period, from, typedEnd string
		wantEnd                string
		want                   model.ValidityPeriod
	}{
		{"10年", "2023-11-25", "", "2033-11-25", model.Validity10Years},
		{"5年", "2016-02-29", "", "2021-02-28", model.Validity5Years}, // no 29 Feb that year
		{"20年", "2013-10-25", "1999-01-01", "2033-10-25", model.Validity20Years},
		{"长期有效", "2022-08-04", "2030-01-01", "", model.ValidityLongTerm}, // typed end is dropped
		{"", "2022-08-04", "2030-01-01", "", ""},
		{"10年", "2023-13-01", "", "", model.Validity10Years}, // no such date
	}
	for _, c := range cases {
		fm := kitForm(r.app)
		presetIDCard(fm)
		fm.SetValue(account.FieldIDPeriod, c.period)
		fm.SetValue(account.FieldIDFrom, c.from)
		fm.SetValue(account.FieldIDTo, c.typedEnd)
		syncValidity(fm)
		if got := fm.Value(account.FieldIDTo); got != c.wantEnd {
			t.Errorf("%s from %s: end %q, want %q", c.period, c.from, got, c.wantEnd)
		}
		d := idDocument(fm.Values())
		if d.Type != model.IDTypeResident || d.Period != c.want {
			t.Errorf("%s: document %+v", c.period, d)
		}
		if (c.wantEnd == "") != d.ValidTo.IsZero() {
			t.Errorf("%s: ValidTo %v for end %q", c.period, d.ValidTo, c.wantEnd)
		}
	}
}

// FuzzIDCardValues: whatever is typed into the validity fields, the
// derived end date is empty or exactly what the period implies, and the
// document built from the values agrees with what is shown.
func FuzzIDCardValues(f *testing.F) {
	f.Add(1, "2023-11-25", "")
	f.Add(3, "2000-02-29", "2020-02-29")
	f.Add(4, "2022-08-04", "2030-01-01")
	f.Add(0, "0000-01-01", "")
	f.Add(2, "9999-12-31", "x")
	f.Add(-1, "2023-1-5", "\x1b[2J")
	r := New(Deps{})
	defer r.Close()
	f.Fuzz(func(t *testing.T, period int, from, typedEnd string) {
		fm := kitForm(r.app)
		label := ""
		if period >= 0 && period < len(validityOptions) {
			label = validityOptions[period]
		}
		fm.SetValue(account.FieldIDPeriod, label)
		fm.SetValue(account.FieldIDFrom, from)
		fm.SetValue(account.FieldIDTo, typedEnd)
		syncValidity(fm)
		end := fm.Value(account.FieldIDTo)
		d := idDocument(fm.Values())
		if end == "" {
			if !d.ValidTo.IsZero() {
				t.Fatalf("empty end but ValidTo %v", d.ValidTo)
			}
			return
		}
		start, err := time.Parse(form.DateLayout, fm.Value(account.FieldIDFrom))
		if err != nil {
			t.Fatalf("end %q derived from an unparsable start %q", end, fm.Value(account.FieldIDFrom))
		}
		if want := rules.ValidityEnd(start, validityPeriod(label)).Format(form.DateLayout); end != want {
			t.Fatalf("end %q, want %q", end, want)
		}
		if d.ValidTo.Format(form.DateLayout) != end || d.Period != validityPeriod(label) {
			t.Fatalf("document %+v for end %q", d, end)
		}
	})
}

// Both registrations fit the minimum terminal with an error under every
// field of their tallest step.
func TestRegisterFitsAt80x24(t *testing.T) {
	for _, c := range []struct {
		id     ScreenID
		before func(fl *regFlow)
	}{
		{ScreenRegister, func(fl *regFlow) {
			fl.form.SetValue(account.FieldLegalType, "企业法人")
			fl.form.SetValue(account.FieldName, sampleTonghua.name)
			fl.form.SetValue(account.FieldUSCC, sampleTonghua.uscc)
			fl.form.Focus(account.FieldUSCC)
		}},
		{ScreenPersonRegister, nil},
	} {
		f := newRegFixture(t)
		d := f.deps
		d.Phone = nil
		r := newRoot(t, d, 80, 24)
		feed(r, Navigate{To: c.id})
		fl := r.cur.(*regFlow)
		if c.before != nil {
			c.before(fl)
			feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // to step 2
		}
		fl.form.SetValue(fieldIDType, "")
		fl.form.Validate() // every field empty: an error under each
		fl.form.SetFormError("短信验证已超时，请重新获取验证码")
		v := r.View()
		lines := strings.Split(v, "\n")
		if len(lines) != 24 {
			t.Errorf("%s: %d lines", c.id, len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w != 80 {
				t.Errorf("%s line %d: %d cells", c.id, i, w)
			}
		}
		if !strings.Contains(v, "[ 下一步 ]") || !strings.Contains(v, "请输入短信验证码") {
			t.Errorf("%s: cut off at 80×24:\n%s", c.id, v)
		}
	}
}
