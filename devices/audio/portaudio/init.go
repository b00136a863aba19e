// Package portaudio is the audio adapter for real speakers, on PortAudio
// (github.com/gordonklaus/portaudio, cgo; Debian: portaudio19-dev, pkg-config).
//
// Call Init once at start-up, before the UI takes the terminal: Debian's
// PortAudio probes JACK and ALSA while initialising and prints connection
// noise on stderr, which Init sends to a sink instead (or leaves on fd 2 for
// a caller that captures fd 2 itself, as the kiosk does for its log).
package portaudio

import (
	"errors"
	"fmt"
	"os"
	"sync"

	pa "github.com/gordonklaus/portaudio"
)

var (
	initMu      sync.Mutex
	initialized bool
	noiseSink   *os.File // where C-level stderr goes while PortAudio works
)

// ErrNotInitialized is returned after Terminate.
var ErrNotInitialized = errors.New("portaudio: not initialized")

// Init initialises PortAudio once per process. While it runs (and later while
// a stream opens) file descriptor 2 points at sink, so library chatter stays
// off the terminal; a nil sink means /dev/null. A sink of os.Stderr leaves fd
// 2 alone: the caller has pointed it somewhere already (the kiosk reads it
// into JSON log records; a raw file sink in a JSON-lines log would break it).
// Later calls are no-ops.
func Init(sink *os.File) error {
	initMu.Lock()
	defer initMu.Unlock()
	if initialized {
		return nil
	}
	if sink == nil {
		f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("portaudio: %w", err)
		}
		sink = f // kept open for the life of the process
	}
	noiseSink = sink
	if err := quiet(pa.Initialize); err != nil {
		return fmt.Errorf("portaudio: initialize: %w", err)
	}
	initialized = true
	return nil
}

// Terminate releases PortAudio; call it at exit after closing every Player.
func Terminate() error {
	initMu.Lock()
	defer initMu.Unlock()
	if !initialized {
		return nil
	}
	initialized = false
	return quiet(pa.Terminate)
}

func ready() bool {
	initMu.Lock()
	defer initMu.Unlock()
	return initialized
}

// quiet runs fn with fd 2 pointing at noiseSink.
func quiet(fn func() error) error {
	if noiseSink == nil || noiseSink == os.Stderr {
		return fn()
	}
	return redirectStderr(noiseSink, fn)
}
