package form

import tea "github.com/charmbracelet/bubbletea"

// Button ids the form always knows. Extra buttons added with SetButtons use
// their own ids.
const (
	ButtonPrev   = "prev"   // 上一步
	ButtonNext   = "next"   // 下一步, or the submit label on the last step
	ButtonCancel = "cancel" // 返回
)

// Button is an extra action button drawn in the form's button row.
type Button struct{ ID, Label string }

// Messages the form emits (as commands) to its owner. Form is the form's ID.
type (
	// Submitted: the last step is valid (and its CheckStep, if any, passed).
	Submitted struct {
		Form   string
		Values map[string]string
	}
	// Cancelled: 返回 pressed (or esc) on the first step.
	Cancelled struct{ Form string }
	// ButtonPressed: an extra button was pressed.
	ButtonPressed struct{ Form, ID string }
	// CaptchaRefresh: 换一张 pressed; the owner issues a new challenge and
	// calls SetCaptcha.
	CaptchaRefresh struct{ Form, Key string }
	// CaptchaSpeak: 听语音 pressed (or SpeakKey); the owner plays the
	// spoken captcha.
	CaptchaSpeak struct{ Form, Key string }
	// SMSRequested: 获取验证码 pressed; the owner sends the code in a command
	// and calls StartCountdown when it accepts the request.
	SMSRequested struct {
		Form, Key string
		Values    map[string]string
	}
	// Invalid: 下一步 or the submit button was refused because the step has
	// field errors (its validators or its CheckStep). The errors are already
	// drawn; the message lets the kiosk say so (voice prompt).
	Invalid struct{ Form string }
)

// Messages the owner feeds back into the form's Update.
type (
	// Errors sets per-field errors (key → Chinese message), e.g. from a
	// server-side check run by the owner. An empty message clears.
	Errors struct {
		Form   string
		Errors map[string]string
	}
	// CheckResult answers a CheckStep command: no errors advances the form.
	CheckResult struct {
		Form   string
		Step   int
		Seq    int
		Errors map[string]string
	}
)

// CheckFunc runs the slow or server-side checks of a step. It is called with
// a copy of the values and must return a command whose closure captures only
// those values; the command's message must be a CheckResult with the given
// step and seq (use Check to build it).
type CheckFunc func(step, seq int, values map[string]string) tea.Cmd

// Check builds a CheckFunc from a function that runs off the event loop and
// returns field errors.
func Check(formID string, fn func(step int, values map[string]string) map[string]string) CheckFunc {
	return func(step, seq int, values map[string]string) tea.Cmd {
		return func() tea.Msg {
			return CheckResult{Form: formID, Step: step, Seq: seq, Errors: fn(step, values)}
		}
	}
}

// countdownTick advances an SMS resend countdown.
type countdownTick struct {
	form, key string
	gen       int
}

func emit(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }
