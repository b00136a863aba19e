package account_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// entChgLogin logs the demo enterprise demo_corp01 in.
func (f *fixture) entChgLogin() model.Session {
	f.t.Helper()
	s, err := f.auth.LoginEnterprise(context.Background(), activeAccount, demoPw)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// entChgRegistry is the registry's record of uscc.
func (f *fixture) entChgRegistry(uscc string) model.RegistryRecord {
	f.t.Helper()
	var rec model.RegistryRecord
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		rec, err = tx.Registry().Get(uscc)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return rec
}

// entChgSetRegistry stores rec as the registry's record: the registry
// changed (the enterprise registered a change at the market regulator).
func (f *fixture) entChgSetRegistry(rec model.RegistryRecord) {
	f.t.Helper()
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Registry().Put(rec) }); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) entChgActive() model.Enterprise {
	f.t.Helper()
	e, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// entChgOf is the change that types exactly the registry's record.
func entChgOf(rec model.RegistryRecord) account.EnterpriseChange {
	return account.EnterpriseChange{LegalType: rec.LegalType, Name: rec.Name, Extended: rec.Extended}
}

// entChgNothingChanged checks that the record, the notices and the
// successful audit records are as before a refusal.
func (f *fixture) entChgNothingChanged(before model.Enterprise) {
	f.t.Helper()
	if after := f.entChgActive(); !reflect.DeepEqual(after, before) {
		f.t.Errorf("the record changed after a refusal:\n got %+v\nwant %+v", after, before)
	}
	if n := len(f.notices(activePhone)); n != 0 {
		f.t.Errorf("%d notices after a refusal", n)
	}
	for _, r := range f.auditFor(account.AuditChangeEnterprise) {
		if r.Outcome == "ok" {
			f.t.Errorf("an ok audit record after a refusal: %+v", r)
		}
	}
}

// EnterpriseForChange reads the USCC and the record's fields; the use case
// of the enterprise only.
func TestEnterpriseForChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	got, err := f.svc.EnterpriseForChange(ctx, f.entChgLogin())
	if err != nil {
		t.Fatal(err)
	}
	e := f.entChgActive()
	if got.USCC != activeUSCC || got.Current.Name != e.Name || got.Current.LegalType != e.LegalType ||
		!reflect.DeepEqual(got.Current.Extended, e.Extended) {
		t.Fatalf("EnterpriseForChange = %+v, record %+v", got, e)
	}
	_, ags := f.agentsOf(activeUSCC)
	admin := ags[model.AgentValid]
	if _, err := f.svc.EnterpriseForChange(ctx, agentSession(e, admin)); !errors.Is(err, model.ErrNotPermitted) {
		t.Errorf("agent: %v, want ErrNotPermitted", err)
	}
	if _, err := f.svc.EnterpriseForChange(ctx, model.Session{}); !errors.Is(err, model.ErrNotPermitted) {
		t.Errorf("nobody: %v, want ErrNotPermitted", err)
	}
}

// The registry changed the name, the address and the capital; the
// enterprise types them (the address with a full-width number, as a Chinese
// input method gives it): saved with the registry's spelling, one audit
// record with before and after of the three fields only, one notice to the
// reserved phone; the login goes on.
func TestChangeEnterpriseSaved(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entChgLogin()
	old := f.entChgActive()
	rec := f.entChgRegistry(activeUSCC)
	rec.Name = "长春澜益现代农业科技有限公司"
	rec.Extended.RegisteredAddress = "吉林省长春市农安县兴业大路300号"
	rec.Extended.RegisteredCapital = "3000万元人民币"
	f.entChgSetRegistry(rec)

	in := entChgOf(rec)
	in.Extended.RegisteredAddress = " 吉林省长春市农安县兴业大路３００号 "
	done, err := f.svc.ChangeEnterprise(ctx, who, in)
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{account.FieldName, account.FieldRegisteredAddress, account.FieldRegisteredCapital}
	if done.Name != rec.Name || !reflect.DeepEqual(done.Fields, wantKeys) || done.MaskedPhone != rules.MaskMobile(activePhone) {
		t.Errorf("done %+v", done)
	}
	e := f.entChgActive()
	if e.Name != rec.Name || e.Extended != rec.Extended || e.LegalType != rec.LegalType || e.USCC != activeUSCC {
		t.Errorf("record %+v, want the registry's %+v", e, rec)
	}
	if e.Account != old.Account || e.Phone != old.Phone || e.PasswordHash != old.PasswordHash ||
		e.SessionEpoch != old.SessionEpoch || !reflect.DeepEqual(e.LegalRep, old.LegalRep) || !e.UpdatedAt.Equal(f.clk.Now()) {
		t.Errorf("the change touched more than it should: %+v", e)
	}
	// The index still finds it, by USCC and by account.
	if byAcct, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil || byAcct.EnterpriseID != e.ID {
		t.Errorf("login after the change: %+v, %v", byAcct, err)
	}
	if _, err := f.auth.EnterpriseView(ctx, who); err != nil {
		t.Errorf("the login ended with the change: %v", err)
	}

	recs := f.auditFor(account.AuditChangeEnterprise)
	if len(recs) != 1 || recs[0].Outcome != "ok" || recs[0].Actor != "enterprise:"+e.ID || recs[0].Subject != e.ID ||
		recs[0].Kiosk != "K-07" {
		t.Fatalf("audit %+v", recs)
	}
	r := recs[0]
	if r.Detail != "fields=name,registered_address,registered_capital" {
		t.Errorf("detail %q", r.Detail)
	}
	changes, err := account.ChangesOf(r)
	if err != nil {
		t.Fatal(err)
	}
	want := []account.FieldChange{
		{Field: account.FieldName, Before: old.Name, After: rec.Name},
		{Field: account.FieldRegisteredAddress, Before: old.Extended.RegisteredAddress, After: rec.Extended.RegisteredAddress},
		{Field: account.FieldRegisteredCapital, Before: old.Extended.RegisteredCapital, After: rec.Extended.RegisteredCapital},
	}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("before/after %+v, want %+v", changes, want)
	}
	for _, v := range []string{old.Name, rec.Name, "兴业大路"} {
		if strings.Contains(r.Detail, v) {
			t.Errorf("the detail %q holds a value", r.Detail)
		}
	}
	ns := f.notices(activePhone)
	if len(ns) != 1 || !strings.Contains(ns[0].Text, activeAccount) {
		t.Fatalf("notices %+v", ns)
	}

	// 变更 again with the same values: nothing left to change.
	_, err = f.svc.ChangeEnterprise(ctx, who, in)
	wantField(t, err, account.FieldForm, "enterprise_unchanged", model.ErrEnterpriseUnchanged)
}

// A date the registry changed is saved as a calendar date, whatever the
// time zone it comes in.
func TestChangeEnterpriseDate(t *testing.T) {
	f := newFixture(t)
	who := f.entChgLogin()
	rec := f.entChgRegistry(activeUSCC)
	old := rec.Extended.ApprovalDate
	rec.Extended.ApprovalDate = date(2025, 6, 30)
	f.entChgSetRegistry(rec)
	in := entChgOf(rec)
	in.Extended.ApprovalDate = time.Date(2025, 6, 30, 0, 0, 0, 0, cst) // midnight in Beijing is the day before in UTC
	if _, err := f.svc.ChangeEnterprise(context.Background(), who, in); err != nil {
		t.Fatal(err)
	}
	if got := f.entChgActive().Extended.ApprovalDate; !got.Equal(date(2025, 6, 30)) {
		t.Errorf("approval date %v", got)
	}
	changes, _ := account.ChangesOf(f.auditFor(account.AuditChangeEnterprise)[0])
	if len(changes) != 1 || changes[0] != (account.FieldChange{Field: account.FieldApprovalDate,
		Before: old.Format("2006-01-02"), After: "2025-06-30"}) {
		t.Errorf("before/after %+v", changes)
	}
}

// Each field that differs from the registry is refused on its own field,
// with the refusal as a whole above the buttons naming it and the appeal;
// nothing is saved; the look-up is audited.
func TestChangeEnterpriseMismatchEachField(t *testing.T) {
	other := date(2019, 3, 4)
	cases := []struct {
		key    string
		change func(*account.EnterpriseChange)
	}{
		{account.FieldLegalType, func(c *account.EnterpriseChange) { c.LegalType = "非企业法人" }},
		{account.FieldName, func(c *account.EnterpriseChange) { c.Name = "长春澜益农业科技股份有限公司" }},
		{account.FieldRegisteredAddress, func(c *account.EnterpriseChange) { c.Extended.RegisteredAddress += "A座" }},
		{account.FieldRegisteredCapital, func(c *account.EnterpriseChange) { c.Extended.RegisteredCapital = "1万元人民币" }},
		{account.FieldRegisteredDate, func(c *account.EnterpriseChange) { c.Extended.RegisteredDate = other }},
		{account.FieldBusinessScope, func(c *account.EnterpriseChange) { c.Extended.BusinessScope += "；林木育苗" }},
		{account.FieldCodeType, func(c *account.EnterpriseChange) { c.Extended.CodeType = "组织机构代码" }},
		{account.FieldIndustry, func(c *account.EnterpriseChange) { c.Extended.Industry = "制造业" }},
		{account.FieldApprovalDate, func(c *account.EnterpriseChange) { c.Extended.ApprovalDate = other }},
		{account.FieldApprovalAuthority, func(c *account.EnterpriseChange) { c.Extended.ApprovalAuthority = "长春市市场监督管理局" }},
		{account.FieldRegistryStatus, func(c *account.EnterpriseChange) { c.Extended.RegistryStatus = "注销" }},
		{account.FieldEstablishedDate, func(c *account.EnterpriseChange) { c.Extended.EstablishedDate = other }},
		{account.FieldElectronicLicense, func(c *account.EnterpriseChange) { c.Extended.ElectronicLicense = "22012250289606800000" }},
	}
	if len(cases) != len(account.ChangeKeys()) {
		t.Fatalf("%d cases for %d fields", len(cases), len(account.ChangeKeys()))
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			f := newFixture(t)
			who := f.entChgLogin()
			before := f.entChgActive()
			in := entChgOf(f.entChgRegistry(activeUSCC))
			c.change(&in)
			_, err := f.svc.ChangeEnterprise(context.Background(), who, in)
			wantField(t, err, c.key, "registry_mismatch", model.ErrRegistryMismatch)
			wantField(t, err, account.FieldForm, "change_mismatch", nil)
			var fe *account.FieldErrors
			errors.As(err, &fe)
			if keys := fe.Keys(); len(keys) != 2 || keys[0] != c.key {
				t.Errorf("refused fields %v, want %s and the form", keys, c.key)
			}
			var m *model.ChangeMismatchError
			if !errors.As(err, &m) || !reflect.DeepEqual(m.Keys, []string{c.key}) {
				t.Fatalf("ChangeMismatchError %+v", m)
			}
			label := zh(m.Labels[0])
			if label == "" || strings.Contains(label, "⟦") || !strings.Contains(zh(fe.Fields[account.FieldForm]), label) ||
				!strings.Contains(zh(fe.Fields[account.FieldForm]), "修改企业信息申诉") {
				t.Errorf("the sentence %q does not name %q and the appeal", zh(fe.Fields[account.FieldForm]), label)
			}
			f.entChgNothingChanged(before)
			recs := f.auditFor(account.AuditChangeEnterprise)
			if len(recs) != 1 || recs[0].Outcome != "mismatch" || recs[0].Detail != "fields="+c.key || recs[0].Change != "" {
				t.Errorf("audit %+v", recs)
			}
		})
	}
}

// Several fields differ: each is refused, and the sentence names the
// topmost and how many.
func TestChangeEnterpriseMismatchSeveral(t *testing.T) {
	f := newFixture(t)
	in := entChgOf(f.entChgRegistry(activeUSCC))
	in.Extended.Industry = "制造业"
	in.Name = "长春澜益农业科技股份有限公司"
	_, err := f.svc.ChangeEnterprise(context.Background(), f.entChgLogin(), in)
	wantField(t, err, account.FieldName, "registry_mismatch", model.ErrRegistryMismatch)
	wantField(t, err, account.FieldIndustry, "registry_mismatch", model.ErrRegistryMismatch)
	var m *model.ChangeMismatchError
	if !errors.As(err, &m) || !reflect.DeepEqual(m.Keys, []string{account.FieldName, account.FieldIndustry}) {
		t.Fatalf("ChangeMismatchError %+v", m)
	}
	var fe *account.FieldErrors
	errors.As(err, &fe)
	if got := zh(fe.Fields[account.FieldForm]); !strings.Contains(got, "企业名称") || !strings.Contains(got, "2") {
		t.Errorf("the sentence %q", got)
	}
}

// A USCC the registry does not know: refused on the USCC (shown, not
// editable), with the way to the appeal.
func TestChangeEnterpriseNotInRegistry(t *testing.T) {
	f := newFixture(t)
	s := *f.svc
	s.Registry = entChgNoRegistry{}
	before := f.entChgActive()
	in := entChgOf(f.entChgRegistry(activeUSCC))
	in.Extended.Industry = "制造业"
	_, err := s.ChangeEnterprise(context.Background(), f.entChgLogin(), in)
	wantField(t, err, account.FieldUSCC, "registry_mismatch", model.ErrRegistryMismatch)
	var m *model.ChangeMismatchError
	if !errors.As(err, &m) || !reflect.DeepEqual(m.Keys, []string{account.FieldUSCC}) {
		t.Fatalf("ChangeMismatchError %+v", m)
	}
	f.entChgNothingChanged(before)
}

type entChgNoRegistry struct{}

func (entChgNoRegistry) LookupUSCC(context.Context, string) (model.RegistryRecord, error) {
	return model.RegistryRecord{}, model.ErrNotFound
}

// A registry that does not answer is a failure of the system, not a
// refusal: nothing is saved or audited.
func TestChangeEnterpriseRegistryDown(t *testing.T) {
	f := newFixture(t)
	s := *f.svc
	down := errors.New("registry: connection refused")
	s.Registry = entChgBrokenRegistry{down}
	before := f.entChgActive()
	in := entChgOf(f.entChgRegistry(activeUSCC))
	in.Extended.Industry = "制造业"
	_, err := s.ChangeEnterprise(context.Background(), f.entChgLogin(), in)
	var fe *account.FieldErrors
	if !errors.Is(err, down) || errors.As(err, &fe) {
		t.Fatalf("err %v, want the registry's failure", err)
	}
	f.entChgNothingChanged(before)
	if n := len(f.auditFor(account.AuditChangeEnterprise)); n != 0 {
		t.Errorf("%d audit records", n)
	}
}

type entChgBrokenRegistry struct{ err error }

func (r entChgBrokenRegistry) LookupUSCC(context.Context, string) (model.RegistryRecord, error) {
	return model.RegistryRecord{}, r.err
}

// 变更 with the record's values, as stored or typed with other spaces and
// widths: a clear sentence, no look-up, nothing written.
func TestChangeEnterpriseNothingChanged(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entChgLogin()
	before := f.entChgActive()
	start, err := f.svc.EnterpriseForChange(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	typed := start.Current
	typed.Name = " " + typed.Name + " "
	typed.Extended.RegisteredCapital = strings.ReplaceAll(typed.Extended.RegisteredCapital, "2000", "２０００")
	for name, in := range map[string]account.EnterpriseChange{"as stored": start.Current, "retyped": typed} {
		_, err := f.svc.ChangeEnterprise(ctx, who, in)
		wantField(t, err, account.FieldForm, "enterprise_unchanged", model.ErrEnterpriseUnchanged)
		if got := zh(model.UserMessage(err)); !strings.Contains(got, "未作任何修改") {
			t.Errorf("%s: sentence %q", name, got)
		}
	}
	f.entChgNothingChanged(before)
	if n := len(f.auditFor(account.AuditChangeEnterprise)); n != 0 {
		t.Errorf("%d audit records for no change", n)
	}
}

// Only the enterprise may change its information: an agent (even an admin
// agent), a staff login and nobody are refused; an ended login too.
func TestChangeEnterpriseWho(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := f.entChgActive()
	in := entChgOf(f.entChgRegistry(activeUSCC))
	in.Extended.Industry = "制造业"
	_, ags := f.agentsOf(activeUSCC)
	for name, who := range map[string]model.Session{
		"admin agent": agentSession(before, ags[model.AgentValid]),
		"staff":       {Kind: model.SessionStaff, StaffID: "s1"},
		"nobody":      {},
	} {
		if _, err := f.svc.ChangeEnterprise(ctx, who, in); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s: %v, want ErrNotPermitted", name, err)
		}
	}
	// The password changed at another kiosk: this login has ended.
	here, elsewhere := f.entChgLogin(), f.entChgLogin()
	if _, err := f.svc.ChangePassword(ctx, elsewhere, demoPw, newPw); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ChangeEnterprise(ctx, here, in); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("ended login: %v, want ErrSessionEnded", err)
	}
	if _, err := f.svc.EnterpriseForChange(ctx, here); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("ended login reads: %v, want ErrSessionEnded", err)
	}
	if e := f.entChgActive(); e.Name != before.Name || e.Extended != before.Extended {
		t.Errorf("changed by a refused login: %+v", e)
	}
	if n := len(f.auditFor(account.AuditChangeEnterprise)); n != 0 {
		t.Errorf("%d audit records", n)
	}
}

// Each field is checked alone before anything is looked up: dates real and
// not in the future, texts drawable and within the registry's columns, the
// legal type one of the list, the name valid.
func TestChangeEnterpriseFieldRefusals(t *testing.T) {
	f := newFixture(t)
	who := f.entChgLogin()
	base := entChgOf(f.entChgRegistry(activeUSCC))
	today := f.clk.Now()
	cases := []struct {
		name, key, code string
		change          func(*account.EnterpriseChange)
	}{
		{"registration date tomorrow", account.FieldRegisteredDate, "date_future",
			func(c *account.EnterpriseChange) { c.Extended.RegisteredDate = today.AddDate(0, 0, 1) }},
		{"approval date next year", account.FieldApprovalDate, "date_future",
			func(c *account.EnterpriseChange) { c.Extended.ApprovalDate = today.AddDate(1, 0, 0) }},
		{"established before 1900", account.FieldEstablishedDate, "date_range",
			func(c *account.EnterpriseChange) { c.Extended.EstablishedDate = date(1899, 12, 31) }},
		{"address too long", account.FieldRegisteredAddress, "text_too_long",
			func(c *account.EnterpriseChange) { c.Extended.RegisteredAddress = strings.Repeat("路", 201) }},
		{"scope too long", account.FieldBusinessScope, "text_too_long",
			func(c *account.EnterpriseChange) { c.Extended.BusinessScope = strings.Repeat("种", 2001) }},
		{"escape in the authority", account.FieldApprovalAuthority, "text_char",
			func(c *account.EnterpriseChange) { c.Extended.ApprovalAuthority = "长春\x1b[31m市" }},
		{"zero-width space in the industry", account.FieldIndustry, "text_char",
			func(c *account.EnterpriseChange) { c.Extended.Industry = "农\u200b业" }},
		{"line break in the capital", account.FieldRegisteredCapital, "text_char",
			func(c *account.EnterpriseChange) { c.Extended.RegisteredCapital = "2000万元\n人民币" }},
		{"unknown legal type", account.FieldLegalType, "legal_type",
			func(c *account.EnterpriseChange) { c.LegalType = "合伙企业" }},
		{"no name", account.FieldName, "ent_name_empty", func(c *account.EnterpriseChange) { c.Name = "  " }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base
			c.change(&in)
			_, err := f.svc.ChangeEnterprise(context.Background(), who, in)
			wantField(t, err, c.key, c.code, nil)
		})
	}
	// Today is a registry date like any other; empty optional fields are
	// allowed (the registry may not have them) and compared as they are.
	in := base
	in.Extended.ApprovalDate = today
	_, err := f.svc.ChangeEnterprise(context.Background(), who, in)
	wantField(t, err, account.FieldApprovalDate, "registry_mismatch", model.ErrRegistryMismatch)
	in = base
	in.Extended.ElectronicLicense = ""
	_, err = f.svc.ChangeEnterprise(context.Background(), who, in)
	wantField(t, err, account.FieldElectronicLicense, "registry_mismatch", model.ErrRegistryMismatch)
	if n := len(f.notices(activePhone)); n != 0 {
		t.Errorf("%d notices", n)
	}
}

// Every change field has a label in the catalog, and the keys are in the
// form's order.
func TestChangeLabels(t *testing.T) {
	keys := account.ChangeKeys()
	if keys[0] != account.FieldLegalType || keys[1] != account.FieldName || len(keys) != 13 {
		t.Fatalf("keys %v", keys)
	}
	for _, k := range keys {
		id := account.ChangeLabel(k)
		if label := zh(i18n.T(id)); id == "" || label == "" || strings.Contains(label, "⟦") {
			t.Errorf("%s: label %q (%s)", k, label, id)
		}
	}
	if account.ChangeLabel("password") != "" {
		t.Error("a label for a field that is not the change's")
	}
}
