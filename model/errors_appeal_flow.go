package model

import "kiosk/model/i18n"

// Errors of 账号申诉's 身份验证 at the kiosk.
var (
	// ErrAppealNoAccount: a 修改企业信息申诉 for a USCC and 法人账号 that are
	// not one active enterprise account (one sentence for every case).
	ErrAppealNoAccount = &DomainError{Code: "appeal_no_account", Msg: i18n.T("error.appeal.no_account")}
)
