package form

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// Update handles keys, taps and the fields' own messages (countdown ticks).
func (f *Form) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = f.handleKey(msg)
	case tea.MouseMsg:
		cmd = f.handleMouse(msg)
	default:
		var cmds []tea.Cmd
		c := f.context()
		for _, fld := range f.byKey {
			if u, ok := fld.(interface {
				Update(tea.Msg, *Ctx) tea.Cmd
			}); ok {
				if cmd := u.Update(msg, c); cmd != nil {
					fld.Base().touch()
					cmds = append(cmds, cmd)
				}
			}
		}
		if _, tick := msg.(countdownTick); tick {
			f.touchAll() // the last tick returns no command but changes the label
		}
		return tea.Batch(cmds...)
	}
	f.derive()
	return cmd
}

func (f *Form) touchAll() {
	for _, fld := range f.byKey {
		fld.Base().touch()
	}
}

// context is the fields' context at the form's current width.
func (f *Form) context() *Ctx {
	c := f.ctx
	c.Width = f.ContentWidth()
	c.Lang = f.cfg.Lang()
	return &c
}

// handleKey applies the key priority: focus movement and the form's own
// keys, then the focused element.
func (f *Form) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := f.cfg.Keys
	fld := f.focusedField()
	switch {
	case key.Matches(msg, k.Next):
		f.setFocus(f.tabFrom(f.focus, 1), true)
		return nil
	case key.Matches(msg, k.Prev):
		f.setFocus(f.tabFrom(f.focus, -1), true)
		return nil
	case key.Matches(msg, k.Back):
		return f.back()
	case key.Matches(msg, k.Enter):
		if fld == nil {
			if b, ok := f.focusedButton(); ok {
				return f.press(b.ID)
			}
			return nil
		}
		if f.focus == len(f.fields())-1 {
			return f.press(ButtonNext)
		}
		f.setFocus(f.focus+1, true)
		return nil
	case key.Matches(msg, k.Action):
		if fld != nil {
			fld.Base().touch()
			return fld.Action(f.context())
		}
		return nil
	case key.Matches(msg, k.Speak):
		// Wherever the focus is: someone who cannot read the picture
		// should not have to find the field first.
		for _, c := range f.fields() {
			if _, ok := c.(*CaptchaField); ok {
				return Emit(CaptchaSpeak{Form: f.cfg.ID, Key: c.Base().Key})
			}
		}
		// No captcha here: a file field with a camera takes F6 as 拍照.
		if ff, ok := fld.(*FileField); ok && ff.Camera {
			ff.touch()
			return ff.capture(f.context())
		}
		return nil
	}
	if fld != nil {
		cmd, handled := fld.OnKey(msg, f.context())
		if handled {
			fld.Base().touch()
		}
		return cmd
	}
	// A button is focused: ←/→ walk the button row, space presses.
	first := len(f.fields())
	switch {
	case key.Matches(msg, k.Left) && f.focus > first:
		f.setFocus(f.focus-1, false)
	case key.Matches(msg, k.Right) && f.focus < f.focusables()-1:
		f.setFocus(f.focus+1, false)
	case key.Matches(msg, k.Press):
		if b, ok := f.focusedButton(); ok {
			return f.press(b.ID)
		}
	}
	return nil
}

// tabFrom is the focus d (±1) Tab presses away from i. The order is the
// fields, then the primary button (下一步, 提交), then the other buttons
// as drawn (上一步, the extra ones, 取消): one Tab after the last field
// lands on the button that goes on, never one step short of 取消 (the
// field links such as 获取验证码 are no stops, so a count of presses by
// what is drawn would come out one short). ←/→ walk the row as drawn.
func (f *Form) tabFrom(i, d int) int {
	order := f.tabOrder()
	for j, at := range order {
		if at == i {
			return order[((j+d)%len(order)+len(order))%len(order)]
		}
	}
	return i + d
}

// tabOrder lists the focus stops in Tab order.
func (f *Form) tabOrder() []int {
	n := len(f.fields())
	order := make([]int, 0, f.focusables())
	for i := range n {
		order = append(order, i)
	}
	primary := -1
	for j, b := range f.buttons() {
		if b.ID == ButtonNext {
			primary = n + j
			order = append(order, primary)
		}
	}
	for j := range f.buttons() {
		if n+j != primary {
			order = append(order, n+j)
		}
	}
	return order
}

func (f *Form) handleMouse(m tea.MouseMsg) tea.Cmd {
	if f.cfg.Zones == nil || !widget.Tap(m) {
		return nil
	}
	c := f.context()
	for i, fld := range f.fields() {
		// A field's own zones first: they sit inside its row.
		if cmd, handled := fld.OnTap(m, c); handled {
			f.setFocus(i, true)
			fld.Base().touch()
			return cmd
		}
		if c.Tapped(FieldZone(f.cfg.ID, fld.Base().Key), m) {
			f.setFocus(i, true)
			return nil
		}
	}
	for j, b := range f.buttons() {
		if c.Tapped(ButtonZone(f.cfg.ID, b.ID), m) {
			f.setFocus(len(f.fields())+j, true)
			return f.press(b.ID)
		}
	}
	return nil
}

// press acts on a button.
func (f *Form) press(id string) tea.Cmd {
	switch id {
	case ButtonPrev:
		if f.step > 0 {
			f.pending = false // the owner sees the step change and drops its check
			f.gotoStep(f.step - 1)
		}
		return nil
	case ButtonCancel:
		return Emit(Cancelled{Form: f.cfg.ID})
	case ButtonNext:
		return f.next()
	}
	return Emit(ButtonPressed{Form: f.cfg.ID, ID: id})
}

// back is esc: the previous step keeps its values; on the first step the
// owner decides where 返回 goes.
func (f *Form) back() tea.Cmd {
	if f.step > 0 {
		return f.press(ButtonPrev)
	}
	return Emit(Cancelled{Form: f.cfg.ID})
}

func (f *Form) next() tea.Cmd {
	if f.busy || f.pending {
		return nil
	}
	if !f.Validate() {
		return Emit(Invalid{Form: f.cfg.ID})
	}
	f.formErr = i18n.Text{}
	if f.cfg.Gate {
		f.pending = true
		return Emit(NextRequested{Form: f.cfg.ID, Step: f.step, Values: f.Values()})
	}
	if f.step < len(f.steps)-1 {
		f.gotoStep(f.step + 1)
		return nil
	}
	// Submitting marks the form busy until the owner calls SetBusy(false),
	// so a second press cannot send the same request twice.
	f.busy = true
	return Emit(Submitted{Form: f.cfg.ID, Values: f.Values()})
}
