package theme

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the kiosk's global key map. Screens copy a binding and relabel
// it when they need a different help text.
type KeyMap struct {
	Next     key.Binding // focus the next field or button
	Prev     key.Binding // focus the previous one
	Left     key.Binding // previous option / button
	Right    key.Binding // next option / button
	Enter    key.Binding // press the focused button, or go to the next field
	Back     key.Binding // 返回
	Reveal   key.Binding // show/hide the focused password
	Action   key.Binding // the focused field's own button: 换一张, 获取验证码
	Mute     key.Binding // voice prompts on/off (audio comes later)
	Quit     key.Binding // development only: a citizen must not quit the kiosk
	Continue key.Binding // help text of the idle countdown ("any key")
}

// DefaultKeyMap builds the key map. allowQuit enables ctrl+c; production
// kiosks run with it off. The staff chord is deliberately not bound until
// the staff screens exist.
func DefaultKeyMap(allowQuit bool) KeyMap {
	k := KeyMap{
		Next:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "下一项")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "上一项")),
		Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "左")),
		Right:    key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "右")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "确认")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "返回")),
		Reveal:   key.NewBinding(key.WithKeys("f2"), key.WithHelp("F2", "显示/隐藏密码")),
		Action:   key.NewBinding(key.WithKeys("f5"), key.WithHelp("F5", "换一张")),
		Mute:     key.NewBinding(key.WithKeys("f8"), key.WithHelp("F8", "静音")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "退出程序")),
		Continue: key.NewBinding(key.WithKeys("any"), key.WithHelp("任意键", "继续")), // help text only
	}
	if !allowQuit {
		k.Quit.SetEnabled(false)
	}
	return k
}
