package form

import (
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/rules"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// AreaField is free text over several lines (申诉备注), wrapped to the
// width, with a live "n/150" counter under it. Typing appends and
// backspace deletes at the end: a kiosk has no mouse selection or
// clipboard, and enter goes on to the next field like everywhere else.
type AreaField struct {
	Spec
	value []rune
	lines int // visible lines
	focus bool
}

// TextArea declares a text area (default at most 150 characters, 3 lines).
func TextArea(key, label string, opts ...Option) *AreaField {
	s := spec(key, label, opts)
	if s.MaxLen <= 0 {
		s.MaxLen = 150
	}
	return &AreaField{Spec: s, lines: 3}
}

func (f *AreaField) Base() *Spec  { return &f.Spec }
func (f *AreaField) Text() string { return string(f.value) }
func (f *AreaField) Check() error { return nil }
func (f *AreaField) Focus()       { f.focus = true }
func (f *AreaField) Blur()        { f.focus = false }
func (f *AreaField) Value() any {
	if len(f.value) == 0 {
		return nil
	}
	return string(f.value)
}

func (f *AreaField) SetText(v string) {
	f.value = nil
	f.add(v)
}

func (f *AreaField) add(s string) {
	for _, r := range rules.Sanitize(s) {
		if r == '\n' || r == '\t' {
			r = ' '
		}
		// Combining marks and modifiers are drawn on what they follow and
		// counted differently by width tables: the box would tear.
		if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.In(r, unicode.M, unicode.Sk, unicode.Cf, unicode.Variation_Selector) {
			continue
		}
		if len(f.value) >= f.MaxLen {
			return
		}
		f.value = append(f.value, r)
	}
}

func (f *AreaField) Reset() {
	f.value = nil
	f.err, f.note = i18n.Text{}, i18n.Text{}
}

func (f *AreaField) OnKey(msg tea.KeyMsg, _ *Ctx) (tea.Cmd, bool) {
	switch msg.Type {
	case tea.KeyRunes:
		f.add(string(msg.Runes))
	case tea.KeySpace:
		f.add(" ")
	case tea.KeyBackspace:
		if n := len(f.value); n > 0 {
			f.value = f.value[:n-1]
		}
	default:
		return nil, false
	}
	f.err = i18n.Text{}
	return nil, true
}

func (f *AreaField) OnTap(tea.MouseMsg, *Ctx) (tea.Cmd, bool) { return nil, false }
func (f *AreaField) Action(*Ctx) tea.Cmd                      { return nil }
func (f *AreaField) Help(theme.KeyMap) []key.Binding          { return nil }

func (f *AreaField) View(c *Ctx, focused bool) (string, []string) {
	w := max(min(c.Width-2, 60), 10)
	text := string(f.value)
	style := c.St.Input
	if text == "" && !focused && f.Placeholder != "" {
		text, style = c.S(f.Placeholder), c.St.Placeholder
	}
	if focused {
		text += "█" // the cursor: always at the end
	}
	wrapped := strings.Split(ansi.Hardwrap(text, w, true), "\n")
	if len(wrapped) > f.lines { // the end, where typing happens, stays in sight
		wrapped = wrapped[len(wrapped)-f.lines:]
	}
	for len(wrapped) < f.lines {
		wrapped = append(wrapped, "")
	}
	box := make([]string, 0, f.lines+1)
	for _, l := range wrapped {
		box = append(box, "│"+style.Render(widget.PadRight(l, w))+"│")
	}
	counter := strconv.Itoa(utf8.RuneCountInString(string(f.value))) + "/" + strconv.Itoa(f.MaxLen)
	box = append(box, c.St.Muted.Render(widget.PadLeft(counter, w+2)))
	return box[0], box[1:]
}

// File is a file chosen for a File field.
type File struct {
	Name string // base name, as shown
	Path string // where it was read from (under the picker's root)
	Size int64
	// Type is the type the picker named from the content (model/material),
	// and Data the content it read and checked; both empty for a file only
	// named.
	Type material.Type
	Data []byte
}

// FileField holds files chosen with a picker (选择文件, F5 or a tap): the
// owner opens the picker on FileRequested and calls SetFiles.
type FileField struct {
	Spec
	Accept []string // extensions with the dot, lower case (".pdf")
	Limit  int      // most files; 0 means 1
	// Camera offers 拍照 beside 选择文件 (F6 or a tap): the owner opens a
	// document capture on CaptureRequested and calls SetFiles with the
	// photo.
	Camera bool
	files  []File
}

// WithCamera offers 拍照 on the field (a document photographed with the
// kiosk's camera).
func (f *FileField) WithCamera() *FileField {
	f.Camera = true
	return f
}

// FileInput declares a file field accepting the given extensions.
func FileInput(key, label string, accept []string, opts ...Option) *FileField {
	return &FileField{Spec: spec(key, label, opts), Accept: accept}
}

// Accepts reports whether a file name has one of the accepted extensions.
func (f *FileField) Accepts(name string) bool {
	if len(f.Accept) == 0 {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, a := range f.Accept {
		if ext == a {
			return true
		}
	}
	return false
}

func (f *FileField) Base() *Spec  { return &f.Spec }
func (f *FileField) Check() error { return nil }
func (f *FileField) Focus()       {}
func (f *FileField) Blur()        {}

// Text is the chosen names, joined ("" for none).
func (f *FileField) Text() string {
	names := make([]string, len(f.files))
	for i, x := range f.files {
		names[i] = x.Name
	}
	return strings.Join(names, "、")
}

// SetText clears the files ("" only): names alone are no files.
func (f *FileField) SetText(v string) {
	if v == "" {
		f.files = nil
	}
}

func (f *FileField) Value() any {
	if len(f.files) == 0 {
		return nil
	}
	return append([]File(nil), f.files...)
}

func (f *FileField) setFiles(files []File) {
	limit := max(f.Limit, 1)
	f.files = nil
	for _, x := range files {
		// A file the picker checked by content is in, whatever its name
		// (a JPEG called .jpeg, a PNG without an extension).
		if len(f.files) < limit && (x.Type != "" || f.Accepts(x.Name)) {
			f.files = append(f.files, x)
		}
	}
	f.err = i18n.Text{}
}

func (f *FileField) Reset() {
	f.files = nil
	f.err, f.note = i18n.Text{}, i18n.Text{}
}

// OnKey: F6 (拍照) reaches the field through the form (Update), as the
// captcha's 听语音 does.
func (f *FileField) OnKey(tea.KeyMsg, *Ctx) (tea.Cmd, bool) { return nil, false }

func (f *FileField) capture(c *Ctx) tea.Cmd {
	return Emit(CaptureRequested{Form: c.Form, Key: f.Key})
}

func (f *FileField) Action(c *Ctx) tea.Cmd {
	return Emit(FileRequested{Form: c.Form, Key: f.Key, Accept: append([]string(nil), f.Accept...), Limit: max(f.Limit, 1)})
}

func (f *FileField) OnTap(m tea.MouseMsg, c *Ctx) (tea.Cmd, bool) {
	if c.Tapped(c.Zone("action", f.Key), m) {
		return f.Action(c), true
	}
	if f.Camera && c.Tapped(c.Zone("camera", f.Key), m) {
		return f.capture(c), true
	}
	return nil, false
}

func (f *FileField) Help(k theme.KeyMap) []key.Binding {
	a := k.Action
	a.SetHelp("F5", "form.file_choose")
	if !f.Camera {
		return []key.Binding{a}
	}
	cam := k.Speak
	cam.SetHelp("F6", "form.file_camera")
	return []key.Binding{a, cam}
}

func (f *FileField) View(c *Ctx, _ bool) (string, []string) {
	link := c.Mark(c.Zone("action", f.Key), c.St.Link.Render("["+c.S("form.file_choose")+"]"))
	if f.Camera {
		link += " " + c.Mark(c.Zone("camera", f.Key), c.St.Link.Render("["+c.S("form.file_camera")+"]"))
	}
	if len(f.files) == 0 {
		return c.St.Placeholder.Render(c.S("form.file_none")) + "  " + link, nil
	}
	names := ansi.Truncate(rules.Sanitize(f.Text()), max(c.Width-14, 10), "…")
	return c.St.Input.Render(names) + "  " + link, nil
}
