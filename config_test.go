package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleConfigIsTheDefault(t *testing.T) {
	cfg, err := LoadConfig("kiosk.example.toml", true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, DefaultConfig()) {
		t.Fatalf("kiosk.example.toml drifted from DefaultConfig:\n%+v\n%+v", cfg, DefaultConfig())
	}
}

func TestConfigErrors(t *testing.T) {
	for body, want := range map[string]string{
		`mode = "prod"`:                                                       "mode must be",
		`colour = "red"`:                                                      "unknown option",
		"[ui]\nidle_timeout = \"soon\"":                                       "bad duration",
		"[ui]\nidle_timeout = \"2s\"":                                         "idle_timeout",
		"[ui]\nlanguage = \"fr\"":                                             "ui.language",
		"[demo]\nfixed_captcha = \"0000\"":                                    "fixed_captcha",
		"[store]\nengine = \"sqlite\"":                                        "not supported",
		"[store]\nengine = \"etcd\"":                                          "store.endpoints must list",
		"[store]\nengine = \"etcd\"\nendpoints = [\"10.0.0.1:2379\"]":         "is not a URL",
		"[store]\nengine = \"etcd\"\nendpoints = [\"https://10.0.0.1:2379\"]": "must use https exactly when",
		"[store]\nengine = \"etcd\"\nendpoints = [\"http://10.0.0.1:2379\"]\nprefix = \"kiosk\"":                           "store.prefix",
		"[store]\nengine = \"etcd\"\nendpoints = [\"http://10.0.0.1:2379\"]\nusername = \"kiosk\"":                         "go together",
		"[store]\nengine = \"etcd\"\nendpoints = [\"https://10.0.0.1:2379\"]\nca_file = \"ca.crt\"\ncert_file = \"c.crt\"": "go together",
		`kiosk_id = ""`: "kiosk_id",
	} {
		_, err := LoadConfig(writeFile(t, "k.toml", body), true)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", body, err, want)
		}
	}
}

func TestConfigMissingFile(t *testing.T) {
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "none.toml"), false); err != nil {
		t.Fatalf("implicit missing config: %v", err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "none.toml"), true); err == nil {
		t.Fatal("explicit missing config accepted")
	}
	cfg, err := LoadConfig(writeFile(t, "k.toml", productionDevices+"[ui]\nidle_timeout = \"90s\"\n"), true)
	if err != nil || cfg.Demo() || cfg.UI.IdleTimeout.Duration != 90*time.Second {
		t.Fatalf("%+v %v", cfg, err)
	}
}

// TestRegistryImportCommand runs `kiosk registry import` on a CSV with one
// good row (taken from the shipped sample) and one bad row.
func TestRegistryImportCommand(t *testing.T) {
	sample, err := os.ReadFile("assets/registry/sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(sample), "\n", 3)
	// The same row with a wrong USCC check character.
	check := byte('0')
	if lines[1][17] == '0' {
		check = '1'
	}
	bad := lines[1][:17] + string(check) + lines[1][18:]
	csv := writeFile(t, "reg.csv", lines[0]+"\n"+lines[1]+"\n"+bad+"\n")
	dir := t.TempDir()
	cfg := demoConfig(t, dir)
	var out, errb strings.Builder
	if code := run([]string{"-config", cfg, "registry", "import", csv}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "imported 1 enterprises") || !strings.Contains(out.String(), "line 3") {
		t.Fatalf("output: %s", out.String())
	}
}

// productionDevices is a production configuration with real adapters only.
const productionDevices = `mode = "production"
kiosk_id = "JL-CC-0001"
[camera]
adapter = "v4l2"
[face]
adapter = "counter"
[sms]
adapter = "modem"
[audio]
adapter = "silent"
[store]
key_file = "/etc/kiosk/kiosk.key"
`

func TestProductionRefusesSimulations(t *testing.T) {
	for _, sim := range []string{"[camera]\nadapter = \"replay\"", "[face]\nadapter = \"demo\"",
		"[sms]\nadapter = \"simulated\"", "[audio]\nadapter = \"auto\""} {
		body := productionDevices
		section := strings.SplitN(sim, "\n", 2)[0]
		i := strings.Index(body, section)
		j := strings.Index(body[i:], "\n[")
		if j < 0 {
			body = body[:i] + sim + "\n"
		} else {
			body = body[:i] + sim + body[i+j:]
		}
		_, err := LoadConfig(writeFile(t, "k.toml", body), true)
		if err == nil || !strings.Contains(err.Error(), "refused in production") {
			t.Errorf("%s: got %v", sim, err)
		}
	}
}

// TestEtcdStoreConfig: the etcd engine's options are read; production
// refuses a cluster reached without TLS.
func TestEtcdStoreConfig(t *testing.T) {
	etcd := "[store]\nengine = \"etcd\"\nkey_file = \"/etc/kiosk/kiosk.key\"\n"
	cfg, err := LoadConfig(writeFile(t, "k.toml", etcd+"endpoints = [\"http://127.0.0.1:2379\"]\nrequest_timeout = \"2s\"\n"), true)
	if err != nil || cfg.Store.Engine != "etcd" || len(cfg.Store.Endpoints) != 1 ||
		cfg.Store.RequestTimeout.Duration != 2*time.Second || cfg.Store.Prefix != "/kiosk/" {
		t.Fatalf("demo etcd config: %+v, %v", cfg.Store, err)
	}
	prod := strings.Replace(productionDevices, "[store]\nkey_file = \"/etc/kiosk/kiosk.key\"\n", "", 1)
	_, err = LoadConfig(writeFile(t, "k.toml", prod+etcd+"endpoints = [\"http://10.0.0.1:2379\"]\n"), true)
	if err == nil || !strings.Contains(err.Error(), "needs TLS") {
		t.Fatalf("production etcd without TLS: %v", err)
	}
	tls := "endpoints = [\"https://10.0.0.1:2379\", \"https://10.0.0.2:2379\", \"https://10.0.0.3:2379\"]\n" +
		"ca_file = \"/etc/kiosk/etcd-ca.crt\"\ncert_file = \"/etc/kiosk/c.crt\"\ncert_key_file = \"/etc/kiosk/c.key\"\n"
	if _, err := LoadConfig(writeFile(t, "k.toml", prod+etcd+tls), true); err == nil || !strings.Contains(err.Error(), "hall must be set") {
		t.Fatalf("production etcd without a hall: %v", err)
	}
	prod = "hall = \"长春市政务服务中心\"\n" + prod
	if _, err := LoadConfig(writeFile(t, "k.toml", prod+etcd+tls), true); err != nil {
		t.Fatalf("production etcd with TLS: %v", err)
	}
}
