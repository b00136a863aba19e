package smscode_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// FuzzNormalizeCode: any input gives either exactly six ASCII digits, which
// normalise to themselves, or an error; six ASCII digits pass unchanged.
func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"123456", " 123 456 ", "１２３４５６", "", "12345", "1234567", "12a456", "\xff\xfe", "٤٨٢٩١٥", "¹²³⁴⁵⁶"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := smscode.NormalizeCode(s)
		if err != nil {
			if got != "" || reflect.DeepEqual(model.UserMessage(err), model.ErrUnavailable.Msg) {
				t.Fatalf("NormalizeCode(%q) = %q, %v", s, got, err)
			}
			if len(s) == smscode.CodeLen && isASCIIDigits(s) {
				t.Fatalf("NormalizeCode(%q) refused a plain code", s)
			}
			return
		}
		if len(got) != smscode.CodeLen || !isASCIIDigits(got) {
			t.Fatalf("NormalizeCode(%q) = %q, not %d ASCII digits", s, got, smscode.CodeLen)
		}
		if again, err := smscode.NormalizeCode(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, got, again, err)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 %q accepted", s)
		}
	})
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FuzzCheck answers a fresh code with any phone and code strings: Check
// never panics, and passes exactly when the phone is the code's number and
// the input normalises to the right code.
func FuzzCheck(f *testing.F) {
	const right = "482915"
	for _, s := range [][2]string{
		{phoneA, right}, {phoneA, "482916"}, {phoneA, " 482 915 "}, {phoneA, "４８２９１５"}, {" " + phoneA, right},
		{phoneB, right}, {"", right}, {phoneA, ""}, {"1380013800\x00", right}, {phoneA, "482915\x00"},
		{phoneA, strings.Repeat("4", 1000)}, {"١٣٨٠٠١٣٨٠٠٠", "٤٨٢٩١٥"}, {phoneA, "48291５"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, phone, code string) {
		fx := newFixture(t)
		fx.mustSend(smscode.PurposeRegister, phoneA, right)
		err := fx.svc.Check(context.Background(), smscode.PurposeRegister, phone, code)
		norm, nerr := smscode.NormalizeCode(code)
		// A full-width number from an input method is the same number.
		shouldPass := rules.NormalizeInput(phone) == phoneA && nerr == nil && norm == right
		if (err == nil) != shouldPass {
			t.Fatalf("Check(%q, %q) = %v, want pass=%v", phone, code, err, shouldPass)
		}
		if err != nil && reflect.DeepEqual(model.UserMessage(err), model.ErrUnavailable.Msg) {
			t.Fatalf("Check(%q, %q): %v has no screen sentence", phone, code, err)
		}
		// Whatever happened, the right answer from the right number still
		// works unless this input used the code up.
		err = fx.svc.Check(context.Background(), smscode.PurposeRegister, phoneA, right)
		if (err == nil) == shouldPass {
			t.Fatalf("follow-up right answer after (%q, %q): %v", phone, code, err)
		}
	})
}
