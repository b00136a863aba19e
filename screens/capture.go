package screens

import (
	"image"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/camera/quality"
	"kiosk/screens/widget"
)

// CaptureConfig declares a capture widget: the live preview, 拍照, the
// quality check and, optionally, a review of the still before it is used.
// Document photos use Count 1 with Review; the face step uses Count 3
// without (the verdict comes straight after).
type CaptureConfig struct {
	ID     string  // zone prefix and message tag; unique among live widgets
	Count  int     // frames per shot (a burst); 0 means 1
	Review bool    // show the still with 使用此照片 / 重拍 before emitting Captured
	Guide  bool    // oval face guide over the picture
	Hint   string  // instruction under the live picture
	FPS    float64 // preview frame-rate cap; 0 means widget.PreviewFPS
}

// Messages of the capture widget.
type (
	// Captured carries the shot: Count frames, each passed the quality check.
	// Frames are shared with the camera and read-only.
	Captured struct {
		ID     string
		Images []image.Image
	}
	// CaptureCancelled: 返回 was pressed.
	CaptureCancelled struct{ ID string }
	// captureChecked brings the quality verdicts back from a command.
	captureChecked struct {
		id      string
		gen     int
		results []quality.Result
	}
)

// Button ids of the capture widget (zone id: config ID + ":" + button id).
const (
	CaptureShoot  = "shoot"
	CaptureRetake = "retake"
	CaptureUse    = "use"
	CaptureBack   = "back"
)

// Texts of the capture widget.
const (
	captureShooting = "正在拍照，请保持不动…"
	captureChecking = "正在检查画面…"
	captureReview   = "请确认照片清晰、完整，再点击“使用此照片”"
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

// capture is the capture/preview/retake widget; screens embed it.
type capture struct {
	a       *app
	cfg     CaptureConfig
	preview *widget.Preview
	state   captureState
	gen     int // drops quality verdicts of an abandoned shot
	shots   []image.Image
	seen    int // preview frame count when the last burst frame was taken
	hint    string
	buttons buttonRow
}

func newCapture(a *app, cfg CaptureConfig) *capture {
	if cfg.Count <= 0 {
		cfg.Count = 1
	}
	c := &capture{a: a, cfg: cfg, buttons: buttonRow{a: a, prefix: cfg.ID}}
	c.preview = widget.NewPreview(a.deps.Camera, widget.PreviewConfig{
		ID: cfg.ID + ":pv", FPS: cfg.FPS, Guide: cfg.Guide, Styles: a.st, Keys: a.keys, Zones: a.zones})
	c.live()
	return c
}

// Init starts the camera stream.
func (c *capture) Init() tea.Cmd { return c.preview.Start() }

// Restart drops the shot and goes back to the live preview (重拍).
func (c *capture) Restart() tea.Cmd {
	c.live()
	return c.preview.Start()
}

// Stop ends the stream and releases the camera (leaving the screen).
func (c *capture) Stop() tea.Cmd { return c.preview.Stop() }

func (c *capture) live() {
	c.gen++
	c.state, c.shots, c.hint = capLive, nil, ""
	c.shootButtons()
}

func (c *capture) shootButtons() {
	c.buttons.set(btn{id: CaptureShoot, label: "拍照", disabled: c.preview.Latest() == nil},
		btn{id: CaptureBack, label: "返回"})
}

func (c *capture) SetSize(w, h int) {
	// Frame (2 rows), status, hint, blank, buttons around the picture; at
	// 120×40 the picture is 53×20 cells (4:3), enough to aim and cheap.
	c.preview.SetSize(min(w-4, 60), min(h-6, 20))
}

func (c *capture) Help() []key.Binding {
	if c.preview.Failed() {
		return c.preview.Help()
	}
	return append(c.buttons.help(), c.a.keys.Back)
}

func (c *capture) Update(msg tea.Msg) tea.Cmd {
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
		if msg.id == c.cfg.ID && msg.gen == c.gen && c.state == capChecking {
			return c.checked(msg.results)
		}
		return nil
	case tea.KeyMsg, tea.MouseMsg:
		if c.preview.Failed() {
			return c.preview.Update(msg)
		}
		if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, c.a.keys.Back) {
			if c.state == capLive || c.state == capBad || c.state == capReview {
				return c.cancel()
			}
			return nil
		}
		return c.press(c.buttons.update(msg))
	}
	return nil
}

func (c *capture) press(id string) tea.Cmd {
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
		c.buttons.set()
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

func (c *capture) cancel() tea.Cmd {
	id := c.cfg.ID
	return func() tea.Msg { return CaptureCancelled{ID: id} }
}

// check freezes the picture on the first frame of the shot and runs the
// quality check in a command (a few milliseconds per frame, kept off the
// event loop with everything else that is not drawing).
func (c *capture) check() tea.Cmd {
	c.preview.Show(c.shots[0])
	c.state = capChecking
	c.buttons.set()
	shots, id, gen := append([]image.Image(nil), c.shots...), c.cfg.ID, c.gen
	return func() tea.Msg {
		res := make([]quality.Result, len(shots))
		for i, img := range shots {
			res[i] = quality.Check(img)
		}
		return captureChecked{id: id, gen: gen, results: res}
	}
}

func (c *capture) checked(results []quality.Result) tea.Cmd {
	for i, r := range results {
		if !r.OK() {
			c.state, c.hint = capBad, r.Hint
			c.preview.Show(c.shots[i]) // show the frame that failed
			c.buttons.set(btn{id: CaptureRetake, label: "重拍"}, btn{id: CaptureBack, label: "返回"})
			return nil
		}
	}
	if c.cfg.Review {
		c.state = capReview
		c.buttons.set(btn{id: CaptureUse, label: "使用此照片"}, btn{id: CaptureRetake, label: "重拍"})
		return nil
	}
	return c.done()
}

func (c *capture) done() tea.Cmd {
	c.state = capDone
	c.buttons.set()
	m := Captured{ID: c.cfg.ID, Images: append([]image.Image(nil), c.shots...)}
	return func() tea.Msg { return m }
}

// line is the sentence under the picture for the current state.
func (c *capture) line() string {
	st := c.a.st
	switch c.state {
	case capShooting:
		return st.Text.Render(captureShooting)
	case capChecking:
		return st.Text.Render(captureChecking)
	case capBad:
		return st.Error.Render(c.hint)
	case capReview:
		return st.Text.Render(captureReview)
	case capLive:
		return st.Muted.Render(c.cfg.Hint)
	}
	return ""
}

func (c *capture) View() string {
	parts := []string{c.preview.View(), " " + c.line(), ""}
	if !c.preview.Failed() {
		parts = append(parts, " "+c.buttons.view())
	}
	return strings.Join(parts, "\n")
}
