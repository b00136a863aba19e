package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

const (
	keyFileFormat  = "kiosk-storage-keys"
	keyFileVersion = 1
	keySize        = 32
)

// ErrKeyFilePermissions is returned when the key file can be read by group
// or others: the keys protect every ID number and phone in the store.
var ErrKeyFilePermissions = errors.New("storage: key file is readable by group or others")

// Keys are the store's secrets: an AES-256-GCM key that seals record values
// and a separate HMAC-SHA256 key for blind indexes, so that leaking index
// keys (e.g. through logs of key names) never weakens the encryption.
type Keys struct {
	id   string
	enc  [keySize]byte
	idx  [keySize]byte
	aead cipher.AEAD // safe for concurrent use, built once

	blinders sync.Pool // of *blinder, see appendBlind
}

// keyFile is the on-disk form of Keys.
type keyFile struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	KeyID    string    `json:"key_id"`
	EncKey   string    `json:"enc_key"`   // base64, 32 bytes
	IndexKey string    `json:"index_key"` // base64, 32 bytes
	Created  time.Time `json:"created,omitzero"`
}

// ID identifies the key pair (a fingerprint, not secret); the store records
// it so that opening with another key file fails with a clear message.
func (k *Keys) ID() string { return k.id }

func newKeys(enc, idx [keySize]byte) *Keys {
	block, err := aes.NewCipher(enc[:])
	if err != nil {
		panic(err) // only wrong key sizes fail, and ours is fixed
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	h.Write([]byte("kiosk-storage-key-id\x00"))
	h.Write(enc[:])
	h.Write(idx[:])
	return &Keys{id: "k1-" + hex.EncodeToString(h.Sum(nil)[:8]), enc: enc, idx: idx, aead: aead}
}

// NewKeysForTest returns fresh random keys that live only in memory.
func NewKeysForTest() *Keys { return randomKeys() }

func randomKeys() *Keys {
	var enc, idx [keySize]byte
	rand.Read(enc[:])
	rand.Read(idx[:])
	return newKeys(enc, idx)
}

// KeysFromSeed derives keys deterministically from seed, for tests and
// benchmarks that reopen a store built earlier. Never use it in production.
func KeysFromSeed(seed string) *Keys {
	derive := func(label string) (out [keySize]byte) {
		m := hmac.New(sha256.New, []byte(seed))
		m.Write([]byte(label))
		copy(out[:], m.Sum(nil))
		return out
	}
	return newKeys(derive("kiosk enc"), derive("kiosk idx"))
}

// LoadOrCreateKeys reads the key file at path, creating it (mode 0600, with
// fresh random keys) when it does not exist. It refuses a key file that
// group or others may read.
func LoadOrCreateKeys(path string) (*Keys, error) {
	k, err := loadKeys(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := createKeyFile(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Load what is on disk now: if another process won the creation race,
	// its keys are the ones to use.
	return loadKeys(path)
}

func loadKeys(path string) (*Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; run chmod 600 on it", ErrKeyFilePermissions, path, fi.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("storage: read key file %s: %w", path, err)
	}
	k, err := parseKeyFile(data)
	if err != nil {
		return nil, fmt.Errorf("storage: key file %s: %w", path, err)
	}
	return k, nil
}

// parseKeyFile decodes and checks a key file's contents.
func parseKeyFile(data []byte) (*Keys, error) {
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return nil, fmt.Errorf("malformed: %w", err)
	}
	if kf.Format != keyFileFormat {
		return nil, fmt.Errorf("not a key file (format %q)", kf.Format)
	}
	if kf.Version != keyFileVersion {
		return nil, fmt.Errorf("unsupported version %d", kf.Version)
	}
	enc, err := decodeKey(kf.EncKey)
	if err != nil {
		return nil, fmt.Errorf("enc_key: %w", err)
	}
	idx, err := decodeKey(kf.IndexKey)
	if err != nil {
		return nil, fmt.Errorf("index_key: %w", err)
	}
	if enc == idx {
		return nil, errors.New("enc_key and index_key must differ")
	}
	k := newKeys(enc, idx)
	if kf.KeyID != k.id {
		return nil, fmt.Errorf("key_id %q does not match the keys (damaged file?)", kf.KeyID)
	}
	return k, nil
}

func decodeKey(s string) (out [keySize]byte, err error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return out, err
	}
	if len(b) != keySize {
		return out, fmt.Errorf("want %d bytes, got %d", keySize, len(b))
	}
	copy(out[:], b)
	return out, nil
}

// createKeyFile writes fresh keys to a temporary file and links it into
// place, so a crash never leaves a half-written key file and an existing
// one is never overwritten.
func createKeyFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("storage: create key dir: %w", err)
	}
	k := randomKeys()
	data, err := json.MarshalIndent(keyFile{
		Format:   keyFileFormat,
		Version:  keyFileVersion,
		KeyID:    k.id,
		EncKey:   base64.StdEncoding.EncodeToString(k.enc[:]),
		IndexKey: base64.StdEncoding.EncodeToString(k.idx[:]),
		Created:  time.Now().UTC().Truncate(time.Second),
	}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".keys-*")
	if err != nil {
		return fmt.Errorf("storage: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		if _, err = tmp.Write(append(data, '\n')); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("storage: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return err // fs.ErrExist when another process created it first
	}
	return nil
}

// Derive returns a 32-byte secret for another purpose (e.g. the SMS-code
// HMAC), bound to label and derived from the index key, so that one key file
// holds every secret of the kiosk and no purpose can recompute another's.
func (k *Keys) Derive(label string) []byte {
	m := hmac.New(sha256.New, k.idx[:])
	m.Write([]byte("kiosk derive\x00"))
	m.Write([]byte(label))
	return m.Sum(nil)
}
