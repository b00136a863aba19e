package account

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"kiosk/model"
	"kiosk/model/i18n"
)

// ucs2Part is how many UTF-16 code units each part of a concatenated UCS2
// SMS holds (devices/sms/pdu, ucs2Part). The signature is Chinese, so every
// SMS of the platform is UCS2 whatever the language of the visit.
const ucs2Part = 67

// TestNoticesFitTwoParts: every notice, signature included, with the
// longest account name (20 characters), is at most two SMS in every
// interface language. A language without its own catalog renders Chinese
// until it has one.
func TestNoticesFitTwoParts(t *testing.T) {
	const account = "Abcdefghij_123456789" // the longest account rules.ValidAccount allows
	notices := map[string]i18n.Text{
		"registered":             noticeRegistered(account),
		"activated":              noticeActivated(account),
		"password_reset":         noticePasswordReset(account),
		"person_registered":      noticePersonRegistered(),
		"agent_password_changed": noticeAgentPasswordChanged(),
		"agents.added":           noticeAgentAdded(account, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2046, 12, 31, 0, 0, 0, 0, time.UTC)),
		"agents.edited":          noticeAgentEdited(account, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2046, 12, 31, 0, 0, 0, 0, time.UTC)),
		"agents.disabled":        noticeAgentDisabled(account),
		"agents.enabled":         noticeAgentEnabled(account),
		"agents.removed":         noticeAgentRemoved(account),
		"phone_changed":          noticePhoneChanged(account, "138****5678"),
		"phone_bound":            noticePhoneBound(account),
		"legal_rep_changed":      noticeLegalRepChanged(account),
		"legal_rep_old_phone":    noticeLegalRepChangedOldPhone(account, "138****5678"),
		"legal_rep_new_phone":    noticeLegalRepChangedNewPhone(account),
	}
	for name, text := range notices {
		if !i18n.Default().Has(i18n.Chinese, text.ID) {
			t.Errorf("%s: %s is not in the catalog", name, text.ID)
			continue
		}
		for _, l := range i18n.Langs {
			sms := model.SMSSignature + i18n.Default().Render(l, text)
			if strings.Contains(sms, "⟦") || text.Args != nil && !strings.Contains(sms, account) {
				t.Errorf("%s in %s: %q does not name the account", name, l, sms)
			}
			if n := len(utf16.Encode([]rune(sms))); n > 2*ucs2Part {
				t.Errorf("%s in %s: %d UCS2 characters, more than two SMS (%d): %q", name, l, n, 2*ucs2Part, sms)
			}
		}
	}
}

// The appeal's notices: the reference number's fit in two parts; the
// rejection carries the reviewer's reason (up to model.MaxRejectReason
// characters), so it may take a third part and never more.
func TestAppealNoticesFit(t *testing.T) {
	const account = "Abcdefghij_123456789"
	ref := model.NewAppealRef("KIOSK-T1", time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	reason := strings.Repeat("因", model.MaxRejectReason)
	for name, c := range map[string]struct {
		text  i18n.Text
		parts int
	}{
		"filed":    {noticeAppealFiled(ref), 2},
		"opened":   {noticeAppealOpened(ref, account), 2},
		"changed":  {noticeAppealChanged(ref), 2},
		"rejected": {noticeAppealRejected(ref, reason), 3},
	} {
		for _, l := range i18n.Langs {
			sms := model.SMSSignature + i18n.Default().Render(l, c.text)
			if strings.Contains(sms, "⟦") || !strings.Contains(sms, ref) {
				t.Errorf("%s in %s: %q does not name the reference", name, l, sms)
			}
			if n := len(utf16.Encode([]rune(sms))); n > c.parts*ucs2Part {
				t.Errorf("%s in %s: %d UCS2 characters, more than %d SMS: %q", name, l, n, c.parts, sms)
			}
		}
	}
}
