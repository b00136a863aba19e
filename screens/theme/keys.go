package theme

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the kiosk's one key map: every binding of every screen lives
// here. Help texts are catalog ids (model/i18n): the footer renders them in
// the language of the visit; a help key that is an id too ("key.any") is
// rendered as well. Screens copy a binding and relabel it when they need a different
// help text (b := keys.Back; b.SetHelp("esc", "取消")) and match with
// key.Matches, never on msg.String().
//
// Priority (gh-dash): a focused text input gets a key first, then the
// global keys, then the screen's. Space is a key of its own only in Press:
// on a text input it types a space, on a button or a choice it presses.
type KeyMap struct {
	Next     key.Binding // focus the next field or button
	Prev     key.Binding // focus the previous one
	Up       key.Binding // a row up in a grid or list
	Down     key.Binding // a row down
	Left     key.Binding // previous option / button / column
	Right    key.Binding // next option / button / column
	PageUp   key.Binding // previous page of a list
	PageDown key.Binding // next page of a list
	Enter    key.Binding // go on: next field, or press the focused button
	Press    key.Binding // press the focused button or option (enter, space)
	Back     key.Binding // 返回
	Reveal   key.Binding // show/hide the focused password
	Action   key.Binding // the focused field's own button: 换一张, 获取验证码, 选择文件
	Speak    key.Binding // the spoken picture captcha (听语音)
	Mute     key.Binding // voice prompts on/off
	Lang     key.Binding // the next interface language (中文 · 조선어 · EN)
	Phone    key.Binding // the demo's simulated phone, collapsed: open/close
	Close    key.Binding // close an overlay (help text; F9 or esc)
	Quit     key.Binding // development only: a citizen must not quit the kiosk
	Continue key.Binding // help text of the idle countdown ("any key")
}

// DefaultKeyMap builds the key map. allowQuit enables ctrl+c; production
// kiosks run with it off. The staff chord is not in it: it is configured
// (Deps.StaffChord), matched by the root before any screen sees the key
// (screens/staff_mode.go), and never shown in the help.
func DefaultKeyMap(allowQuit bool) KeyMap {
	k := KeyMap{
		Next:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "key.next")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "key.prev")),
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "key.up")),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "key.down")),
		Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "key.left")),
		Right:    key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "key.right")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("PgUp", "key.page_up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("PgDn", "key.page_down")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "key.enter")),
		Press:    key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "key.enter")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "key.back")),
		Reveal:   key.NewBinding(key.WithKeys("f2"), key.WithHelp("F2", "key.reveal")),
		Action:   key.NewBinding(key.WithKeys("f5"), key.WithHelp("F5", "key.refresh")),
		Speak:    key.NewBinding(key.WithKeys("f6"), key.WithHelp("F6", "key.speak")),
		Mute:     key.NewBinding(key.WithKeys("f8"), key.WithHelp("F8", "key.mute")),
		Lang:     key.NewBinding(key.WithKeys("f3"), key.WithHelp("F3", "key.lang")),
		Phone:    key.NewBinding(key.WithKeys("f9"), key.WithHelp("F9", "key.phone")),
		Close:    key.NewBinding(key.WithKeys("f9", "esc"), key.WithHelp("F9/esc", "key.phone_close")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "key.quit")),
		Continue: key.NewBinding(key.WithKeys("any"), key.WithHelp("key.any", "key.continue")), // help text only
	}
	if !allowQuit {
		k.Quit.SetEnabled(false)
	}
	return k
}
