// Package facestep holds the device-backed components of the kiosk's
// flows: the camera capture (preview, 拍照, quality check, review) and the
// face verification of a person (automatic, or confirmed by counter staff),
// each a kit.Component a flow can take as a step, and the face step as a
// screen of its own.
package facestep

import (
	"context"
	"image"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/devices/camera/quality"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// CaptureConfig declares a capture: the live preview, 拍照, the quality
// check and, optionally, a review of the still before it is used.
// Document photos use Count 1 with Review; the face step uses Count 3
// without (the verdict comes straight after).
type CaptureConfig struct {
	ID     string  // zone prefix, slot and message tag; unique among live captures
	Count  int     // frames per shot (a burst); 0 means 1
	Review bool    // show the still with 使用此照片 / 重拍 before emitting Captured
	Guide  bool    // oval face guide over the picture
	Hint   string  // instruction under the live picture (a catalog id)
	FPS    float64 // preview frame-rate cap; 0 means widget.PreviewFPS
}

// Messages of the capture.
type (
	// Captured carries the shot: Count frames, each passed the quality
	// check. Frames are shared with the camera and read-only.
	Captured struct {
		ID     string
		Images []image.Image
	}
	// CaptureCancelled: 返回 was pressed.
	CaptureCancelled struct{ ID string }
	// captureChecked brings the quality verdicts back from a command.
	captureChecked struct {
		id      string
		results []quality.Result
	}
)

// Button ids of the capture (zone id: config ID + ":" + button id).
const (
	CaptureShoot  = "shoot"
	CaptureRetake = "retake"
	CaptureUse    = "use"
	CaptureBack   = "back"
)

// Texts of the capture.
const (
	captureShooting = "capture.shooting"
	captureChecking = "capture.checking"
	captureReview   = "capture.review"
)

type captureState int

const (
	capLive     captureState = iota // live preview, 拍照 once a frame is there
	capShooting                     // collecting the burst
	capChecking                     // quality check running
	capBad                          // a frame failed the check: hint and 重拍
	capReview                       // still on show: 使用此照片 / 重拍
	capDone                         // Captured emitted
)

// Capture is the capture/preview/retake widget; the face step embeds it,
// and Document wraps it as a flow step.
type Capture struct {
	a       *kit.App
	cfg     CaptureConfig
	preview *widget.Preview
	state   captureState
	shots   []image.Image
	seen    int // preview frame count when the last burst frame was taken
	hint    i18n.Text
	buttons kit.ButtonRow
	w       int // the room across, for the sentence under the picture
}

// NewCapture builds a capture on the kiosk's camera.
func NewCapture(a *kit.App, cfg CaptureConfig) *Capture {
	if cfg.Count <= 0 {
		cfg.Count = 1
	}
	c := &Capture{a: a, cfg: cfg, buttons: kit.NewButtonRow(a, cfg.ID)}
	c.preview = widget.NewPreview(a.Deps.Camera, widget.PreviewConfig{
		ID: cfg.ID + ":pv", FPS: cfg.FPS, Guide: cfg.Guide, Styles: a.St, Keys: a.Keys, Zones: a.Zones, Tasks: a, Text: a.T})
	c.live()
	return c
}

func (c *Capture) checkSlot() string { return c.cfg.ID + ":check" }

// Init starts the camera stream.
func (c *Capture) Init() tea.Cmd { return c.preview.Start() }

// Restart drops the shot and goes back to the live preview (重拍).
func (c *Capture) Restart() tea.Cmd {
	c.live()
	return c.preview.Start()
}

// Stop ends the stream and releases the camera (leaving the screen).
func (c *Capture) Stop() tea.Cmd { return c.preview.Stop() }

// Preview is the live picture.
func (c *Capture) Preview() *widget.Preview { return c.preview }

func (c *Capture) live() {
	c.a.Drop(c.checkSlot()) // a verdict about an abandoned shot never arrives
	c.state, c.shots, c.hint = capLive, nil, i18n.Text{}
	c.shootButtons()
}

func (c *Capture) shootButtons() {
	c.buttons.Set(kit.Btn{ID: CaptureShoot, Label: "capture.shoot", Disabled: c.preview.Latest() == nil},
		kit.Btn{ID: CaptureBack, Label: "key.back"})
}

// SetSize sizes the picture: frame (2 rows), status, the sentence under
// it (up to two lines where a language needs them), blank, buttons around
// it; at 120×40 it is 53×20 cells (4:3), enough to aim and cheap.
func (c *Capture) SetSize(w, h int) {
	c.w = w
	c.preview.SetSize(min(w-4, 60), min(h-7, 20))
}

func (c *Capture) Help() []key.Binding {
	if c.preview.Failed() {
		return c.preview.Help()
	}
	return append(c.buttons.Help(), c.a.Keys.Back)
}

func (c *Capture) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case widget.PreviewFrame:
		cmd := c.preview.Update(msg)
		switch c.state {
		case capLive:
			if c.preview.Frames() == 1 {
				c.shootButtons() // the first frame: 拍照 becomes usable and takes the focus
			}
		case capShooting:
			if c.preview.Frames() > c.seen {
				c.seen = c.preview.Frames()
				c.shots = append(c.shots, c.preview.Latest())
				if len(c.shots) >= c.cfg.Count {
					return c.check() // the next read is not wanted
				}
			}
		}
		return cmd
	case widget.PreviewBack:
		return c.cancel()
	case captureChecked:
		if msg.id == c.cfg.ID && c.state == capChecking {
			return c.checked(msg.results)
		}
		return nil
	case tea.KeyMsg, tea.MouseMsg:
		if c.preview.Failed() {
			return c.preview.Update(msg)
		}
		if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, c.a.Keys.Back) {
			if c.state == capLive || c.state == capBad || c.state == capReview {
				return c.cancel()
			}
			return nil
		}
		return c.press(c.buttons.Update(msg))
	}
	return nil
}

func (c *Capture) press(id string) tea.Cmd {
	switch id {
	case CaptureShoot:
		if c.state != capLive || c.preview.Latest() == nil {
			return nil
		}
		c.shots = []image.Image{c.preview.Latest()}
		c.seen = c.preview.Frames()
		if len(c.shots) >= c.cfg.Count {
			return c.check()
		}
		c.state = capShooting
		c.buttons.Set()
	case CaptureRetake:
		return c.Restart()
	case CaptureUse:
		if c.state == capReview {
			return c.done()
		}
	case CaptureBack:
		return c.cancel()
	}
	return nil
}

func (c *Capture) cancel() tea.Cmd { return kit.Emit(CaptureCancelled{ID: c.cfg.ID}) }

// check freezes the picture on the first frame of the shot and runs the
// quality check in a command (a few milliseconds per frame, kept off the
// event loop with everything else that is not drawing).
func (c *Capture) check() tea.Cmd {
	c.preview.Show(c.shots[0])
	c.state = capChecking
	c.buttons.Set()
	shots, id := append([]image.Image(nil), c.shots...), c.cfg.ID
	return c.a.In(c.checkSlot(), func(context.Context) tea.Msg {
		res := make([]quality.Result, len(shots))
		for i, img := range shots {
			res[i] = quality.Check(img)
		}
		return captureChecked{id: id, results: res}
	})
}

func (c *Capture) checked(results []quality.Result) tea.Cmd {
	for i, r := range results {
		if !r.OK() {
			c.state, c.hint = capBad, r.Hint
			c.preview.Show(c.shots[i]) // show the frame that failed
			c.buttons.Set(kit.Btn{ID: CaptureRetake, Label: "capture.retake"}, kit.Btn{ID: CaptureBack, Label: "key.back"})
			return nil
		}
	}
	if c.cfg.Review {
		c.state = capReview
		c.buttons.Set(kit.Btn{ID: CaptureUse, Label: "capture.use"}, kit.Btn{ID: CaptureRetake, Label: "capture.retake"})
		return nil
	}
	return c.done()
}

func (c *Capture) done() tea.Cmd {
	c.state = capDone
	c.buttons.Set()
	return kit.Emit(Captured{ID: c.cfg.ID, Images: append([]image.Image(nil), c.shots...)})
}

// line is the sentence under the picture for the current state, wrapped
// to the room (each line indented by one cell).
func (c *Capture) line() string {
	st := c.a.St
	style, text := st.Text, ""
	switch c.state {
	case capShooting:
		text = c.a.S(captureShooting)
	case capChecking:
		text = c.a.S(captureChecking)
	case capBad:
		style, text = st.Error, c.a.T(c.hint)
	case capReview:
		text = c.a.S(captureReview)
	case capLive:
		if c.cfg.Hint != "" {
			style, text = st.Muted, c.a.S(c.cfg.Hint)
		}
	}
	return Indented(style, text, c.w)
}

// Indented is text wrapped to w cells (less a one-cell indent), each line
// in style and indented by one cell.
func Indented(style lipgloss.Style, text string, w int) string {
	if w <= 0 {
		w = 80
	}
	lines := widget.Wrap(text, max(w-2, 10))
	for i, l := range lines {
		lines[i] = " " + style.Render(l)
	}
	return strings.Join(lines, "\n")
}

func (c *Capture) View() string {
	parts := []string{c.preview.View(), c.line(), ""}
	if !c.preview.Failed() {
		parts = append(parts, " "+c.buttons.View())
	}
	return strings.Join(parts, "\n")
}

// Document is a capture as a flow step: a photo of a document (营业执照,
// 身份证 front and back), reviewed before it is used. It reports
// kit.StepDone{Photo} or kit.StepBack.
type Document struct {
	kit.Base
	title string
	cap   *Capture
}

// Photo is what a Document step took (Title a catalog id).
type Photo struct {
	Title string
	Image image.Image
}

// NewDocument builds a document step titled title (a catalog id: the
// document's name); hint is a catalog id too.
func NewDocument(a *kit.App, id, title, hint string) *Document {
	return &Document{title: title, cap: NewCapture(a, CaptureConfig{ID: id, Review: true, Hint: hint})}
}

func (d *Document) Init() tea.Cmd       { return d.cap.Init() }
func (d *Document) SetSize(w, h int)    { d.cap.SetSize(w, h-3) }
func (d *Document) Help() []key.Binding { return d.cap.Help() }
func (d *Document) Leave() tea.Cmd      { return d.cap.Stop() }

func (d *Document) Update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case Captured:
		if m.ID == d.cap.cfg.ID {
			return tea.Batch(d.cap.Stop(), kit.Emit(kit.StepDone{Result: Photo{Title: d.title, Image: m.Images[0]}}))
		}
		return nil
	case CaptureCancelled:
		if m.ID == d.cap.cfg.ID {
			return kit.Emit(kit.StepBack{})
		}
		return nil
	}
	return d.cap.Update(msg)
}

func (d *Document) View() string {
	return "\n  " + d.cap.a.St.Title.Render(d.cap.a.S(d.title)) + "\n\n" + d.cap.View()
}
