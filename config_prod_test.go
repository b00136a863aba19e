package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProductionConfigHardening: in production a key file inside data_dir
// and ui.allow_quit are refused; demo mode keeps both.
func TestProductionConfigHardening(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	// A link to data_dir: the key file behind it still lies inside.
	link := filepath.Join(dir, "link")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	// productionDevices without its key file, data_dir first (top-level
	// keys come before the first table).
	prod := "data_dir = " + quote(data) + "\n" +
		strings.Replace(productionDevices, "[store]\nkey_file = \"/etc/kiosk/kiosk.key\"\n", "", 1)
	for name, c := range map[string]struct {
		body, want string
	}{
		"default key file":     {prod, "lies inside data_dir"},
		"relative key file":    {prod + "[store]\nkey_file = \"keys/kiosk.key\"\n", "lies inside data_dir"},
		"absolute, inside":     {prod + "[store]\nkey_file = " + quote(filepath.Join(data, "k.key")) + "\n", "lies inside data_dir"},
		"through a link":       {prod + "[store]\nkey_file = " + quote(filepath.Join(link, "k.key")) + "\n", "lies inside data_dir"},
		"allow_quit":           {prod + "[store]\nkey_file = " + quote(filepath.Join(dir, "k.key")) + "\n[ui]\nallow_quit = true\n", "allow_quit"},
		"fixed captcha":        {prod + "[store]\nkey_file = " + quote(filepath.Join(dir, "k.key")) + "\n[demo]\nfixed_captcha = \"ACE34\"\n", "fixed_captcha"},
		"outside is fine":      {prod + "[store]\nkey_file = " + quote(filepath.Join(dir, "k.key")) + "\n", ""},
		"sibling prefix is ok": {prod + "[store]\nkey_file = " + quote(data+"-keys/k.key") + "\n", ""},
	} {
		_, err := LoadConfig(writeFile(t, "k.toml", c.body), true)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "production")):
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
	// Demo mode: the default key file inside data_dir and allow_quit stay allowed.
	demo := "mode = \"demo\"\ndata_dir = " + quote(data) + "\n[ui]\nallow_quit = true\n[demo]\nfixed_captcha = \"ACE34\"\n"
	if _, err := LoadConfig(writeFile(t, "k.toml", demo), true); err != nil {
		t.Errorf("demo refused: %v", err)
	}
}

func TestKeepSentConfig(t *testing.T) {
	if got := DefaultConfig().SMS.KeepSent.Duration.Hours(); got != 720 {
		t.Fatalf("default keep_sent %vh, want 720h", got)
	}
	_, err := LoadConfig(writeFile(t, "k.toml", "[sms]\nkeep_sent = \"10m\"\n"), true)
	if err == nil || !strings.Contains(err.Error(), "keep_sent") {
		t.Fatalf("keep_sent 10m: %v", err)
	}
}

func quote(s string) string { return "'" + s + "'" }
