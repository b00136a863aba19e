package smscode_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
)

// ucs2Single is how many UTF-16 code units a single-part UCS2 SMS holds
// (devices/sms/pdu, ucs2Single). The signature is Chinese, so every SMS of
// the platform is UCS2 whatever the language of the visit.
const ucs2Single = 70

// TestCodeSMSFitsOnePart: the code SMS, signature included, is one SMS in
// every interface language. A language without its own catalog renders
// Chinese until it has one.
func TestCodeSMSFitsOnePart(t *testing.T) {
	text := smscode.Text("482915", smscode.DefaultLimits().TTL)
	if !i18n.Default().Has(i18n.Chinese, text.ID) {
		t.Fatalf("%s is not in the catalog", text.ID)
	}
	for _, l := range i18n.Langs {
		sms := model.SMSSignature + i18n.Default().Render(l, text)
		if strings.Contains(sms, "⟦") || !strings.Contains(sms, "482915") {
			t.Errorf("%s: code SMS %q does not carry the code", l, sms)
		}
		if n := len(utf16.Encode([]rune(sms))); n > ucs2Single {
			t.Errorf("%s: code SMS is %d UCS2 characters, more than one SMS (%d): %q", l, n, ucs2Single, sms)
		}
	}
}

// TestSendInLanguageOfVisit: Send writes the SMS in the language the
// request's context carries, and the outbox stores the rendered text.
func TestSendInLanguageOfVisit(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			f.codes.push("482915")
			if _, err := f.svc.Send(i18n.WithLang(context.Background(), l), f.pass(), smscode.PurposeRegister, phoneA); err != nil {
				t.Fatal(err)
			}
			want := model.SMSSignature + i18n.Default().Render(l, smscode.Text("482915", 5*time.Minute))
			if !strings.Contains(want, "482915") {
				t.Fatalf("%q does not carry the code", want)
			}
			f.view(func(tx model.Tx) error {
				due, err := tx.Outbox().Due(start, 10)
				if err == nil && (len(due) != 1 || due[0].Text != want) {
					t.Errorf("outbox %+v, want one SMS %q", due, want)
				}
				return err
			})
		})
	}
}
