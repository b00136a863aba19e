package account_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
)

// elsewhere is a registry that is not kept in the service's store (as a
// remote one), so Register asks the store and the registry before its
// Update, as it always did.
type elsewhere struct{ r model.Registry }

func (e elsewhere) LookupUSCC(ctx context.Context, uscc string) (model.RegistryRecord, error) {
	return e.r.LookupUSCC(ctx, uscc)
}

// refusal describes err completely: every field with its code and its
// message, or the error itself.
func refusal(err error) string {
	var fe *account.FieldErrors
	if !errors.As(err, &fe) {
		return fmt.Sprintf("not a refusal: %v", err)
	}
	var out []string
	for _, k := range fe.Keys() {
		out = append(out, k+"="+fe.Code(k)+" "+zh(fe.Fields[k]))
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// TestRegisterRefusesAlikeOnBothPaths: Register checks a registration the
// store would refuse in its Update when nothing else is wrong and the
// registry is kept in the store, and in a View before the Update
// otherwise. Both give the same refusals, every field and message, alone
// and together (a USCC with an enterprise and a taken account, a registry
// mismatch and a taken account, with or without a weak password), and
// write nothing.
func TestRegisterRefusesAlikeOnBothPaths(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := f.registration()
	viewFirst := *f.svc
	viewFirst.Registry = elsewhere{f.svc.Registry}
	entOf := func(uscc string) account.EnterpriseInput {
		t.Helper()
		var rec model.RegistryRecord
		err := f.store.View(ctx, func(tx model.Tx) (err error) { rec, err = tx.Registry().Get(uscc); return })
		if err != nil {
			t.Fatal(err)
		}
		return account.EnterpriseInput{LegalType: rec.LegalType, Name: rec.Name, USCC: uscc}
	}
	unknown := validUSCC(t, "77777777")
	for _, tt := range []struct {
		name string
		mod  func(*account.RegistrationInput)
		want []string // field keys refused
	}{
		{"active USCC", func(in *account.RegistrationInput) { in.Enterprise = entOf(activeUSCC) }, []string{account.FieldUSCC}},
		{"pending USCC", func(in *account.RegistrationInput) { in.Enterprise = entOf(pendingUSCC) }, []string{account.FieldUSCC}},
		{"closed USCC", func(in *account.RegistrationInput) { in.Enterprise = entOf(closedUSCC) }, []string{account.FieldUSCC}},
		{"account taken", func(in *account.RegistrationInput) { in.Account = "DEMO_corp02" }, []string{account.FieldAccount}},
		{"USCC and account", func(in *account.RegistrationInput) {
			in.Enterprise, in.Account = entOf(activeUSCC), "demo_corp01"
		}, []string{account.FieldUSCC, account.FieldAccount}},
		{"unknown USCC", func(in *account.RegistrationInput) { in.Enterprise.USCC = unknown }, []string{account.FieldUSCC}},
		{"unknown USCC and account", func(in *account.RegistrationInput) {
			in.Enterprise.USCC, in.Account = unknown, "demo_corp02"
		}, []string{account.FieldUSCC, account.FieldAccount}},
		{"name and type", func(in *account.RegistrationInput) {
			in.Enterprise.Name, in.Enterprise.LegalType = "通化别的农业有限公司", "其他组织"
		}, []string{account.FieldLegalType, account.FieldName}},
		{"name and account", func(in *account.RegistrationInput) {
			in.Enterprise.Name, in.Account = "通化别的农业有限公司", "demo_corp02"
		}, []string{account.FieldName, account.FieldAccount}},
		{"legal representative", func(in *account.RegistrationInput) { in.LegalRep.Name = "冯小强" }, []string{account.FieldRepName}},
		{"legal representative and account", func(in *account.RegistrationInput) {
			in.LegalRep.Name, in.Account = "冯小强", "demo_corp02"
		}, []string{account.FieldRepName, account.FieldAccount}},
		{"USCC, account and password", func(in *account.RegistrationInput) {
			in.Enterprise, in.Account, in.Password = entOf(activeUSCC), "demo_corp02", "abc12345"
		}, []string{account.FieldUSCC, account.FieldAccount, account.FieldPassword}},
		{"account format and USCC", func(in *account.RegistrationInput) {
			in.Enterprise, in.Account = entOf(pendingUSCC), "中文账号"
		}, []string{account.FieldUSCC, account.FieldAccount}},
		{"legal representative and face", func(in *account.RegistrationInput) {
			in.LegalRep.Name, in.Face = "冯小强", model.FaceEvidence{}
		}, []string{account.FieldRepName, account.FieldForm}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.mod(&in)
			_, inUpdate := f.svc.Register(ctx, in)
			_, inView := viewFirst.Register(ctx, in)
			if refusal(inUpdate) != refusal(inView) {
				t.Fatalf("refusals differ:\n store's registry: %s\n registry elsewhere: %s", refusal(inUpdate), refusal(inView))
			}
			var fe *account.FieldErrors
			if !errors.As(inUpdate, &fe) || !slices.Equal(slices.Sorted(slices.Values(fe.Keys())), slices.Sorted(slices.Values(tt.want))) {
				t.Fatalf("refused %s, want the fields %v", refusal(inUpdate), tt.want)
			}
			if _, err := f.enterpriseByUSCC(freeUSCC); !errors.Is(err, model.ErrNotFound) {
				t.Fatalf("enterprise stored after a refusal: %v", err)
			}
		})
	}
	if len(f.auditFor(account.AuditRegister)) != 0 || len(f.notices(freePhone)) != 0 {
		t.Fatal("refusals left audit records or notices")
	}
	// With the registry elsewhere the registration goes through, and the
	// same one is then refused on the other path.
	done, err := viewFirst.Register(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := f.enterpriseByUSCC(freeUSCC); err != nil || e.ID != done.ID || e.Name != freeName {
		t.Fatalf("registered %+v: %+v, %v", done, e, err)
	}
	_, err = f.svc.Register(ctx, base)
	wantField(t, err, account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)
}
