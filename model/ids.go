package model

import (
	"crypto/rand"
	"encoding/hex"
)

// NewID returns a random internal identifier: 16 bytes from crypto/rand as
// 32 lower-case hex digits. Random rather than sequential so ids reveal
// neither counts nor order, and kiosks sharing one database never clash.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand.Read crashes the program instead
	return hex.EncodeToString(b[:])
}
