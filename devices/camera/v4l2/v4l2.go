// Package v4l2 is the production camera: a USB (UVC) camera driven through
// Video4Linux2 with github.com/blackjack/webcam. It negotiates MJPEG (or
// YUYV when the camera has no MJPEG) at the size closest to the one asked
// for, waits for frames with a timeout, converts them to image.Image, and
// reports a camera that vanishes mid-stream as camera.ErrDisconnected.
//
// UNTESTED ON HARDWARE HERE: the development machine has no V4L2 device and
// cannot create one. Everything between the driver and the image — format
// and size negotiation, YUYV conversion, MJPEG decoding with missing
// Huffman tables, timeouts, the device vanishing — goes through the Device
// seam and is tested with recorded frames (testdata/) and injected errors.
// The thin path through *webcam.Webcam itself (ioctls, mmap, poll) is only
// exercised on a kiosk with a camera; `kiosk devices check` is the first
// thing to run there.
package v4l2

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"syscall"
	"time"

	"github.com/blackjack/webcam"

	"kiosk/devices/camera"
)

// Defaults for Config's zero fields.
const (
	DefaultDevice       = "/dev/video0"
	DefaultWidth        = 640
	DefaultHeight       = 480
	DefaultFrameTimeout = 3 * time.Second
	// DefaultBuffers keeps latency low; the library's own default of 256
	// mapped buffers would pin megabytes and serve stale frames.
	DefaultBuffers = 4
	// maxBadFrames bounds how many undecodable frames in a row Frame
	// skips (USB bandwidth hiccups truncate MJPEG frames now and then).
	maxBadFrames = 10
	// maxSpurious bounds poll wake-ups that yield no buffer.
	maxSpurious = 100
)

// Config selects and tunes the device. Open and Exists are seams for tests;
// nil means the real device and os.Stat.
type Config struct {
	Device        string
	Width, Height int
	FrameTimeout  time.Duration
	Buffers       uint32
	Open          func(path string) (Device, error)
	Exists        func(path string) bool
}

// Camera is a V4L2 camera. Frame holds the device while it waits, in
// slices of one second (the poll granularity of the library), so Stop or a
// cancelled context take effect within about a second.
type Camera struct {
	cfg Config

	mu     sync.Mutex
	dev    Device // nil when stopped
	format webcam.PixelFormat
	w, h   int
	sizes  []webcam.FrameSize
	broken error // set once the device vanished; cleared by Stop
}

var _ camera.Camera = (*Camera)(nil)

// New returns a stopped camera for cfg.
func New(cfg Config) *Camera {
	if cfg.Device == "" {
		cfg.Device = DefaultDevice
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		cfg.Width, cfg.Height = DefaultWidth, DefaultHeight
	}
	if cfg.FrameTimeout <= 0 {
		cfg.FrameTimeout = DefaultFrameTimeout
	}
	if cfg.Buffers == 0 {
		cfg.Buffers = DefaultBuffers
	}
	if cfg.Open == nil {
		cfg.Open = OpenWebcam
	}
	if cfg.Exists == nil {
		cfg.Exists = pathExists
	}
	return &Camera{cfg: cfg}
}

// Name implements camera.Camera.
func (c *Camera) Name() string { return "v4l2:" + c.cfg.Device }

// Simulated implements camera.Camera: false.
func (c *Camera) Simulated() bool { return false }

// Check implements camera.Camera: the device must open and offer MJPEG or
// YUYV. A started camera is checked by its state instead, since V4L2
// devices are exclusive while streaming.
func (c *Camera) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dev != nil {
		return c.broken
	}
	dev, err := c.open()
	if err != nil {
		return err
	}
	defer dev.Close()
	if _, ok := chooseFormat(dev.GetSupportedFormats()); !ok {
		return fmt.Errorf("%w: %s offers neither MJPEG nor YUYV", camera.ErrNoDevice, c.cfg.Device)
	}
	return nil
}

// Start implements camera.Camera.
func (c *Camera) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dev != nil {
		return nil
	}
	dev, err := c.open()
	if err != nil {
		return err
	}
	if err := c.setup(dev); err != nil {
		dev.Close()
		return err
	}
	c.dev, c.broken = dev, nil
	return nil
}

func (c *Camera) open() (Device, error) {
	dev, err := c.cfg.Open(c.cfg.Device)
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %v", camera.ErrNoDevice, c.cfg.Device, err)
	}
	return dev, nil
}

func (c *Camera) setup(dev Device) error {
	f, ok := chooseFormat(dev.GetSupportedFormats())
	if !ok {
		return fmt.Errorf("%w: %s offers neither MJPEG nor YUYV", camera.ErrNoDevice, c.cfg.Device)
	}
	sizes := dev.GetSupportedFrameSizes(f)
	w, h := chooseSize(sizes, uint32(c.cfg.Width), uint32(c.cfg.Height))
	got, gw, gh, err := dev.SetImageFormat(f, w, h)
	if err != nil {
		return fmt.Errorf("v4l2: set format %s %dx%d: %w", c.cfg.Device, w, h, err)
	}
	if !isJPEG(got) && got != FormatYUYV {
		return fmt.Errorf("%w: driver chose unsupported format %#x", camera.ErrNoDevice, uint32(got))
	}
	if err := dev.SetBufferCount(c.cfg.Buffers); err != nil {
		return fmt.Errorf("v4l2: buffers: %w", err)
	}
	if err := dev.StartStreaming(); err != nil {
		return fmt.Errorf("v4l2: start streaming %s: %w", c.cfg.Device, err)
	}
	c.format, c.w, c.h, c.sizes = got, int(gw), int(gh), sizes
	return nil
}

// Stop implements camera.Camera.
func (c *Camera) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dev == nil {
		return nil
	}
	dev := c.dev
	c.dev, c.broken = nil, nil
	// A vanished device fails StopStreaming; closing the fd still matters.
	serr := dev.StopStreaming()
	cerr := dev.Close()
	if isGone(serr) {
		serr = nil
	}
	return errors.Join(serr, cerr)
}

// Frame implements camera.Camera. Each returned image is freshly
// allocated. The frame timeout is counted in one-second poll slices that
// came back empty; spurious wake-ups and corrupt frames have their own
// bounds so a misbehaving driver cannot keep Frame spinning.
func (c *Camera) Frame(ctx context.Context) (image.Image, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dev == nil {
		return nil, camera.ErrNotStarted
	}
	if c.broken != nil {
		return nil, c.broken
	}
	slices := int((c.cfg.FrameTimeout + time.Second - 1) / time.Second)
	var empty, spurious, bad int
	var lastBad error
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := c.dev.WaitForFrame(1)
		if err == nil {
			var buf []byte
			if buf, err = c.read(); err == nil {
				img, derr := c.decode(buf)
				if derr == nil {
					return img, nil
				}
				// A corrupt frame is skipped; the next one is usually fine.
				if bad++; bad >= maxBadFrames {
					return nil, fmt.Errorf("v4l2: %d undecodable frames in a row: %w", bad, derr)
				}
				lastBad = derr
				continue
			}
		}
		switch {
		case isTimeout(err):
			if !c.cfg.Exists(c.cfg.Device) {
				return nil, c.vanished(errors.New("device node removed"))
			}
			if empty++; empty >= slices {
				if lastBad != nil {
					return nil, fmt.Errorf("%w: last frame undecodable: %v", camera.ErrTimeout, lastBad)
				}
				return nil, camera.ErrTimeout
			}
		case isAgain(err):
			if spurious++; spurious >= maxSpurious {
				return nil, fmt.Errorf("%w: %d wake-ups without a frame", camera.ErrTimeout, spurious)
			}
		default:
			return nil, c.fault(err)
		}
	}
}

// read dequeues one buffer, copies it out of the mmap'ed area and gives the
// buffer straight back to the driver.
func (c *Camera) read() ([]byte, error) {
	buf, idx, err := c.dev.GetFrame()
	if err != nil {
		return nil, err
	}
	data := append([]byte(nil), buf...)
	if err := c.dev.ReleaseFrame(idx); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, syscall.EAGAIN // empty buffer: treat as no frame yet
	}
	return data, nil
}

func (c *Camera) decode(buf []byte) (image.Image, error) {
	if isJPEG(c.format) {
		return DecodeMJPEG(buf)
	}
	w, h, stride, err := yuyvGeometry(len(buf), c.w, c.h, c.sizes)
	if err != nil {
		return nil, err
	}
	return YUYVToImage(buf, w, h, stride)
}

// fault classifies a driver error: errors of a vanished device (or any
// error once the device node is gone) make the camera broken until Stop.
func (c *Camera) fault(err error) error {
	if isGone(err) || !c.cfg.Exists(c.cfg.Device) {
		return c.vanished(err)
	}
	return fmt.Errorf("v4l2: %s: %w", c.cfg.Device, err)
}

func (c *Camera) vanished(cause error) error {
	c.broken = fmt.Errorf("%w: %s: %v", camera.ErrDisconnected, c.cfg.Device, cause)
	return c.broken
}
