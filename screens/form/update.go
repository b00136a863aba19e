package form

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Update handles keys, mouse presses, countdown ticks and the owner's
// feedback messages.
func (f *Form) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return f.handleKey(msg)
	case tea.MouseMsg:
		return f.handleMouse(msg)
	case countdownTick:
		fld := f.byKey[msg.key]
		if msg.form != f.cfg.ID || fld == nil || msg.gen != fld.gen || fld.countdown <= 0 {
			return nil // stale: reset, stopped or restarted since
		}
		fld.countdown--
		if fld.countdown > 0 {
			return f.tick(fld)
		}
	case Errors:
		if msg.Form == f.cfg.ID {
			f.SetErrors(msg.Errors)
		}
	case CheckResult:
		if msg.Form != f.cfg.ID || msg.Seq != f.seq || msg.Step != f.step || !f.pending {
			return nil
		}
		f.pending = false
		for _, e := range msg.Errors {
			if e != "" {
				f.SetErrors(msg.Errors)
				return emit(Invalid{Form: f.cfg.ID})
			}
		}
		return f.advance()
	}
	return nil
}

// handleKey applies the key priority: focus movement and the form's own
// keys, then the focused element.
func (f *Form) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := f.keys
	fld := f.focusedField()
	switch {
	case key.Matches(msg, k.Next):
		f.setFocus(f.focus+1, true)
		return nil
	case key.Matches(msg, k.Prev):
		f.setFocus(f.focus-1, true)
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
	case key.Matches(msg, k.Reveal):
		if fld != nil && fld.Kind == Password {
			f.toggleReveal(fld)
		}
		return nil
	case key.Matches(msg, k.Action):
		if fld != nil {
			return f.fieldAction(fld)
		}
		return nil
	case key.Matches(msg, SpeakKey):
		// Wherever the focus is: someone who cannot read the picture
		// should not have to find the field first.
		for _, c := range f.fields() {
			if c.Kind == Captcha {
				return emit(CaptchaSpeak{Form: f.cfg.ID, Key: c.Key})
			}
		}
		return nil
	}

	if fld == nil { // a button is focused: ←/→ walk the button row
		first := len(f.fields())
		switch {
		case key.Matches(msg, k.Left) && f.focus > first:
			f.setFocus(f.focus-1, false)
		case key.Matches(msg, k.Right) && f.focus < f.focusables()-1:
			f.setFocus(f.focus+1, false)
		case msg.Type == tea.KeySpace:
			if b, ok := f.focusedButton(); ok {
				return f.press(b.ID)
			}
		}
		return nil
	}

	if !fld.isText() {
		switch {
		case key.Matches(msg, k.Left):
			f.choose(fld, -1)
		case key.Matches(msg, k.Right), msg.Type == tea.KeySpace:
			f.choose(fld, +1)
		}
		return nil
	}

	if msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace {
		s := fld.filter(string(msg.Runes))
		if s == "" {
			return nil
		}
		msg.Type, msg.Runes = tea.KeyRunes, []rune(s)
	}
	before := fld.input.Value()
	var cmd tea.Cmd
	fld.input, cmd = fld.input.Update(msg)
	if fld.input.Value() != before {
		fld.err = "" // a new value deserves a new verdict
	}
	return cmd
}

func (f *Form) handleMouse(m tea.MouseMsg) tea.Cmd {
	if f.zones == nil || m.Action != tea.MouseActionPress || m.Button != tea.MouseButtonLeft {
		return nil
	}
	in := func(id string) bool { return f.zones.Get(id).InBounds(m) }
	id := f.cfg.ID
	for i, fld := range f.fields() {
		// Inner zones first: they sit inside the field's row.
		switch fld.Kind {
		case Password:
			if in(RevealZone(id, fld.Key)) {
				f.setFocus(i, true)
				f.toggleReveal(fld)
				return nil
			}
		case Captcha, SMSCode:
			if fld.Kind == Captcha && in(SpeakZone(id, fld.Key)) {
				f.setFocus(i, true)
				return emit(CaptchaSpeak{Form: id, Key: fld.Key})
			}
			if in(ActionZone(id, fld.Key)) {
				f.setFocus(i, true)
				return f.fieldAction(fld)
			}
		case Select, Radio:
			for j := range fld.Options {
				if in(OptionZone(id, fld.Key, j)) {
					f.setFocus(i, true)
					fld.choice, fld.err = j, ""
					return nil
				}
			}
			if fld.Kind == Select {
				if in(ArrowZone(id, fld.Key, -1)) {
					f.setFocus(i, true)
					f.choose(fld, -1)
					return nil
				}
				if in(ArrowZone(id, fld.Key, +1)) {
					f.setFocus(i, true)
					f.choose(fld, +1)
					return nil
				}
			}
		}
		if in(FieldZone(id, fld.Key)) {
			f.setFocus(i, true)
			if fld.isText() {
				fld.input.CursorEnd()
			}
			return nil
		}
	}
	for j, b := range f.buttons() {
		if in(ButtonZone(id, b.ID)) {
			f.setFocus(len(f.fields())+j, true)
			return f.press(b.ID)
		}
	}
	return nil
}

func (f *Form) toggleReveal(fld *field) {
	fld.revealed = !fld.revealed
	if fld.revealed {
		fld.input.EchoMode = textinput.EchoNormal
	} else {
		fld.input.EchoMode = textinput.EchoPassword
	}
}

func (f *Form) choose(fld *field, d int) {
	n := len(fld.Options)
	if n == 0 {
		return
	}
	if fld.choice < 0 && d < 0 {
		fld.choice = 0
	}
	fld.choice = ((fld.choice+d)%n + n) % n
	fld.err = ""
}

// fieldAction is the focused field's own button.
func (f *Form) fieldAction(fld *field) tea.Cmd {
	switch fld.Kind {
	case Captcha:
		return emit(CaptchaRefresh{Form: f.cfg.ID, Key: fld.Key})
	case SMSCode:
		if fld.countdown > 0 {
			return nil
		}
		return emit(SMSRequested{Form: f.cfg.ID, Key: fld.Key, Values: f.Values()})
	}
	return nil
}

// press acts on a button.
func (f *Form) press(id string) tea.Cmd {
	switch id {
	case ButtonPrev:
		if f.step > 0 {
			f.seq++ // drop a running check of this step
			f.pending = false
			f.gotoStep(f.step - 1)
		}
		return nil
	case ButtonCancel:
		return emit(Cancelled{Form: f.cfg.ID})
	case ButtonNext:
		return f.next()
	}
	return emit(ButtonPressed{Form: f.cfg.ID, ID: id})
}

// back is esc: the previous step keeps its values; on the first step the
// owner decides where 返回 goes.
func (f *Form) back() tea.Cmd {
	if f.step > 0 {
		return f.press(ButtonPrev)
	}
	return emit(Cancelled{Form: f.cfg.ID})
}

// Validate checks every field of the current step as on submit, shows the
// errors and focuses the first one. It reports whether the step is valid.
func (f *Form) Validate() bool {
	firstBad := -1
	for i, fld := range f.fields() {
		msg, ok := fld.check(true)
		fld.err = msg
		if !ok && firstBad < 0 {
			firstBad = i
		}
	}
	if firstBad >= 0 {
		f.setFocus(firstBad, false)
		return false
	}
	return true
}

func (f *Form) next() tea.Cmd {
	if f.busy || f.pending {
		return nil
	}
	if !f.Validate() {
		return emit(Invalid{Form: f.cfg.ID})
	}
	f.formErr = ""
	if f.cfg.CheckStep != nil {
		f.pending = true
		f.seq++
		return f.cfg.CheckStep(f.step, f.seq, f.Values())
	}
	return f.advance()
}

// advance moves to the next step or submits. Submitting marks the form
// busy until the owner calls SetBusy(false), so a second press cannot send
// the same request twice.
func (f *Form) advance() tea.Cmd {
	if f.step < len(f.steps)-1 {
		f.gotoStep(f.step + 1)
		return nil
	}
	f.busy = true
	return emit(Submitted{Form: f.cfg.ID, Values: f.Values()})
}
