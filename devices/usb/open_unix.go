//go:build unix

package usb

import "syscall"

// openFlags: never follow a link in the last element (Resolve has
// followed them all already, so one there now was swapped in), and never
// wait on a FIFO.
const openFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
