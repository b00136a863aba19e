package account

import "kiosk/model/i18n"

// The SMS notices of this package's use cases. Each is rendered with
// i18n.Sentence in the language of the visit (the request's context) and
// the outbox stores the rendered text, signature first. They must fit in
// two concatenated SMS in every language (notice_internal_test.go).

// noticeRegistered tells the legal representative that account was
// registered.
func noticeRegistered(account string) i18n.Text {
	return i18n.T("notice.registered", "Account", account)
}

// noticeActivated tells the reserved phone that account was activated.
func noticeActivated(account string) i18n.Text {
	return i18n.T("notice.activated", "Account", account)
}

// noticePasswordReset tells the reserved phone that account's password was
// replaced and every login ended.
func noticePasswordReset(account string) i18n.Text {
	return i18n.T("notice.password_reset", "Account", account)
}

// noticePersonRegistered tells a natural person that their account exists.
func noticePersonRegistered() i18n.Text { return i18n.T("notice.person_registered") }

// noticeAgentPasswordChanged tells an agent that its login password was
// changed and its other logins ended.
func noticeAgentPasswordChanged() i18n.Text { return i18n.T("notice.agent_password_changed") }

// noticeAppealFiled tells the appeal's phone its reference number.
func noticeAppealFiled(ref string) i18n.Text { return i18n.T("notice.appeal_filed", "Ref", ref) }

// noticeAppealOpened tells a 辅助企业注册申诉's phone that it was approved,
// its account opened, and to set the password with 忘记密码.
func noticeAppealOpened(ref, account string) i18n.Text {
	return i18n.T("notice.appeal_opened", "Ref", ref, "Account", account)
}

// noticeAppealChanged tells a 修改企业信息申诉's phone that it was approved
// and applied.
func noticeAppealChanged(ref string) i18n.Text { return i18n.T("notice.appeal_changed", "Ref", ref) }

// noticeAppealRejected tells the appeal's phone it was rejected, and why.
func noticeAppealRejected(ref, reason string) i18n.Text {
	return i18n.T("notice.appeal_rejected", "Ref", ref, "Reason", reason)
}
