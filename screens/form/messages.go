package form

// Button ids the form always knows. Extra buttons added with SetButtons use
// their own ids.
const (
	ButtonPrev   = "prev"   // 上一步
	ButtonNext   = "next"   // 下一步, or the submit label on the last step
	ButtonCancel = "cancel" // 返回 / 取消
)

// Button is an extra action button drawn in the form's button row.
type Button struct{ ID, Label string }

// Messages the form emits (as commands) to its owner. Form is the form's ID.
type (
	// Submitted: the last step is valid (forms without Gate only).
	Submitted struct {
		Form   string
		Values Values
	}
	// NextRequested: 下一步 (or the submit button) on a valid step of a
	// gated form. The form waits (primary button disabled) until the owner
	// calls Advance or Refuse; going back a step ends the wait.
	NextRequested struct {
		Form   string
		Step   int
		Values Values
	}
	// Cancelled: the cancel button, or esc on the first step.
	Cancelled struct{ Form string }
	// ButtonPressed: an extra button was pressed.
	ButtonPressed struct{ Form, ID string }
	// CaptchaRefresh: 换一张; the owner issues a new challenge (SetPicture).
	CaptchaRefresh struct{ Form, Key string }
	// CaptchaSpeak: 听语音 (F6 or a tap); the owner plays the spoken captcha.
	CaptchaSpeak struct{ Form, Key string }
	// SMSRequested: 获取验证码; the owner sends the code in a command and
	// starts the countdown (StartCountdown) when the request is accepted.
	SMSRequested struct {
		Form, Key string
		Values    Values
	}
	// FileRequested: 选择文件; the owner opens a picker and calls SetFiles.
	FileRequested struct {
		Form, Key string
		Accept    []string
		Limit     int
	}
	// CaptureRequested: 拍照 on a file field with a camera; the owner opens
	// a document capture and calls SetFiles with the photo.
	CaptureRequested struct{ Form, Key string }
	// Invalid: 下一步 was refused because the step has field errors. The
	// errors are drawn; the message lets the kiosk say so (voice prompt).
	Invalid struct{ Form string }
)
