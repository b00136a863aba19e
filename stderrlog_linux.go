package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// redirectFD points fd at w's file and returns a close-on-exec copy of what
// fd was before.
func redirectFD(fd int, w *os.File) (saved int, err error) {
	saved, err = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return -1, err
	}
	// Fd also makes w's file blocking: fd shares it, and a C library
	// writing to a full pipe must wait, not lose its line.
	if err := unix.Dup3(int(w.Fd()), fd, 0); err != nil {
		unix.Close(saved)
		return -1, err
	}
	return saved, nil
}

// restoreFD points fd at saved again and closes saved.
func restoreFD(fd, saved int) error {
	err := unix.Dup3(saved, fd, 0)
	unix.Close(saved)
	return err
}
