// Package theme is the leaf package every screen, the form component and the
// widgets share: one Styles struct and one KeyMap. Keeping them here avoids
// the import cycle screens → screens/form → screens.
package theme

import "github.com/charmbracelet/lipgloss"

// Palette of the kiosk: a government-service blue with a warm accent. Colours
// degrade to plain text under the ASCII profile, so every focus and button
// state is also visible through characters (markers, brackets).
var (
	colorPrimary = lipgloss.Color("#1F5FAF")
	colorAccent  = lipgloss.Color("#E8A33D")
	colorText    = lipgloss.Color("#E6E6E6")
	colorMuted   = lipgloss.Color("#8A8F98")
	colorError   = lipgloss.Color("#E5534B")
	colorOK      = lipgloss.Color("#57AB5A")
	colorFocus   = lipgloss.Color("#4FA3FF")
	colorBanner  = lipgloss.Color("#3D2E00")
)

// Styles holds every style the kiosk draws with.
type Styles struct {
	// Shell.
	Header         lipgloss.Style // platform name, kiosk id and mute flag
	HeaderSelected lipgloss.Style // the current language on the header's button
	Banner         lipgloss.Style // permanent demo-mode banner
	Rule           lipgloss.Style // horizontal separators
	Session        lipgloss.Style // "当前登录" line
	StepCurrent    lipgloss.Style
	StepDone       lipgloss.Style
	StepTodo       lipgloss.Style
	StepSep        lipgloss.Style
	Footer         lipgloss.Style
	Overlay        lipgloss.Style // idle countdown box
	TooSmall       lipgloss.Style

	// Content.
	Title   lipgloss.Style // screen title
	Text    lipgloss.Style
	Muted   lipgloss.Style
	Error   lipgloss.Style // form-level or screen-level error sentence
	Success lipgloss.Style
	Spinner lipgloss.Style

	// Form fields.
	Label          lipgloss.Style
	LabelFocused   lipgloss.Style
	Required       lipgloss.Style
	Input          lipgloss.Style
	InputFocused   lipgloss.Style
	Placeholder    lipgloss.Style
	FieldError     lipgloss.Style
	Option         lipgloss.Style
	OptionSelected lipgloss.Style
	Captcha        lipgloss.Style
	Link           lipgloss.Style // small inline buttons: 显示/隐藏, 换一张, 获取验证码

	// Buttons.
	Button         lipgloss.Style
	ButtonFocused  lipgloss.Style
	ButtonDisabled lipgloss.Style
	// Boxed buttons, three rows high: touch targets where the height
	// allows. The focused one has a double border (visible without colour).
	BoxButton         lipgloss.Style
	BoxButtonFocused  lipgloss.Style
	BoxButtonDisabled lipgloss.Style
	Tile              lipgloss.Style // big home-screen buttons
	TileFocused       lipgloss.Style

	// Info tables (centers).
	InfoKey   lipgloss.Style
	InfoValue lipgloss.Style
}

// DefaultStyles builds the kiosk's styles. Variants derive from a base so a
// change to the base carries over.
func DefaultStyles() *Styles {
	s := &Styles{}
	text := lipgloss.NewStyle().Foreground(colorText)

	s.Header = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(colorPrimary).Padding(0, 1)
	s.HeaderSelected = s.Header.UnsetPadding().Foreground(colorAccent).Underline(true)
	s.Banner = lipgloss.NewStyle().Bold(true).Foreground(colorAccent).Background(colorBanner)
	s.Rule = lipgloss.NewStyle().Foreground(colorMuted)
	s.Session = text.Foreground(colorOK)
	s.StepTodo = lipgloss.NewStyle().Foreground(colorMuted)
	s.StepDone = text
	s.StepCurrent = lipgloss.NewStyle().Bold(true).Foreground(colorFocus).Underline(true)
	s.StepSep = s.StepTodo
	s.Footer = lipgloss.NewStyle().Foreground(colorMuted)
	s.Overlay = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(colorAccent).Padding(1, 4).Align(lipgloss.Center)
	s.TooSmall = lipgloss.NewStyle().Bold(true).Foreground(colorAccent)

	s.Title = lipgloss.NewStyle().Bold(true).Foreground(colorFocus)
	s.Text = text
	s.Muted = lipgloss.NewStyle().Foreground(colorMuted)
	s.Error = lipgloss.NewStyle().Bold(true).Foreground(colorError)
	s.Success = lipgloss.NewStyle().Bold(true).Foreground(colorOK)
	s.Spinner = lipgloss.NewStyle().Foreground(colorFocus)

	s.Label = text
	s.LabelFocused = s.Label.Bold(true).Foreground(colorFocus)
	s.Required = lipgloss.NewStyle().Foreground(colorError)
	s.Input = text
	s.InputFocused = s.Input.Foreground(lipgloss.Color("#FFFFFF"))
	s.Placeholder = s.Muted
	s.FieldError = lipgloss.NewStyle().Foreground(colorError)
	s.Option = text
	s.OptionSelected = s.Option.Bold(true).Foreground(colorFocus)
	s.Captcha = lipgloss.NewStyle().Foreground(colorAccent)
	s.Link = lipgloss.NewStyle().Foreground(colorFocus).Underline(true)

	s.Button = text.Padding(0, 1)
	s.ButtonFocused = s.Button.Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(colorPrimary)
	s.ButtonDisabled = s.Button.Foreground(colorMuted)
	s.BoxButton = text.Border(lipgloss.RoundedBorder()).BorderForeground(colorPrimary).Padding(0, 1)
	s.BoxButtonFocused = s.BoxButton.Border(lipgloss.DoubleBorder()).BorderForeground(colorFocus).Bold(true).Foreground(colorFocus)
	s.BoxButtonDisabled = s.BoxButton.BorderForeground(colorMuted).Foreground(colorMuted)
	s.Tile = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorMuted).Padding(1, 2).Align(lipgloss.Center)
	s.TileFocused = s.Tile.Border(lipgloss.DoubleBorder()).BorderForeground(colorFocus).Bold(true).Foreground(colorFocus)

	s.InfoKey = s.Muted
	s.InfoValue = text
	return s
}
