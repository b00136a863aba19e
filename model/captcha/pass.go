package captcha

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// PassTTL is how long a Pass stays valid: long enough for a flow's SMS
// steps (a ticket of 忘记密码 lives 30 minutes), short enough that a
// forgotten screen is useless.
const PassTTL = 30 * time.Minute

// Pass says that whoever holds it answered a picture captcha of this
// kiosk before Expires. Use cases that send an SMS code take one, so that
// no code leaves a kiosk for a person who did not answer a captcha in the
// visit's flow. Its fields are unexported and covered by an HMAC under a
// key that never leaves the Service, so a screen can carry a pass but
// never forge one. Like the challenges, passes do not survive a restart.
type Pass struct {
	expires time.Time
	mac     []byte
}

// IsZero reports whether p is the zero Pass (no captcha answered).
func (p Pass) IsZero() bool { return p.mac == nil }

// Expires is when the pass stops being accepted.
func (p Pass) Expires() time.Time { return p.expires }

// Answer checks an answer like Verify and, when it is right, returns a
// Pass valid for PassTTL.
func (s *Service) Answer(id, answer string) (Pass, bool) {
	if !s.Verify(id, answer) {
		return Pass{}, false
	}
	p := Pass{expires: s.clock.Now().Add(PassTTL)}
	p.mac = s.passMAC(p.expires)
	return p, true
}

// Valid reports whether this service issued p and it has not expired.
func (s *Service) Valid(p Pass) bool {
	return !p.IsZero() && hmac.Equal(p.mac, s.passMAC(p.expires)) && s.clock.Now().Before(p.expires)
}

func (s *Service) passMAC(expires time.Time) []byte {
	s.keyOnce.Do(func() {
		if _, err := rand.Read(s.key[:]); err != nil {
			panic("captcha: crypto/rand failed: " + err.Error())
		}
	})
	m := hmac.New(sha256.New, s.key[:])
	m.Write([]byte("captcha-pass-v1"))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(expires.UnixNano())))
	return m.Sum(nil)
}
