// Package pwhash hashes passwords with argon2id and stores them as PHC
// strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so the parameters travel
// with each hash and can be raised later without breaking old ones.
package pwhash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// Default is the production cost: 64 MiB, two passes, two lanes (above the
// OWASP argon2id minimums). Measured on the 2-core build machine (AMD EPYC,
// go1.26.8 linux/amd64, idle, `go test -bench . -benchtime 3s ./model/pwhash`):
// BenchmarkHash ≈ 41–44 ms/op, BenchmarkVerify ≈ 40–41 ms/op; with the other
// core busy it rose to ≈ 73 ms. For comparison m=64 MiB,t=1 took ≈ 20 ms,
// m=46 MiB,t=2 ≈ 27 ms and m=32 MiB,t=3 ≈ 32–38 ms.
var Default = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// Fast is a nearly free cost for the tests of other packages. Never use it
// in production: it gives no protection against offline guessing. 8 KiB is
// argon2's least memory for one thread.
var Fast = Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters accepted from a stored PHC string, so a corrupt or
// planted hash cannot make Verify allocate gigabytes or spin for minutes.
const (
	maxMemory  = 256 * 1024 // 256 MiB in KiB: room to raise Default, not to exhaust a kiosk
	maxTime    = 16
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// ErrMalformed is returned for a PHC string that cannot be parsed or whose
// parameters are out of the accepted range.
var ErrMalformed = errors.New("pwhash: malformed or unsupported hash")

// Hasher implements model.PasswordHasher with argon2id.
type Hasher struct{ P Params }

// New returns a Hasher that hashes with p.
func New(p Params) *Hasher { return &Hasher{P: p} }

var b64 = base64.RawStdEncoding.Strict()

// idKey is argon2.IDKey, every derivation of the package goes through it; a
// seam for the tests that check DummyVerify does the work Verify does.
var idKey = argon2.IDKey

// Hash returns the PHC string of pw with a fresh random salt.
func (h *Hasher) Hash(pw string) (string, error) {
	if err := h.P.check(); err != nil {
		return "", err
	}
	salt := make([]byte, h.P.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("pwhash: salt: %w", err)
	}
	key := idKey([]byte(pw), salt, h.P.Time, h.P.Memory, h.P.Threads, h.P.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.P.Memory, h.P.Time, h.P.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches phc, using the parameters stored in phc.
// A malformed or out-of-range phc is an error (ErrMalformed), not a mismatch.
func (h *Hasher) Verify(phc, pw string) (bool, error) {
	p, salt, key, err := Parse(phc)
	if err != nil {
		return false, err
	}
	got := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummySalt and dummyKey stand in for a stored hash in DummyVerify.
var (
	dummySalt = make([]byte, maxSalt)
	dummyKey  = make([]byte, maxKey)
)

// DummyVerify costs what Verify of a hash made by h costs, and always fails.
// Call it when the account is unknown so response time does not reveal
// whether an account exists.
func (h *Hasher) DummyVerify(pw string) {
	p := h.P
	if p.check() != nil {
		p = Default
	}
	got := idKey([]byte(pw), dummySalt[:p.SaltLen], p.Time, p.Memory, p.Threads, p.KeyLen)
	subtle.ConstantTimeCompare(got, dummyKey[:p.KeyLen])
}

// NeedsRehash reports whether phc was made with parameters other than h's,
// so a use case can re-hash the password after a successful login.
func (h *Hasher) NeedsRehash(phc string) bool {
	p, _, _, err := Parse(phc)
	return err != nil || p != h.P
}

// check validates p against the same limits Verify applies.
func (p Params) check() error {
	switch {
	case p.Threads == 0 || p.Threads > maxThreads,
		p.Time == 0 || p.Time > maxTime,
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory,
		p.SaltLen < minSalt || p.SaltLen > maxSalt,
		p.KeyLen < minKey || p.KeyLen > maxKey:
		return fmt.Errorf("pwhash: parameters out of range: %+v", p)
	}
	return nil
}

// Parse splits an argon2id PHC string into its parameters, salt and key.
// It accepts exactly the form Hash writes.
func Parse(phc string) (Params, []byte, []byte, error) {
	parts := strings.Split(phc, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformed
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, ErrMalformed
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return Params{}, nil, nil, ErrMalformed
	}
	m, ok1 := field(kv[0], "m=", maxMemory)
	t, ok2 := field(kv[1], "t=", maxTime)
	th, ok3 := field(kv[2], "p=", maxThreads)
	if !ok1 || !ok2 || !ok3 {
		return Params{}, nil, nil, ErrMalformed
	}
	salt, err1 := decode64(parts[4])
	key, err2 := decode64(parts[5])
	if err1 != nil || err2 != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	p := Params{Memory: m, Time: t, Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if p.check() != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// field parses "name=decimal" with no sign, no leading zeros and a value in
// 1..max.
func field(s, name string, max uint32) (uint32, bool) {
	v, ok := strings.CutPrefix(s, name)
	if !ok || v == "" || len(v) > 10 || (v[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > uint64(max) {
		return 0, false
	}
	return uint32(n), true
}

// decode64 decodes unpadded standard base64, refusing the '\r' and '\n'
// that encoding/base64 silently skips, so one hash has one spelling.
func decode64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' {
			return nil, ErrMalformed
		}
	}
	return b64.DecodeString(s)
}
