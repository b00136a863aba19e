//go:build !linux

package portaudio

import "os"

// redirectStderr only runs fn: the kiosk targets Linux, where the noise is.
func redirectStderr(_ *os.File, fn func() error) error { return fn() }
