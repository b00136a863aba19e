package portaudio

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// redirectMu serialises redirections: two overlapping ones would restore
// each other's fd.
var redirectMu sync.Mutex

// redirectStderr points fd 2 at sink while fn runs (C libraries write to fd 2
// directly, so os.Stderr cannot be swapped instead), then puts it back. If the
// dance fails, fn still runs and the noise goes where it would have gone.
func redirectStderr(sink *os.File, fn func() error) error {
	redirectMu.Lock()
	defer redirectMu.Unlock()
	saved, err := unix.FcntlInt(2, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return fn()
	}
	defer unix.Close(saved)
	if err := unix.Dup3(int(sink.Fd()), 2, 0); err != nil {
		return fn()
	}
	defer unix.Dup3(saved, 2, 0)
	return fn()
}
