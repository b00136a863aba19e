// Package flow is the one host of every multi-step flow of the kiosk:
// both logins, registration, natural-person registration, forgot
// password, activation, and the ones to come. A flow is declared, not
// programmed: its steps (form pages or components), the use case that
// checks each page, the final call and the result. The host brings the
// step bar, back-keeps-values, inline errors, the picture captcha and the
// SMS code, the spinner with its slot of the visit, the voice prompt per
// step, 取消 and the result page.
package flow

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Job is a use-case call run off the event loop. It must capture values
// only (the ticket, the typed values), never the flow.
type Job func(ctx context.Context) (any, error)

// Send is a 获取验证码 request: where the code goes, as it may be shown
// (138****5678), and the call that queues it and says when a new request
// is allowed. The host gives it the flow's picture-captcha pass: no code
// is sent unless a captcha was answered in the visit's flow (the use
// case refuses a zero or stale pass with smscode.ErrCaptchaRequired).
type Send struct {
	Masked string
	Do     func(ctx context.Context, pass captcha.Pass) (next time.Time, err error)
}

// Step is one step of a flow: a form page (Fields) or a component
// (Component).
type Step[S any] struct {
	Title  string               // catalog id, in the step bar
	Hint   func(s *S) i18n.Text // a sentence above the page (zero for none)
	Prompt string               // voice prompt when the step is entered (not the first)

	// A form page.
	Fields []form.Field
	Rules  []form.Rule
	// Check is the use case of the page, called on 下一步 once the fields
	// are valid (and the captcha answered); nil, or a nil Job, goes on.
	// A captcha on a page with an SMS code field gates 获取验证码 instead
	// of 下一步: it is checked when the code is asked for, once a visit.
	Check func(s *S, v form.Values) Job
	// Accept takes the check's result (a ticket, a proof) before the flow
	// goes on.
	Accept func(s *S, f *form.Form, res any)
	// Send is the page's 获取验证码.
	Send func(s *S, v form.Values) Send
	// Buttons are the page's own buttons beside 下一步 (下载模板); Def.Pressed
	// handles them.
	Buttons []form.Button

	// A component step (face verification, a photo, a review, a file
	// picker), built from the values so far when the step is entered.
	Component func(a *kit.App, s *S, v form.Values) kit.Component
	// Took takes the component's result.
	Took func(s *S, res any)
}

// Page is true for a form page.
func (st Step[S]) Page() bool { return st.Component == nil }

// Result is what follows a successful final call: a result page with
// buttons, or (Then) a command instead, such as a login's session.
type Result struct {
	Lines []Line
	// Picture is drawn beside the lines where the screen is wide enough,
	// else under them (a QR code of a reference number).
	Picture []string
	Buttons []kit.Btn
	Go      func(id string) tea.Cmd // a result button was pressed
	Then    tea.Cmd
}

// Line is a line of a result page: a catalog text in a style.
type Line struct {
	Style LineStyle
	Text  i18n.Text
}

// LineStyle is how a result line is drawn.
type LineStyle int

const (
	Plain   LineStyle = iota // body text
	Success                  // the outcome (✔ 注册成功)
	Quiet                    // a muted remark
)

// Say is a plain line; Won a success line; Aside a muted line; Gap a blank
// line.
func Say(id string, kv ...any) Line   { return Line{Plain, i18n.T(id, kv...)} }
func Won(id string, kv ...any) Line   { return Line{Success, i18n.T(id, kv...)} }
func Aside(id string, kv ...any) Line { return Line{Quiet, i18n.T(id, kv...)} }

// Gap is a blank line.
var Gap = Line{}

// Def declares a flow. S is the flow's own state (tickets, proofs, the
// face verdict), kept by the host for the visit and dropped with it.
type Def[S any] struct {
	ID    string // form id and zone prefix
	Title string // catalog id
	Steps []Step[S]

	// Catalog ids.
	Submit    string // the last page's button; default 提交
	Cancel    string // the cancel button; default 取消
	DoneTitle string // the result page in the step bar ("" for none)
	Checking  string // beside the spinner while a page is checked
	Saving    string // beside the spinner while Final runs
	// Hold keeps the person on the step while Final runs: leaving would
	// hide whether it happened (a password set, an account created).
	Hold bool

	// Final is the call after the last step; its result goes to Done.
	Final func(s *S, v form.Values) Job
	Done  func(a *kit.App, s *S, res any) Result

	// Camera builds the document capture a file field's 拍照 opens over
	// the page (key is the field); it reports kit.StepDone{form.File} or
	// kit.StepBack. nil: 拍照 does nothing.
	Camera func(a *kit.App, key string) kit.Component

	// Prefill runs once the form is built.
	Prefill func(s *S, f *form.Form)
	// Refused runs after a refusal is placed on the form (way-on buttons,
	// a cleared password, a focus); it returns the extra buttons.
	Refused func(a *kit.App, s *S, f *form.Form, err error) []form.Button
	// Pressed handles the extra buttons.
	Pressed func(s *S, id string, v form.Values) tea.Cmd
}
