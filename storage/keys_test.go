package storage

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "etc", "kiosk", "keys.json")
	k1, err := LoadOrCreateKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Fatalf("key file mode = %04o, want 0600", m)
	}
	k2, err := LoadOrCreateKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if k1.ID() != k2.ID() || k1.enc != k2.enc || k1.idx != k2.idx {
		t.Fatal("second load returned other keys")
	}
	if k1.enc == k1.idx {
		t.Fatal("encryption and index keys are equal")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestLoadKeysRefusesLoosePermissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	if _, err := LoadOrCreateKeys(path); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreateKeys(path)
		if !errors.Is(err, ErrKeyFilePermissions) || !strings.Contains(err.Error(), path) {
			t.Errorf("mode %04o: %v, want ErrKeyFilePermissions naming the file", mode, err)
		}
	}
}

func TestKeysFromSeedDeterministic(t *testing.T) {
	a, b, c := KeysFromSeed("x"), KeysFromSeed("x"), KeysFromSeed("y")
	if a.ID() != b.ID() || a.ID() == c.ID() || !strings.HasPrefix(a.ID(), "k1-") {
		t.Fatalf("ids: %s %s %s", a.ID(), b.ID(), c.ID())
	}
	if NewKeysForTest().ID() == NewKeysForTest().ID() {
		t.Fatal("random keys repeat")
	}
}

// validKeyFile returns a well-formed key file, edited by mutate.
func validKeyFile(t testing.TB, mutate func(*keyFile)) []byte {
	k := KeysFromSeed("file")
	kf := keyFile{Format: keyFileFormat, Version: keyFileVersion, KeyID: k.id,
		EncKey: base64.StdEncoding.EncodeToString(k.enc[:]), IndexKey: base64.StdEncoding.EncodeToString(k.idx[:])}
	if mutate != nil {
		mutate(&kf)
	}
	b, err := json.Marshal(kf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseKeyFile(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	cases := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"valid", validKeyFile(t, nil), ""},
		{"not json", []byte("hello"), "malformed"},
		{"empty", nil, "malformed"},
		{"wrong format", validKeyFile(t, func(k *keyFile) { k.Format = "other" }), "not a key file"},
		{"future version", validKeyFile(t, func(k *keyFile) { k.Version = 2 }), "unsupported version"},
		{"short enc key", validKeyFile(t, func(k *keyFile) { k.EncKey = short }), "enc_key"},
		{"bad base64", validKeyFile(t, func(k *keyFile) { k.IndexKey = "!!" }), "index_key"},
		{"same keys", validKeyFile(t, func(k *keyFile) { k.IndexKey = k.EncKey }), "differ"},
		{"id mismatch", validKeyFile(t, func(k *keyFile) { k.KeyID = "k1-0000000000000000" }), "does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := parseKeyFile(c.data)
			if c.wantErr == "" {
				if err != nil || k.ID() != KeysFromSeed("file").ID() {
					t.Fatalf("got %v, %v", k, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, c.wantErr)
			}
		})
	}
}

func FuzzParseKeyFile(f *testing.F) {
	f.Add(validKeyFile(f, nil))
	f.Add([]byte(`{"format":"kiosk-storage-keys","version":1}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseKeyFile(data)
		if err != nil {
			return
		}
		// Whatever parses is internally consistent and usable.
		if k.enc == k.idx || k.aead == nil {
			t.Fatalf("accepted inconsistent keys from %q", data)
		}
		if pt, err := k.open([]byte("x"), k.seal([]byte("x"), data)); err != nil || string(pt) != string(data) {
			t.Fatalf("seal/open round trip failed: %v", err)
		}
	})
}

func TestDeriveIsStableAndSeparate(t *testing.T) {
	k := KeysFromSeed("derive")
	a, b := k.Derive("sms-code"), k.Derive("other")
	if len(a) != 32 || string(a) == string(b) {
		t.Fatalf("derived secrets not separate: %x %x", a, b)
	}
	if string(a) != string(KeysFromSeed("derive").Derive("sms-code")) {
		t.Fatal("derive not deterministic")
	}
	if string(a) == string(KeysFromSeed("other seed").Derive("sms-code")) {
		t.Fatal("derive ignores the key")
	}
}
