package model

// Errors of the account flows: registration (manual §二), forgot password
// (§三), activation (§五(一)) and natural-person registration. The account
// use cases return them inside per-field errors; errors.Is finds them.
var (
	ErrAlreadyRegistered  = &DomainError{"already_registered", "该统一社会信用代码已注册，如忘记密码请使用“忘记密码”找回"}
	ErrPendingUSCC        = &DomainError{"pending_uscc", "该企业账号待激活，请使用“账号激活”"}
	ErrClosedUSCC         = &DomainError{"closed_uscc", "该统一社会信用代码对应的企业账号已注销，如有疑问请咨询窗口工作人员"}
	ErrRegistryMismatch   = &DomainError{"registry_mismatch", "法人信息不匹配，请核对填写的信息；如信息无误，可通过“账号申诉”办理辅助企业注册申诉"}
	ErrAccountTaken       = &DomainError{"account_taken", "该账号已被使用"}
	ErrAccountNotExist    = &DomainError{"account_not_exist", "当前企业账号不存在"}
	ErrRepMismatch        = &DomainError{"rep_mismatch", "法定代表人信息与账号不符"}
	ErrLookupLimited      = &DomainError{"lookup_limited", "查询过于频繁，请稍后再试或咨询窗口工作人员"}
	ErrSamePassword       = &DomainError{"same_password", "新密码不能与当前密码相同"}
	ErrPasswordConfirm    = &DomainError{"password_confirm", "两次输入的密码不一致"}
	ErrPersonExists       = &DomainError{"person_exists", "该身份证号已注册自然人账号"}
	ErrNoReservedPhone    = &DomainError{"no_reserved_phone", "该企业未登记预留手机号码，请携带营业执照和法定代表人身份证到窗口办理"}
	ErrActivationMismatch = &DomainError{"activation_mismatch", "未找到与填写信息一致的待激活企业账号，请核对后重新填写；如有疑问可通过“账号申诉”办理"}
	ErrFaceRequired       = &DomainError{"face_required", "请先完成人脸核验"}
	ErrFaceStale          = &DomainError{"face_stale", "人脸核验已超时，请重新核验"}
	ErrTicketExpired      = &DomainError{"ticket_expired", "操作已超时或信息已变更，请从第一步重新开始"}
)
