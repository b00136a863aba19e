package widget

import (
	"context"
	"errors"
	"image"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/devices/camera"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/task"
	"kiosk/screens/theme"
)

// PreviewFPS caps the live preview: smooth enough to aim a face or a
// document, cheap on a 2-core kiosk (each frame is a full repaint).
const PreviewFPS = 8

// Texts of the preview.
const (
	SimulatedCameraLabel = "preview.simulated"
	PreviewOpening       = "preview.opening"
	PreviewLive          = "preview.live"
	PreviewStill         = "preview.still"
	cameraFault          = "preview.fault"
)

// PreviewConfig declares a preview.
type PreviewConfig struct {
	ID     string  // zone prefix and message tag; unique among live previews
	FPS    float64 // frame-rate cap; 0 means PreviewFPS
	Guide  bool    // draw the oval face guide over the picture
	Styles *theme.Styles
	Keys   theme.KeyMap
	Zones  *zone.Manager // nil: no zones (pure tests)
	Tasks  Tasks         // where frames are read; nil: a scope of its own
	// Text renders catalog texts in the language of the visit; nil:
	// Chinese from the default catalog.
	Text func(i18n.Text) string
}

// Tasks runs the preview's reads in a slot of the visit (kit.App and
// task.Scope implement it): a newer read supersedes the older one, and
// Drop abandons it.
type Tasks interface {
	In(slot string, fn func(ctx context.Context) tea.Msg) tea.Cmd
	Drop(slot string)
}

// Messages of the preview.
type (
	// PreviewFrame is one frame (or a camera error) read by the preview's
	// command; owners pass it to Update like any message. Frames a stopped
	// or restarted stream still reads are never delivered: each read runs
	// in the preview's slot of the visit (Tasks), which Stop drops.
	PreviewFrame struct {
		ID    string
		Image image.Image
		Err   error
	}
	// PreviewBack is emitted when 返回 is pressed under a camera error.
	PreviewBack struct{ ID string }
)

type previewState int

const (
	previewIdle     previewState = iota
	previewStarting              // waiting for the first frame
	previewLive
	previewPaused // stream stopped, last frame or a still on show
	previewFailed
)

// Preview is the live camera picture drawn with half-block pixels. Frames
// come in through a command that reads exactly one frame and is issued
// again when its message arrives, so Update never waits on the device.
type Preview struct {
	cam      camera.Camera
	cfg      PreviewConfig
	interval time.Duration

	state  previewState
	latest image.Image // last live frame
	shown  image.Image // what the box shows (latest or a still)
	frames int         // live frames received since New
	errMsg i18n.Text
	focus  int // 0 重试, 1 返回 (failed state)

	maxCols, maxRows int
	cols, rows       int
	picture          string // rendered box content, redrawn on frame or size change
	guide            []bool // oval mask for the current size
}

// NewPreview builds a stopped preview; Start begins streaming. A nil
// camera shows the "no device" error.
func NewPreview(cam camera.Camera, cfg PreviewConfig) *Preview {
	if cfg.FPS <= 0 {
		cfg.FPS = PreviewFPS
	}
	if cfg.Styles == nil {
		cfg.Styles = theme.DefaultStyles()
	}
	if cfg.Keys.Next.Keys() == nil {
		cfg.Keys = theme.DefaultKeyMap(false)
	}
	if cfg.Tasks == nil {
		cfg.Tasks = task.New(0, nil)
	}
	if cfg.Text == nil {
		cat := i18n.Default()
		cfg.Text = func(t i18n.Text) string { return cat.Render(i18n.Chinese, t) }
	}
	p := &Preview{cam: cam, cfg: cfg, interval: time.Duration(float64(time.Second) / cfg.FPS)}
	p.SetSize(60, 20)
	return p
}

// Start (re)starts streaming and returns the first read command.
func (p *Preview) Start() tea.Cmd {
	p.halt()
	p.errMsg, p.focus = i18n.Text{}, 0
	if p.cam == nil {
		p.fail(camera.ErrNoDevice)
		return nil
	}
	p.state = previewStarting
	if p.latest != nil {
		p.show(p.latest)
	}
	return p.read(true)
}

// Pause ends the stream but keeps the device open (a retake follows soon).
func (p *Preview) Pause() {
	p.halt()
	if p.state != previewFailed {
		p.state = previewPaused
	}
}

// Stop ends the stream and releases the device in a command.
func (p *Preview) Stop() tea.Cmd {
	p.Pause()
	cam := p.cam
	if cam == nil {
		return nil
	}
	return func() tea.Msg {
		_ = cam.Stop() // nothing to show: the screen is being left
		return nil
	}
}

// Show pauses the stream and shows img (a captured still) in the box.
func (p *Preview) Show(img image.Image) {
	p.Pause()
	p.show(img)
}

func (p *Preview) slot() string { return p.cfg.ID + ":stream" }

// halt abandons the running read: its frame is never delivered.
func (p *Preview) halt() { p.cfg.Tasks.Drop(p.slot()) }

// read returns the command reading one frame. The closure captures values
// only. It also paces the stream: a cycle lasts at least 1/FPS even when
// the camera answers at once.
func (p *Preview) read(first bool) tea.Cmd {
	cam, id, interval := p.cam, p.cfg.ID, p.interval
	return p.cfg.Tasks.In(p.slot(), func(ctx context.Context) tea.Msg {
		begin := time.Now()
		var err error
		if first {
			err = cam.Start(ctx)
		}
		var img image.Image
		if err == nil {
			img, err = cam.Frame(ctx)
			// Someone (a previous screen leaving) stopped the shared camera
			// between our Start and Frame: start it again once.
			if errors.Is(err, camera.ErrNotStarted) {
				if err = cam.Start(ctx); err == nil {
					img, err = cam.Frame(ctx)
				}
			}
		}
		if err == nil {
			if wait := interval - time.Since(begin); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
				case <-t.C:
				}
				t.Stop()
			}
		}
		return PreviewFrame{ID: id, Image: img, Err: err}
	})
}

// Update handles the preview's frames and, under a camera error, its
// 重试/返回 buttons.
func (p *Preview) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PreviewFrame:
		if msg.ID != p.cfg.ID {
			return nil
		}
		if msg.Err != nil {
			p.halt()
			p.fail(msg.Err)
			return nil
		}
		p.state = previewLive
		p.frames++
		p.latest = msg.Image
		p.show(msg.Image)
		return p.read(false)
	case tea.KeyMsg:
		if p.state != previewFailed {
			return nil
		}
		k := p.cfg.Keys
		switch {
		case key.Matches(msg, k.Left, k.Right, k.Next, k.Prev):
			p.focus = 1 - p.focus
		case key.Matches(msg, k.Press):
			return p.press(p.focus)
		case key.Matches(msg, k.Back):
			return p.press(1)
		}
	case tea.MouseMsg:
		if p.state != previewFailed {
			return nil
		}
		for i, id := range []string{p.ZoneRetry(), p.ZoneBack()} {
			if Tapped(p.cfg.Zones, id, msg) {
				p.focus = i
				return p.press(i)
			}
		}
	}
	return nil
}

func (p *Preview) press(i int) tea.Cmd {
	if i == 0 {
		return p.Start()
	}
	id := p.cfg.ID
	return func() tea.Msg { return PreviewBack{ID: id} }
}

func (p *Preview) fail(err error) {
	p.state = previewFailed
	p.errMsg = i18n.T(cameraFault)
	var m model.Messager
	if errors.As(err, &m) && !m.Message().IsZero() {
		p.errMsg = m.Message()
	}
}

func (p *Preview) s(id string) string { return p.cfg.Text(i18n.T(id)) }

// Zone ids of the error buttons.
func (p *Preview) ZoneRetry() string { return p.cfg.ID + ":retry" }
func (p *Preview) ZoneBack() string  { return p.cfg.ID + ":back" }

// Latest is the last live frame (nil before the first).
func (p *Preview) Latest() image.Image { return p.latest }

// Frames counts live frames received.
func (p *Preview) Frames() int { return p.frames }

// Live reports whether frames are streaming.
func (p *Preview) Live() bool { return p.state == previewLive }

// Failed reports a camera error on show (its buttons take the keys).
func (p *Preview) Failed() bool { return p.state == previewFailed }

// ErrText is the Chinese sentence of the camera error, if any.
func (p *Preview) ErrText() string { return p.cfg.Text(p.errMsg) }

// Size is the picture's size in cells, without the frame around it.
func (p *Preview) Size() (cols, rows int) { return p.cols, p.rows }

// Help lists the keys that apply (only under an error).
func (p *Preview) Help() []key.Binding {
	if p.state != previewFailed {
		return nil
	}
	return []key.Binding{p.cfg.Keys.Left, p.cfg.Keys.Enter, p.cfg.Keys.Back}
}

// SetSize sets the largest picture in cells; the picture keeps a 4:3
// shape (what kiosk cameras deliver) so the layout never jumps when the
// first frame arrives.
func (p *Preview) SetSize(maxCols, maxRows int) {
	p.maxCols, p.maxRows = max(maxCols, 4), max(maxRows, 2)
	c, r := FitCells(4, 3, p.maxCols, p.maxRows)
	if c == p.cols && r == p.rows {
		return
	}
	p.cols, p.rows = c, r
	p.guide = nil
	if p.cfg.Guide {
		p.guide = ovalMask(c, 2*r)
	}
	if p.shown != nil {
		p.show(p.shown)
	}
}

// show renders img once, here, so View stays cheap however often it runs.
func (p *Preview) show(img image.Image) {
	p.shown = img
	if img == nil || img.Bounds().Empty() {
		p.picture = ""
		return
	}
	px := Downscale(img, p.cols, 2*p.rows)
	for i, on := range p.guide {
		if on {
			px[i] = guideColour
		}
	}
	p.picture = EncodeHalfBlock(px, p.cols, p.rows, lipgloss.ColorProfile())
}

var guideColour = RGB{255, 255, 255}

// ovalMask marks a one-pixel ellipse in a w×h pixel grid: the pixels
// inside the ellipse that have a neighbour outside it. Pixels are square
// (a cell is one pixel wide and two high), so the oval is face-shaped.
func ovalMask(w, h int) []bool {
	cx, cy := float64(w-1)/2, float64(h-1)/2
	a, b := 0.28*float64(w), 0.44*float64(h)
	if a < 1 || b < 1 {
		return nil
	}
	in := func(x, y int) bool {
		dx, dy := (float64(x)-cx)/a, (float64(y)-cy)/b
		return dx*dx+dy*dy <= 1
	}
	m := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if in(x, y) && (!in(x-1, y) || !in(x+1, y) || !in(x, y-1) || !in(x, y+1)) {
				m[y*w+x] = true
			}
		}
	}
	return m
}

// View draws the framed picture and a status line (simulated-camera label,
// state, and under an error the message with 重试/返回).
func (p *Preview) View() string {
	st := p.cfg.Styles
	var body []string
	switch {
	case p.state == previewFailed:
		body = centreLines([]string{st.Error.Render(p.cfg.Text(p.errMsg))}, p.cols, p.rows)
	case p.picture == "":
		body = centreLines([]string{st.Muted.Render(p.s(PreviewOpening))}, p.cols, p.rows)
	default:
		body = strings.Split(p.picture, "\n")
	}
	var b strings.Builder
	b.Grow(len(p.picture) + 8*p.rows + 4*p.cols)
	edge := strings.Repeat("─", p.cols)
	side := st.Rule.Render("│")
	b.WriteString(st.Rule.Render("┌" + edge + "┐"))
	for _, l := range body {
		b.WriteByte('\n')
		b.WriteString(side)
		b.WriteString(l)
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(st.Rule.Render("└" + edge + "┘"))
	b.WriteByte('\n')
	b.WriteString(p.status())
	return b.String()
}

func (p *Preview) status() string {
	st := p.cfg.Styles
	var parts []string
	if p.cam != nil && p.cam.Simulated() {
		parts = append(parts, st.Muted.Render("〔"+p.s(SimulatedCameraLabel)+"〕"))
	}
	switch p.state {
	case previewLive:
		parts = append(parts, st.Success.Render(p.s(PreviewLive)))
	case previewPaused:
		if p.shown != nil {
			parts = append(parts, st.Text.Render(p.s(PreviewStill)))
		}
	case previewFailed:
		parts = append(parts,
			Mark(p.cfg.Zones, p.ZoneRetry(), Button(st, p.s("preview.retry"), p.focus == 0, false)),
			Mark(p.cfg.Zones, p.ZoneBack(), Button(st, p.s("preview.back"), p.focus == 1, false)))
	}
	return " " + strings.Join(parts, "  ")
}

// centreLines places short lines in the middle of a cols×rows blank box.
func centreLines(lines []string, cols, rows int) []string {
	out := make([]string, rows)
	blank := strings.Repeat(" ", cols)
	top := max((rows-len(lines))/2, 0)
	for i := range out {
		out[i] = blank
		if j := i - top; j >= 0 && j < len(lines) {
			l := ansi.Truncate(lines[j], cols, "…")
			w := lipgloss.Width(l)
			left := (cols - w) / 2
			out[i] = strings.Repeat(" ", left) + l + strings.Repeat(" ", cols-w-left)
		}
	}
	return out
}
