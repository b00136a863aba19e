package modemsim

import (
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// line is one pseudo-terminal: the emulator owns the master, the driver
// opens the slave by name. The emulator keeps its own slave descriptor open
// for the line's whole life, so the driver closing and reopening the port
// does not hang up the master.
type line struct {
	master *os.File // non-blocking, so Close wakes a pending Read
	slave  *os.File
}

func openLine() (*line, error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, err
	}
	// pty.Open leaves the master in blocking mode (it calls Fd()), where
	// Close cannot interrupt a Read. A non-blocking duplicate goes through
	// the runtime poller instead.
	fd, err := unix.Dup(int(m.Fd()))
	name := m.Name()
	m.Close()
	if err != nil {
		s.Close()
		return nil, err
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		s.Close()
		return nil, err
	}
	master := os.NewFile(uintptr(fd), name)
	if err := makeRaw(s); err != nil {
		master.Close()
		s.Close()
		return nil, fmt.Errorf("modemsim: raw mode: %w", err)
	}
	return &line{master: master, slave: s}, nil
}

// makeRaw puts the slave in raw mode before the driver opens it, so the
// line discipline neither echoes nor translates what the emulator writes
// (the driver sets raw mode too, but only once it has opened the port).
func makeRaw(f *os.File) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ioErr error
	err = sc.Control(func(fd uintptr) {
		t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if err != nil {
			ioErr = err
			return
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB
		t.Cflag |= unix.CS8
		t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
		ioErr = unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
	})
	if err != nil {
		return err
	}
	return ioErr
}

func (l *line) slaveName() string { return l.slave.Name() }

func (l *line) close() {
	l.master.Close()
	l.slave.Close()
}
