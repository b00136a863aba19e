package account

import (
	"strings"
	"testing"
	"unicode/utf16"

	"kiosk/model"
	"kiosk/model/i18n"
)

// The notice of 企业信息变更, signature included, with the longest account
// name, is at most two SMS in every language (as TestNoticesFitTwoParts
// for the other notices).
func TestEnterpriseChangedNoticeFitsTwoParts(t *testing.T) {
	const account = "Abcdefghij_123456789"
	text := noticeEnterpriseChanged(account)
	for _, l := range i18n.Langs {
		sms := model.SMSSignature + i18n.Default().Render(l, text)
		if strings.Contains(sms, "⟦") || !strings.Contains(sms, account) {
			t.Errorf("%s: %q does not name the account", l, sms)
		}
		if n := len(utf16.Encode([]rune(sms))); n > 2*ucs2Part {
			t.Errorf("%s: %d UCS2 characters, more than two SMS: %q", l, n, sms)
		}
	}
}

// The change's fields rank in form order among the refusals, after the
// account flows' fields and before FieldForm.
func TestChangeFieldOrder(t *testing.T) {
	if fieldOrder[len(fieldOrder)-1] != FieldForm {
		t.Fatalf("FieldForm is not last: %v", fieldOrder)
	}
	prev := -1
	for _, k := range ChangeKeys() {
		r := rank(k)
		if r >= rank(FieldForm) || r <= prev {
			t.Errorf("%s ranks %d (after %d)", k, r, prev)
		}
		prev = r
	}
}
