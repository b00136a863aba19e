package screens

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/form"
)

// Glue shared by the account flows (registration, natural-person
// registration, forgot password, activation): placing the use cases'
// refusals on the form, the SMS code round trip, per-step checks that keep
// the error value (for the way-on buttons), the face evidence, and the ID
// validity fields.

// Screen ids of the account flows. Each is registered in routes() by the
// file that builds it.
const (
	ScreenRegister       ScreenID = "register"
	ScreenPersonRegister ScreenID = "person-register"
	ScreenForgot         ScreenID = "forgot"
	ScreenActivate       ScreenID = "activate"
	// ScreenAppeal is 账号申诉 (辅助企业注册申诉); its Params are AppealParams.
	ScreenAppeal ScreenID = "appeal"
)

// AppealParams pre-fills the 辅助企业注册申诉 appeal from a registration
// that the registry refused.
type AppealParams struct {
	LegalType, Name, USCC string // 企业信息
	RepName, IDNumber     string // 法定代表人; empty when the mismatch was at step 1
}

// showAccountError puts a use case's refusal on the form: each message of
// an *account.FieldErrors next to its field (switching to the field's step;
// FieldForm and keys the form lacks go above the buttons); any other error
// above the buttons as model.UserMessage. The caller logs unexpected errors
// (see accountFailed).
func showAccountError(f *form.Form, err error) {
	all := fieldErrorsIn(err)
	if len(all) == 0 {
		f.SetFormError(model.UserMessage(err))
		return
	}
	have := f.Values()
	errs := map[string]string{}
	formMsg := ""
	for _, fe := range all {
		for _, k := range fe.Keys() {
			if _, ok := have[k]; ok && k != account.FieldForm {
				if _, dup := errs[k]; !dup {
					errs[k] = fe.Fields[k]
				}
			} else if formMsg == "" {
				formMsg = fe.Fields[k]
			}
		}
	}
	f.SetFormError(formMsg)
	f.SetErrors(errs)
}

// fieldErrorsIn finds the *account.FieldErrors in err, through wrapping
// and errors.Join (a step may run two checks and show both).
func fieldErrorsIn(err error) []*account.FieldErrors {
	switch e := err.(type) {
	case nil:
		return nil
	case *account.FieldErrors:
		return []*account.FieldErrors{e}
	case interface{ Unwrap() []error }:
		var out []*account.FieldErrors
		for _, c := range e.Unwrap() {
			out = append(out, fieldErrorsIn(c)...)
		}
		return out
	case interface{ Unwrap() error }:
		return fieldErrorsIn(e.Unwrap())
	}
	return nil
}

// knownRefusal reports whether err is a refusal with a sentence of its own
// (not a failure of the store or a device, which goes to the log).
func knownRefusal(err error) bool {
	var known interface{ Message() string }
	return errors.As(err, &known) || rules.Code(err) != ""
}

// accountFailed shows err on f (showAccountError), logs it when it is not a
// refusal, and returns the voice prompt that goes with it.
func (a *app) accountFailed(f *form.Form, what string, err error) tea.Cmd {
	if !knownRefusal(err) {
		a.logError(what, err)
	}
	showAccountError(f, err)
	return playPrompt(accountPrompt(err))
}

// accountPrompt is ErrorPrompt with the registry mismatch's own clip.
func accountPrompt(err error) string {
	if errors.Is(err, model.ErrRegistryMismatch) {
		return audio.PromptErrorMismatch
	}
	return ErrorPrompt(err)
}

// accountErrorMap turns err into form.CheckResult errors: field messages by
// key, and anything else under account.FieldForm so the step never
// advances on an error.
func accountErrorMap(err error) map[string]string {
	if err == nil {
		return nil
	}
	all := fieldErrorsIn(err)
	if len(all) == 0 {
		return map[string]string{account.FieldForm: model.UserMessage(err)}
	}
	m := map[string]string{}
	for _, fe := range all {
		for k, v := range fe.Fields {
			if _, dup := m[k]; !dup {
				m[k] = v
			}
		}
	}
	return m
}

// ---- per-step checks ----

// stepChecked is the outcome of a step check run by stepCheck: the error
// itself (errors.Is picks the way-on button) and what the check produced
// (an SMS proof, a ticket…).
type stepChecked struct {
	form      string
	step, seq int
	result    any
	err       error
}

// stepCheck is a form.CheckFunc that runs fn off the event loop with a
// bounded context. Feed the stepChecked message to handleStepChecked.
func stepCheck(formID string, fn func(ctx context.Context, step int, values map[string]string) (any, error)) form.CheckFunc {
	return func(step, seq int, values map[string]string) tea.Cmd {
		return func() tea.Msg {
			ctx, cancel := opContext()
			defer cancel()
			res, err := fn(ctx, step, values)
			return stepChecked{form: formID, step: step, seq: seq, result: res, err: err}
		}
	}
}

// handleStepChecked answers the form's pending check: on success the form
// advances; on an error the messages are placed (accountFailed) and the
// step stays. Stale results (the person went back meanwhile) are dropped by
// the form itself.
func (a *app) handleStepChecked(f *form.Form, m stepChecked) tea.Cmd {
	if m.err == nil {
		f.SetFormError("")
		return f.Update(form.CheckResult{Form: m.form, Step: m.step, Seq: m.seq})
	}
	if m.step != f.Step() {
		return nil
	}
	// The form places the field messages and emits Invalid, which plays
	// error_input; a more specific prompt replaces it.
	invalid := f.Update(form.CheckResult{Form: m.form, Step: m.step, Seq: m.seq, Errors: accountErrorMap(m.err)})
	if invalid == nil {
		return nil // stale: a newer check or another step
	}
	if !knownRefusal(m.err) {
		a.logError("account step", m.err)
	}
	showAccountError(f, m.err)
	if p := accountPrompt(m.err); p != audio.PromptErrorInput {
		return playPrompt(p)
	}
	return invalid
}

// ---- SMS codes ----

// smsSendTimeout bounds one send request (it only queues the message).
const smsSendTimeout = 10 * time.Second

// codeSent is the outcome of a 获取验证码 press.
type codeSent struct {
	form, key string
	masked    string    // 138****5678, for the hint
	next      time.Time // when the button may be pressed again
	err       error
}

// sendCodeCmd runs send in a command with a timeout and kicks the outbox
// worker on success. masked is the phone as it may be shown (rules.
// MaskMobile), for the "验证码已发送至" hint. Answer the codeSent message
// with handleCodeSent.
func (a *app) sendCodeCmd(formID, key, masked string, send func(context.Context) (time.Time, error)) tea.Cmd {
	outbox := a.deps.Outbox
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), smsSendTimeout)
		defer cancel()
		next, err := send(ctx)
		if err == nil && outbox != nil {
			outbox.Kick()
		}
		return codeSent{form: formID, key: key, masked: masked, next: next, err: err}
	}
}

// handleCodeSent shows the outcome of a send: on success the countdown, a
// "验证码已发送至 138****5678" note under the field and the sms_sent prompt;
// a refusal next to its field (a *smscode.TooSoonError also runs the
// countdown for the time left).
func (a *app) handleCodeSent(f *form.Form, m codeSent) tea.Cmd {
	if m.form != f.ID() {
		return nil
	}
	if m.err != nil {
		f.SetNote(m.key, "")
		cmd := a.accountFailed(f, "send sms code", m.err)
		var soon *smscode.TooSoonError
		if errors.As(m.err, &soon) {
			return tea.Batch(cmd, f.StartCountdownFrom(m.key, a.secondsUntil(soon.Until)))
		}
		return cmd
	}
	f.SetError(m.key, "")
	note := "验证码已发送"
	if m.masked != "" {
		note += "至 " + m.masked
	}
	f.SetNote(m.key, note)
	return tea.Batch(f.StartCountdownFrom(m.key, a.secondsUntil(m.next)), playPrompt(audio.PromptSMSSent))
}

// secondsUntil is the whole seconds (rounded up) from now to t; 0 (the
// default countdown) when t is not in the future.
func (a *app) secondsUntil(t time.Time) int {
	d := t.Sub(a.now())
	if t.IsZero() || d <= 0 {
		return 0
	}
	return int(math.Ceil(d.Seconds()))
}

// ---- face ----

// faceEvidence is what a use case needs from a passed face step.
func faceEvidence(v FaceVerified) model.FaceEvidence {
	return model.FaceEvidence{Method: v.Method, Score: v.Result.Score, Ref: v.Ref, At: v.At}
}

// ---- ID card validity ----

// Labels of the 证件有效期 radio, in model.ValidityPeriod order.
const (
	validity5   = "5年"
	validity10  = "10年"
	validity20  = "20年"
	validityEnd = "长期有效"
)

var validityOptions = []string{validity5, validity10, validity20, validityEnd}

// validityPeriod maps a radio label to the model's period ("" for none).
func validityPeriod(label string) model.ValidityPeriod {
	switch label {
	case validity5:
		return model.Validity5Years
	case validity10:
		return model.Validity10Years
	case validity20:
		return model.Validity20Years
	case validityEnd:
		return model.ValidityLongTerm
	}
	return ""
}

// idCardFields are 证件类型 (the only type, 居民身份证), 证件号码 and the
// validity: 证件有效期, 开始日期, 结束日期. The end date is derived (see
// syncValidity), so typing into it has no effect.
func (a *app) idCardFields() []form.Field {
	return []form.Field{
		{Key: fieldIDType, Label: "证件类型", Kind: form.Radio, Options: []string{model.IDTypeResident}, Required: true},
		{Key: account.FieldIDNumber, Label: "证件号码", Placeholder: "18位居民身份证号码", Required: true, MaxLen: 18,
			Validate: func(s string) error { _, err := rules.ParseResidentID(s, a.now()); return err }},
		{Key: account.FieldIDPeriod, Label: "证件有效期", Kind: form.Radio, Options: validityOptions, Required: true},
		{Key: account.FieldIDFrom, Label: "开始日期", Kind: form.Date, Required: true},
		{Key: account.FieldIDTo, Label: "结束日期", Kind: form.Date, Placeholder: "根据有效期自动填写"},
	}
}

// presetIDCard chooses the only ID type, so nobody has to pick it.
func presetIDCard(f *form.Form) { f.SetValue(fieldIDType, model.IDTypeResident) }

// fieldIDType is the 证件类型 radio; its only value is model.IDTypeResident.
const fieldIDType = "id_type"

// syncValidity fills 结束日期 from 开始日期 and 证件有效期 (empty for 长期有效
// or while either is missing). Call it after every update of a form with
// idCardFields: it makes the end date read-only.
func syncValidity(f *form.Form) {
	end := ""
	if start, err := time.Parse(form.DateLayout, f.Value(account.FieldIDFrom)); err == nil {
		// A five-digit year does not fit the field; the start is refused anyway.
		if t := rules.ValidityEnd(start, validityPeriod(f.Value(account.FieldIDPeriod))); !t.IsZero() && t.Year() <= 9999 {
			end = t.Format(form.DateLayout)
		}
	}
	if f.Value(account.FieldIDTo) != end {
		f.SetValue(account.FieldIDTo, end)
	}
}

// idDocument builds the ID card from the form values; dates that do not
// parse stay zero (the use case says what is missing).
func idDocument(v map[string]string) model.IDDocument {
	d := model.IDDocument{Type: v[fieldIDType], Number: strings.TrimSpace(v[account.FieldIDNumber]),
		Period: validityPeriod(v[account.FieldIDPeriod])}
	if d.Type == "" {
		d.Type = model.IDTypeResident
	}
	d.ValidFrom, _ = time.Parse(form.DateLayout, v[account.FieldIDFrom])
	d.ValidTo, _ = time.Parse(form.DateLayout, v[account.FieldIDTo])
	return d
}

// ---- phone ----

// maskedPhone is phone as it may be shown (138****5678), or "" when it is
// not a valid mobile number.
func maskedPhone(phone string) string {
	if rules.ValidMobile(phone) != nil {
		return ""
	}
	return rules.MaskMobile(phone)
}

// phoneFields are 手机号码 and 短信验证码 (with 获取验证码).
func phoneFields() []form.Field {
	return []form.Field{
		{Key: account.FieldPhone, Label: "手机号码", Placeholder: "11位手机号码", Required: true, MaxLen: 11,
			Validate: rules.ValidMobile},
		{Key: account.FieldSMSCode, Label: "短信验证码", Kind: form.SMSCode, Placeholder: "6位数字", Required: true},
	}
}
