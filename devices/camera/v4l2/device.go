package v4l2

import (
	"errors"
	"os"
	"syscall"

	"github.com/blackjack/webcam"
)

// Device is the seam between the adapter and the V4L2 driver: the subset of
// *webcam.Webcam the adapter uses. Production uses *webcam.Webcam as is;
// tests substitute a fake that replays recorded buffers and injects faults.
type Device interface {
	GetName() (string, error)
	GetSupportedFormats() map[webcam.PixelFormat]string
	GetSupportedFrameSizes(f webcam.PixelFormat) []webcam.FrameSize
	SetImageFormat(f webcam.PixelFormat, width, height uint32) (webcam.PixelFormat, uint32, uint32, error)
	SetBufferCount(count uint32) error
	StartStreaming() error
	// WaitForFrame polls for up to timeout seconds and returns
	// *webcam.Timeout when nothing arrived.
	WaitForFrame(timeout uint32) error
	// GetFrame dequeues a buffer; it stays valid until ReleaseFrame.
	GetFrame() ([]byte, uint32, error)
	ReleaseFrame(index uint32) error
	StopStreaming() error
	Close() error
}

var _ Device = (*webcam.Webcam)(nil)

// OpenWebcam opens a real V4L2 device.
func OpenWebcam(path string) (Device, error) {
	w, err := webcam.Open(path)
	if err != nil {
		return nil, err
	}
	return w, nil
}

func pathExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func isTimeout(err error) bool {
	var t *webcam.Timeout
	return errors.As(err, &t)
}

// isAgain is a spurious wake-up: poll said readable but no buffer is done.
func isAgain(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR)
}

// isGone reports errors a driver returns once the device has been
// unplugged or reset: uvcvideo answers ENODEV, others EIO or ENXIO.
func isGone(err error) bool {
	for _, e := range []syscall.Errno{syscall.ENODEV, syscall.ENXIO, syscall.EIO,
		syscall.EBADF, syscall.ESHUTDOWN, syscall.EPIPE, syscall.ENOENT} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
