package account

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// What 忘记密码 and 账号激活 share: 1 a page that ends in a rationed look-up
// behind a picture captcha and yields a signed ticket; 2 the SMS code to
// the ticket's reserved phone, shown masked, answered as a proof; 3 the
// new password; then the final call with ticket and proof, and a result
// page with 前往登录. Ticket and proof die with the visit.

// Result buttons of both (zone id: "<form id>-done:<id>").
const (
	DoneLogin = "login"
	DoneHome  = "home"
)

// ButtonWayOn is the way-on button a refusal of step 1 may add.
const ButtonWayOn = "way-on"

// recovery declares one of the two flows; T is its ticket.
type recovery[T any] struct {
	id, title, submit string
	titles            [4]string // the three steps and the result page (catalog ids)
	first             []form.Field
	last              []form.Field
	lastRules         []form.Rule
	hints             [3]func(t T) i18n.Text
	masked            func(t T) string
	confirm           func(ctx context.Context, s *svc.Service, v form.Values) (T, error)
	send              func(ctx context.Context, s *svc.Service, pass captcha.Pass, t T) (time.Time, error)
	verify            func(ctx context.Context, s *svc.Service, t T, code string) (smscode.Proof, error)
	final             func(ctx context.Context, s *svc.Service, t T, p smscode.Proof, v form.Values) (svc.Done, error)
	wayOn             func(err error) (label string, to tea.Cmd, ok bool) // step 1 only; label a catalog id
	result            func(d svc.Done) []flow.Line
}

// ticketed is the state of a recovery: what step 1 found and step 2 proved.
type ticketed[T any] struct {
	ticket T
	proof  smscode.Proof
	wayOn  tea.Cmd // where the way-on button leads
}

func (r recovery[T]) def(a *kit.App) flow.Def[ticketed[T]] {
	s := a.Deps.Accounts
	type st = ticketed[T]
	hint := func(i int) func(*st) i18n.Text { return func(x *st) i18n.Text { return r.hints[i](x.ticket) } }
	firstKey := r.first[0].Base().Key
	return flow.Def[st]{
		ID: r.id, Title: r.title, Submit: r.submit, DoneTitle: r.titles[3], Hold: true,
		Steps: []flow.Step[st]{
			{Title: r.titles[0], Hint: hint(0), Fields: r.first,
				Check: func(_ *st, v form.Values) flow.Job {
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return r.confirm(ctx, s, v) })
				},
				Accept: func(x *st, f *form.Form, res any) {
					x.ticket, x.proof = res.(T), smscode.Proof{}
					// A code asked for another look-up's phone is not this one's.
					f.Clear(svc.FieldSMSCode)
					f.SetNote(svc.FieldSMSCode, i18n.Text{})
					f.SetError(svc.FieldSMSCode, i18n.Text{})
				}},
			{Title: r.titles[1], Hint: hint(1), Fields: []form.Field{smsCode()},
				Check: func(x *st, v form.Values) flow.Job {
					t, code := x.ticket, v.Text(svc.FieldSMSCode)
					x.proof = smscode.Proof{} // a new answer replaces any earlier proof
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return r.verify(ctx, s, t, code) })
				},
				Accept: func(x *st, _ *form.Form, res any) { x.proof = res.(smscode.Proof) },
				Send: func(x *st, _ form.Values) flow.Send {
					t := x.ticket
					return sent(s, r.masked(t), func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error) {
						return r.send(ctx, s, pass, t)
					})
				}},
			{Title: r.titles[2], Hint: hint(2), Fields: r.last, Rules: r.lastRules},
		},
		Final: func(x *st, v form.Values) flow.Job {
			t, p := x.ticket, x.proof
			return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return r.final(ctx, s, t, p, v) })
		},
		Done: func(a *kit.App, x *st, res any) flow.Result {
			var zero T
			x.ticket, x.proof = zero, smscode.Proof{}
			d := res.(svc.Done)
			return flow.Result{Lines: r.result(d),
				Buttons: []kit.Btn{{ID: DoneLogin, Label: "result.to_login"}, {ID: DoneHome, Label: "result.to_home"}},
				Go:      toLoginOrHome(d.Account)}
		},
		Refused: func(_ *kit.App, x *st, f *form.Form, err error) []form.Button {
			if errors.Is(err, model.ErrTicketExpired) {
				f.Focus(firstKey) // step 1 must be answered again; values kept
			}
			if f.Step() != 0 || r.wayOn == nil {
				return nil
			}
			if label, to, ok := r.wayOn(err); ok {
				x.wayOn = to
				return []form.Button{{ID: ButtonWayOn, Label: label}}
			}
			return nil
		},
		Pressed: func(x *st, id string, _ form.Values) tea.Cmd {
			if id == ButtonWayOn {
				return x.wayOn
			}
			return nil
		},
	}
}

// doneLines is a recovery's result page: the catalog ids <area>.done,
// <area>.done_account and <area>.done_notice (the account and the masked
// number the SMS notice went to).
func doneLines(area string) func(svc.Done) []flow.Line {
	return func(d svc.Done) []flow.Line {
		return []flow.Line{
			flow.Won(area + ".done"),
			flow.Gap,
			flow.Say(area+".done_account", "Account", rules.Sanitize(d.Account)),
			flow.Say(area+".done_notice", "Phone", d.MaskedPhone),
		}
	}
}

// toLoginOrHome answers the result page's buttons: 前往登录 with account
// (the one just registered, activated or reset) in the login's identifier
// field, or home; a fresh history either way, so 返回 cannot lead back into
// the finished flow.
func toLoginOrHome(account string) func(id string) tea.Cmd {
	return func(id string) tea.Cmd {
		if id == DoneLogin {
			return route.EnterpriseLogin.Fresh(route.LoginParams{Account: account})
		}
		return kit.GoHome
	}
}

// The flows' own state, for tests: the ticket and the proof they hold.
type (
	ForgotState   = ticketed[svc.ResetTicket]
	ActivateState = ticketed[svc.ActivationTicket]
)

// Ticket is what step 1 found (zero when none).
func (x *ticketed[T]) Ticket() T { return x.ticket }

// Proof is what step 2 proved (zero when none).
func (x *ticketed[T]) Proof() smscode.Proof { return x.proof }
