// Package replay is a simulated camera that serves JPEG/PNG files from a
// folder or an fs.FS (such as assets.CameraFrames) in a loop at a fixed
// frame rate. It backs demo mode and the tests of everything that consumes
// frames.
package replay

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // register decoders for the sample frames
	_ "image/png"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"kiosk/devices/camera"
)

// DefaultFPS is the frame rate when Options.FPS is zero: enough for a
// half-block terminal preview, cheap on a 2-core kiosk.
const DefaultFPS = 10

// Options tune a replay camera.
type Options struct {
	// FPS is the rate Frame paces itself to; zero means DefaultFPS.
	FPS float64
	// Pattern is a path.Match glob inside the file system selecting the
	// frames, e.g. "camera/face*.jpg"; empty means every image in Dir.
	Pattern string
	// Dir is the folder scanned when Pattern is empty; "" means ".".
	Dir string
	// Label is returned by Name; empty means "replay".
	Label string
}

// Camera replays decoded images. Frames are decoded once at Start and
// shared between callers: treat them as read-only.
type Camera struct {
	fsys fs.FS
	opts Options

	mu     sync.Mutex
	frames []image.Image // nil when stopped
	next   int
	last   time.Time // when the previous frame was served
}

var _ camera.Camera = (*Camera)(nil)

// New returns a replay camera over fsys.
func New(fsys fs.FS, opts Options) *Camera {
	if opts.FPS <= 0 {
		opts.FPS = DefaultFPS
	}
	if opts.Dir == "" {
		opts.Dir = "."
	}
	return &Camera{fsys: fsys, opts: opts}
}

// NewDir returns a replay camera over the image files of a folder.
func NewDir(dir string, opts Options) *Camera {
	c := New(os.DirFS(dir), opts)
	if c.opts.Label == "" {
		c.opts.Label = "replay:" + dir
	}
	return c
}

// Name implements camera.Camera.
func (c *Camera) Name() string {
	if c.opts.Label != "" {
		return c.opts.Label
	}
	return "replay"
}

// Simulated implements camera.Camera: always true.
func (c *Camera) Simulated() bool { return true }

// Check implements camera.Camera: at least one frame must decode.
func (c *Camera) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := c.load()
	return err
}

// Start implements camera.Camera: it decodes every selected frame.
func (c *Camera) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frames != nil {
		return nil
	}
	frames, err := c.load()
	if err != nil {
		return err
	}
	c.frames, c.next, c.last = frames, 0, time.Time{}
	return nil
}

// Stop implements camera.Camera.
func (c *Camera) Stop() error {
	c.mu.Lock()
	c.frames = nil
	c.mu.Unlock()
	return nil
}

// Frame implements camera.Camera. It waits until 1/FPS has passed since the
// previous frame, so a preview loop that asks as fast as it can still runs
// at the configured rate.
func (c *Camera) Frame(ctx context.Context) (image.Image, error) {
	interval := time.Duration(float64(time.Second) / c.opts.FPS)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.frames == nil {
			c.mu.Unlock()
			return nil, camera.ErrNotStarted
		}
		now := time.Now()
		wait := c.last.Add(interval).Sub(now)
		if c.last.IsZero() || wait <= 0 {
			img := c.frames[c.next%len(c.frames)]
			c.next = (c.next + 1) % len(c.frames)
			c.last = now
			c.mu.Unlock()
			return img, nil
		}
		c.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// load decodes the selected files in name order.
func (c *Camera) load() ([]image.Image, error) {
	names, err := c.list()
	if err != nil {
		return nil, err
	}
	var frames []image.Image
	for _, name := range names {
		img, err := decode(c.fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", camera.ErrNoDevice, name, err)
		}
		frames = append(frames, img)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%w: no image files in %s", camera.ErrNoDevice, c.where())
	}
	return frames, nil
}

func (c *Camera) list() ([]string, error) {
	var names []string
	if c.opts.Pattern != "" {
		m, err := fs.Glob(c.fsys, c.opts.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%w: bad pattern %q: %v", camera.ErrNoDevice, c.opts.Pattern, err)
		}
		names = m
	} else {
		ents, err := fs.ReadDir(c.fsys, c.opts.Dir)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", camera.ErrNoDevice, err)
		}
		for _, e := range ents {
			if !e.IsDir() {
				names = append(names, path.Join(c.opts.Dir, e.Name()))
			}
		}
	}
	kept := names[:0]
	for _, n := range names {
		if isImage(n) {
			kept = append(kept, n)
		}
	}
	sort.Strings(kept)
	return kept, nil
}

func (c *Camera) where() string {
	if c.opts.Pattern != "" {
		return c.opts.Pattern
	}
	return c.opts.Dir
}

func isImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

func decode(fsys fs.FS, name string) (image.Image, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	if b := img.Bounds(); b.Empty() {
		return nil, errors.New("empty image")
	}
	return img, nil
}
