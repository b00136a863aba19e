package v4l2

import (
	"errors"
	"sync"

	"github.com/blackjack/webcam"
)

// fakeDevice stands in for *webcam.Webcam: it serves recorded buffers in a
// loop out of a pretend mmap area (scribbled over on release, so a caller
// that keeps the slice sees garbage) and plays scripted errors.
type fakeDevice struct {
	mu      sync.Mutex
	formats map[webcam.PixelFormat]string
	sizes   map[webcam.PixelFormat][]webcam.FrameSize
	frames  [][]byte
	// chosen overrides what SetImageFormat "negotiates"; zero keeps the
	// request. reportW/H mimic the library returning the requested size.
	chosen webcam.PixelFormat

	// waitErrs and getErrs are consumed one per call; a nil entry (or an
	// exhausted script) means a frame is ready.
	waitErrs   []error
	getErrs    []error
	setErr     error
	startErr   error
	stopErr    error
	buffersErr error

	// observed
	opens, closes, waits int
	setFormat            webcam.PixelFormat
	setW, setH           uint32
	streaming            bool
	mmap                 []byte
	held                 bool
	next                 int
}

func newFake(format webcam.PixelFormat, w, h uint32, frames ...[]byte) *fakeDevice {
	return &fakeDevice{
		formats: map[webcam.PixelFormat]string{format: "recorded"},
		sizes: map[webcam.PixelFormat][]webcam.FrameSize{
			format: {{MinWidth: w, MaxWidth: w, MinHeight: h, MaxHeight: h}},
		},
		frames: frames,
	}
}

// opener returns a Config.Open that hands out d (reset to closed state).
func (d *fakeDevice) opener() func(string) (Device, error) {
	return func(string) (Device, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.opens++
		d.streaming, d.held = false, false
		return d, nil
	}
}

func pop(s *[]error) error {
	if len(*s) == 0 {
		return nil
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e
}

func (d *fakeDevice) GetName() (string, error) { return "Fake UVC Camera", nil }

func (d *fakeDevice) GetSupportedFormats() map[webcam.PixelFormat]string {
	return d.formats
}

func (d *fakeDevice) GetSupportedFrameSizes(f webcam.PixelFormat) []webcam.FrameSize {
	return d.sizes[f]
}

func (d *fakeDevice) SetImageFormat(f webcam.PixelFormat, w, h uint32) (webcam.PixelFormat, uint32, uint32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.setErr != nil {
		return 0, 0, 0, d.setErr
	}
	d.setFormat, d.setW, d.setH = f, w, h
	if d.chosen != 0 {
		f = d.chosen
	}
	return f, w, h, nil // like webcam v0.6.1: the requested size comes back
}

func (d *fakeDevice) SetBufferCount(uint32) error { return d.buffersErr }

func (d *fakeDevice) StartStreaming() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.startErr != nil {
		return d.startErr
	}
	d.streaming = true
	return nil
}

func (d *fakeDevice) WaitForFrame(uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waits++
	if !d.streaming {
		return errors.New("fake: not streaming")
	}
	return pop(&d.waitErrs)
}

func (d *fakeDevice) GetFrame() ([]byte, uint32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := pop(&d.getErrs); err != nil {
		return nil, 0, err
	}
	if d.held {
		return nil, 0, errors.New("fake: buffer not released")
	}
	if len(d.frames) == 0 {
		return nil, 0, errors.New("fake: no frames")
	}
	f := d.frames[d.next%len(d.frames)]
	d.next++
	d.mmap = append(d.mmap[:0], f...)
	d.held = true
	return d.mmap, 7, nil
}

func (d *fakeDevice) ReleaseFrame(index uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.held || index != 7 {
		return errors.New("fake: bad release")
	}
	d.held = false
	for i := range d.mmap {
		d.mmap[i] = 0xAA // the driver reuses the buffer
	}
	return nil
}

func (d *fakeDevice) StopStreaming() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.streaming = false
	return d.stopErr
}

func (d *fakeDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closes++
	d.streaming = false
	return nil
}
