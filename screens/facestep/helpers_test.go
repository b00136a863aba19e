package facestep

import (
	"context"
	"image"
	_ "image/jpeg" // the sample frames
	"kiosk/screens/screentest"
	"os"
	"sync"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/assets"
	"kiosk/devices/camera"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
	"kiosk/screens/task"
)

// Unit tests of the capture and the face step: the component is driven
// by hand with kit.NewApp as its app, and every message its commands
// yield is opened against the app's visit, as the root would.

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// sampleFrame decodes one of the replay camera's sample frames.
func sampleFrame(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := assets.CameraFrames.Open("camera/" + name + ".jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// listCam serves its frames in order, then repeats the last one, without
// pacing: the preview's own cap is what a test sees.
type listCam struct {
	mu     sync.Mutex
	frames []image.Image
	next   int
	on     bool
	stops  int
}

func (c *listCam) Start(context.Context) error {
	c.mu.Lock()
	c.on = true
	c.mu.Unlock()
	return nil
}

func (c *listCam) Frame(ctx context.Context) (image.Image, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on {
		return nil, camera.ErrNotStarted
	}
	img := c.frames[min(c.next, len(c.frames)-1)]
	c.next++
	return img, ctx.Err()
}

func (c *listCam) Stop() error {
	c.mu.Lock()
	c.on = false
	c.stops++
	c.mu.Unlock()
	return nil
}

func (c *listCam) Name() string                { return "list" }
func (c *listCam) Simulated() bool             { return true }
func (c *listCam) Check(context.Context) error { return nil }

// newTestApp is what the root gives a screen, without the root. As main
// does, the face step verifies through a FaceService over d.Face and
// d.Counter (testFaces) unless d.Faces is set.
func newTestApp(t *testing.T, d kit.Deps) *kit.App {
	t.Helper()
	if d.Faces == nil && (d.Face != nil || d.Counter != nil) {
		d.Faces = testFaces(t, d)
	}
	a := kit.NewApp(d)
	t.Cleanup(a.Zones.Close)
	return a
}

var (
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
	keyRight = tea.KeyMsg{Type: tea.KeyRight}
)

// collect runs a command as the runtime does (screentest.Collect).
func collect(cmd tea.Cmd) []tea.Msg { return screentest.Collect(cmd) }

// opened opens msgs against the app's current visit, as the root does:
// the results of work that was dropped or superseded are left out, and so
// are spinner ticks.
func opened(a *kit.App, msgs []tea.Msg) []tea.Msg {
	var out []tea.Msg
	for _, m := range msgs {
		inner, ok := a.Scope().Open(m)
		if _, spin := inner.(spinner.TickMsg); !ok || inner == nil || spin {
			continue
		}
		out = append(out, inner)
	}
	return out
}

// deliver runs cmd and returns what reaches the component.
func deliver(a *kit.App, cmd tea.Cmd) []tea.Msg { return opened(a, collect(cmd)) }

// run runs a command that must deliver exactly one message and returns it.
func run(t *testing.T, a *kit.App, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msgs := deliver(a, cmd)
	if len(msgs) != 1 {
		t.Fatalf("want one message, got %#v", msgs)
	}
	return msgs[0]
}

// raw runs a command that must yield exactly one message and returns it
// unopened (a result whose fate the test decides).
func raw(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msgs := collect(cmd)
	if len(msgs) != 1 {
		t.Fatalf("want one message, got %#v", msgs)
	}
	if _, ok := msgs[0].(task.Delivery); !ok {
		t.Fatalf("want the result of the visit's work, got %#v", msgs[0])
	}
	return msgs[0]
}

func findMsg[T any](t *testing.T, msgs []tea.Msg) T {
	t.Helper()
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v
		}
	}
	var zero T
	t.Fatalf("no %T among %#v", zero, msgs)
	return zero
}

// zh renders a catalog id in Chinese, the default language of a visit.
func zh(id string, kv ...any) string { return zht(i18n.T(id, kv...)) }

// zht renders a catalog text in Chinese.
func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }
