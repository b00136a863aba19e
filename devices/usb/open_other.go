//go:build !unix

package usb

const openFlags = 0
