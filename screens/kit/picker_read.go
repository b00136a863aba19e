package kit

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // pictures on the stick
	_ "image/png"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/image/draw"

	"kiosk/devices/usb"
	"kiosk/model/material"
	"kiosk/screens/form"
)

// readTimeout bounds one file's read: 10 MB from the slowest USB 2.0
// stick takes a few seconds.
const readTimeout = 2 * time.Minute

// maxPixels refuses a picture whose size alone would take the kiosk's
// memory (a small PNG can declare 30000×30000): a phone's 48 MP photo is
// well within it.
const maxPixels = 100_000_000

// thumbSide bounds the review's copy of a picture: the terminal shows far
// fewer pixels, and scaling once beats scaling a 12 MP photo every frame.
const thumbSide = 320

// Messages of a read.
type (
	readProgress struct {
		picker      string
		job         int
		done, total int64
	}
	readDone struct {
		picker string
		job    int
		file   form.File
		thumb  image.Image
		err    error
	}
)

// pickedFile is a picture on review.
type pickedFile struct {
	file  form.File
	thumb image.Image
}

// readSpec is what a read needs, captured by value.
type readSpec struct {
	picker, root, rel, name string
	job                     int
	limit                   int64
	accept                  []material.Type
}

// readJob is one file's read: a goroutine started by the first command
// that waits on it, reporting the latest progress and then its result;
// each report comes back through a command the picker issues again.
type readJob struct {
	n      int
	spec   readSpec
	start  sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	prog   chan [2]int64 // the latest progress only
	done   chan readDone
}

func newReadJob(s readSpec) *readJob {
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	return &readJob{n: s.job, spec: s, ctx: ctx, cancel: cancel,
		prog: make(chan [2]int64, 1), done: make(chan readDone, 1)}
}

// next waits for the job's next report; ctx ending (返回, the visit
// over, the picker left) stops the read.
func (j *readJob) next(ctx context.Context) tea.Msg {
	j.start.Do(func() { go j.run() })
	select {
	case d := <-j.done:
		return d
	case p := <-j.prog:
		return readProgress{picker: j.spec.picker, job: j.n, done: p[0], total: p[1]}
	case <-ctx.Done():
		j.cancel()
		return nil
	}
}

func (j *readJob) run() {
	defer j.cancel()
	s := j.spec
	res := readDone{picker: s.picker, job: s.job}
	data, err := usb.Read(j.ctx, s.root, s.rel, s.limit, func(done, total int64) {
		select { // keep only the newest
		case <-j.prog:
		default:
		}
		j.prog <- [2]int64{done, total}
	})
	var typ material.Type
	if err == nil {
		typ, err = material.Check(data, s.name, s.accept)
	}
	if err == nil && typ.IsImage() {
		res.thumb, err = thumbnail(data)
	}
	res.err = err
	if err == nil {
		res.file = form.File{Name: s.name, Path: filepath.Join(s.root, filepath.FromSlash(s.rel)),
			Size: int64(len(data)), Type: typ, Data: data}
	}
	j.done <- res
}

// thumbnail decodes a picture (refusing one that does not decode, or is
// too large to) and scales it to at most thumbSide on its longer side.
func thumbnail(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, material.ErrCorrupt
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, material.ErrCorrupt
	}
	b := img.Bounds()
	scale := min(1, float64(thumbSide)/float64(max(b.Dx(), b.Dy())))
	w, h := max(int(float64(b.Dx())*scale), 1), max(int(float64(b.Dy())*scale), 1)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst, nil
}
