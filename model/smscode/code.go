package smscode

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// CodeLen is the number of digits of a code.
const CodeLen = 6

// NormalizeCode turns what a user typed into the code's ASCII digits:
// spaces are dropped and full-width digits (０–９, from a Chinese input
// method) accepted. Anything but exactly CodeLen digits is ErrCodeEmpty or
// ErrCodeFormat.
func NormalizeCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case unicode.IsSpace(r):
			continue
		default:
			return "", ErrCodeFormat
		}
		if b.Len() > CodeLen {
			return "", ErrCodeFormat
		}
	}
	switch b.Len() {
	case 0:
		return "", ErrCodeEmpty
	case CodeLen:
		return b.String(), nil
	}
	return "", ErrCodeFormat
}

// newCode draws CodeLen uniform decimal digits from r. Rejection sampling
// keeps every code equally likely (a plain modulo would favour low ones).
func newCode(r io.Reader) (string, error) {
	const space = 1_000_000 // 10^CodeLen
	const limit = (1 << 32) / space * space
	var b [4]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("smscode: random source: %w", err)
		}
		if v := binary.BigEndian.Uint32(b[:]); v < limit {
			return fmt.Sprintf("%0*d", CodeLen, v%space), nil
		}
	}
}

// hashCode is the keyed hash stored instead of the code. The purpose and
// phone are inside, so a hash copied to another record never matches; the
// separator cannot occur in a purpose, a valid phone or a code.
func hashCode(secret []byte, purpose, phone, code string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose + "|" + phone + "|" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// sameHash compares in constant time.
func sameHash(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }
