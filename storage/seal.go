package storage

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
)

// sealVersion is the first byte of every sealed value, so a later format
// (e.g. with a key id for rotation) can be told apart.
const sealVersion = 1

// ErrCorrupt is returned when a stored value cannot be decrypted or decoded:
// damaged data, a value moved to another key, or a foreign key file.
var ErrCorrupt = errors.New("storage: record cannot be decrypted or decoded")

// seal encrypts plaintext with AES-256-GCM under a random nonce. The record
// key is the additional data, so a sealed value moved to another key no
// longer opens.
func (k *Keys) seal(recordKey, plaintext []byte) []byte {
	ns := k.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+k.aead.Overhead())
	out[0] = sealVersion
	rand.Read(out[1 : 1+ns])
	return k.aead.Seal(out, out[1:1+ns], plaintext, recordKey)
}

// open reverses seal.
func (k *Keys) open(recordKey, sealed []byte) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: %s: bad envelope", ErrCorrupt, recordKey)
	}
	pt, err := k.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], recordKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, recordKey, err)
	}
	return pt, nil
}

// openInPlace is open that decrypts into sealed's own storage, for a
// caller that owns sealed (kv.Tx.Get returns a copy) and gives it up: the
// plaintext costs no allocation.
func (k *Keys) openInPlace(recordKey, sealed []byte) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: %s: bad envelope", ErrCorrupt, recordKey)
	}
	ct := sealed[1+ns:]
	pt, err := k.aead.Open(ct[:0], sealed[1:1+ns], ct, recordKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, recordKey, err)
	}
	return pt, nil
}

// blind returns the hex HMAC-SHA256 of value under the index key. The
// domain keeps equal values in different indexes from producing equal
// hashes, so index keys cannot be joined across record kinds.
func (k *Keys) blind(domain, value string) string {
	return string(k.appendBlind(nil, domain, value))
}

// blinder is a keyed HMAC kept for reuse: hmac.New hashes the key into
// its pads on every call, Reset restores them from a saved state.
type blinder struct {
	mac hash.Hash
	buf []byte // domain NUL value
	sum [sha256.Size]byte
}

// appendBlind appends blind(domain, value) to dst.
func (k *Keys) appendBlind(dst []byte, domain, value string) []byte {
	b, _ := k.blinders.Get().(*blinder)
	if b == nil {
		b = &blinder{mac: hmac.New(sha256.New, k.idx[:])}
	}
	b.mac.Reset()
	b.buf = append(append(append(b.buf[:0], domain...), 0), value...)
	b.mac.Write(b.buf)
	dst = hex.AppendEncode(dst, b.mac.Sum(b.sum[:0]))
	clear(b.buf) // the value may be an ID number or a phone
	k.blinders.Put(b)
	return dst
}
