//go:build !linux

package main

import (
	"errors"
	"os"
)

// The kiosk targets Linux; elsewhere stderr is not captured (startStderrLog
// then sends PortAudio's messages to /dev/null).
func redirectFD(int, *os.File) (int, error) { return -1, errors.New("not supported on this system") }

func restoreFD(int, int) error { return nil }
