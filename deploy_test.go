package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The files of deploy/ and where install.sh puts them.
const (
	deployUnit    = "deploy/kiosk.service"
	deployConfig  = "deploy/kiosk.toml"
	deployInstall = "deploy/install.sh"
	deployFoot    = "deploy/foot.ini"

	installedBin    = "/usr/local/bin/kiosk"
	installedConfig = "/etc/kiosk/kiosk.toml"
	installedFoot   = "/etc/kiosk/foot.ini"
)

// unitFile is a systemd unit's settings, section.key → values in order.
type unitFile map[string][]string

func readUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "["):
			section = strings.Trim(l, "[]")
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				t.Fatalf("%s: not a setting: %q", path, l)
			}
			u[section+"."+k] = append(u[section+"."+k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

func (u unitFile) one(t *testing.T, key string) string {
	t.Helper()
	v := u[key]
	if len(v) != 1 {
		t.Fatalf("kiosk.service: %s set %d times, want once", key, len(v))
	}
	return v[0]
}

// TestDeployUnitParses runs systemd-analyze verify on the unit, when the
// machine has it. Only the missing programs (cage, foot and the kiosk, which
// a build machine need not have installed) may be reported.
func TestDeployUnitParses(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze not installed")
	}
	abs, err := filepath.Abs(deployUnit)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("systemd-analyze", "verify", abs).CombinedOutput() // status 1 for a missing program
	missingProgram := regexp.MustCompile(`^kiosk\.service: Command (/usr/bin/cage|/usr/bin/foot|/usr/local/bin/kiosk) is not executable`)
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" || missingProgram.MatchString(l) {
			continue
		}
		if strings.Contains(l, abs) || strings.HasPrefix(l, "kiosk.service") {
			t.Errorf("systemd-analyze verify: %s", l)
		}
	}
}

// TestDeployFootConfig checks foot.ini with foot itself, when installed.
func TestDeployFootConfig(t *testing.T) {
	if _, err := exec.LookPath("foot"); err != nil {
		t.Skip("foot not installed")
	}
	out, err := exec.Command("foot", "--check-config", "--config="+deployFoot).CombinedOutput()
	if err != nil || strings.Contains(string(out), "err:") || strings.Contains(string(out), "warn:") {
		t.Errorf("foot --check-config: %v\n%s", err, out)
	}
}

// TestDeployInstallScript: install.sh is valid bash, passes shellcheck when
// it is installed, and its dry run installs to the paths the unit uses.
func TestDeployInstallScript(t *testing.T) {
	if out, err := exec.Command("bash", "-n", deployInstall).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	if _, err := exec.LookPath("shellcheck"); err == nil {
		if out, err := exec.Command("shellcheck", deployInstall).CombinedOutput(); err != nil {
			t.Errorf("shellcheck: %v\n%s", err, out)
		}
	} else {
		t.Log("shellcheck not installed; skipped")
	}
	bin := filepath.Join(t.TempDir(), "kiosk")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", deployInstall, "--dry-run", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	cfg, err := LoadConfig(deployConfig, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"+ install -m 0755 " + bin + " " + installedBin,
		"+ install -m 0640 -o root -g kiosk " + filepath.Join(deployDir(t), "kiosk.toml") + " " + installedConfig,
		"+ install -m 0644 " + filepath.Join(deployDir(t), "foot.ini") + " " + installedFoot,
		"+ install -m 0644 " + filepath.Join(deployDir(t), "kiosk.service") + " /etc/systemd/system/kiosk.service",
		"+ install -d -m 0700 -o kiosk -g kiosk " + cfg.DataDir,
		"kiosk.key " + cfg.Store.KeyFile, // the key file, installed for the kiosk user
		"+ usermod --append --groups video,dialout,audio kiosk",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if out, err := exec.Command("bash", deployInstall, "--dry-run", "/nonexistent/kiosk").CombinedOutput(); err == nil {
		t.Errorf("a missing binary is not refused:\n%s", out)
	}
}

func deployDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs("deploy")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDeployPathsAgree: the unit, the production configuration it is
// installed with and the conventions kiosk.example.toml and the README
// document say the same thing: the data in /var/lib/kiosk, the only
// writable place; the key file outside it and read-only; the configuration
// and foot.ini where ExecStart reads them.
func TestDeployPathsAgree(t *testing.T) {
	u := readUnit(t, deployUnit)
	cfg, err := LoadConfig(deployConfig, true) // a valid production configuration
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode != "production" {
		t.Errorf("deploy/kiosk.toml: mode %q", cfg.Mode)
	}
	execStart := u.one(t, "Service.ExecStart")
	for _, want := range []string{"/usr/bin/cage ", "/usr/bin/foot --config=" + installedFoot + " ", installedBin + " -config " + installedConfig} {
		if !strings.Contains(execStart, want) {
			t.Errorf("ExecStart %q lacks %q", execStart, want)
		}
	}
	if wd := u.one(t, "Service.WorkingDirectory"); wd != cfg.DataDir {
		t.Errorf("WorkingDirectory %s, data_dir %s", wd, cfg.DataDir)
	}
	if sd := u.one(t, "Service.StateDirectory"); "/var/lib/"+sd != cfg.DataDir {
		t.Errorf("StateDirectory %s is not data_dir %s", sd, cfg.DataDir)
	}
	rw := strings.Fields(strings.Join(u["Service.ReadWritePaths"], " "))
	if !slices.Contains(rw, cfg.DataDir) {
		t.Errorf("ReadWritePaths %v lacks data_dir %s", rw, cfg.DataDir)
	}
	for _, p := range rw {
		p = strings.TrimPrefix(p, "-")
		if p != cfg.DataDir && p != "/run/user" {
			t.Errorf("ReadWritePaths has %s besides data_dir and the session's runtime directory", p)
		}
	}
	key := cfg.Store.KeyFile
	if !filepath.IsAbs(key) || !strings.HasPrefix(key, filepath.Dir(installedConfig)+"/") {
		t.Errorf("key_file %s is not beside the configuration in %s", key, filepath.Dir(installedConfig))
	}
	for _, p := range rw {
		if inside, _ := within(key, strings.TrimPrefix(p, "-")); inside {
			t.Errorf("key_file %s is writable by the service (ReadWritePaths %s)", key, p)
		}
	}
	if filepath.IsAbs(cfg.Log.File) || filepath.IsAbs(cfg.Store.Path) {
		t.Errorf("log %s and store %s should lie in data_dir", cfg.Log.File, cfg.Store.Path)
	}
	for key, want := range map[string]string{
		"Service.User": "kiosk", "Service.Restart": "always", "Service.NoNewPrivileges": "yes",
		"Service.ProtectSystem": "strict", "Service.PrivateTmp": "yes", "Service.PAMName": "kiosk",
	} {
		if got := u.one(t, key); got != want {
			t.Errorf("%s=%s, want %s", key, got, want)
		}
	}
	// The kiosk drives devices: nothing may shut them out.
	for _, key := range []string{"Service.PrivateDevices", "Service.DeviceAllow", "Service.DevicePolicy", "Service.ProtectClock"} {
		if v, ok := u[key]; ok {
			t.Errorf("%s=%v would keep the kiosk from its devices", key, v)
		}
	}
	groups := strings.Fields(u.one(t, "Service.SupplementaryGroups"))
	for _, g := range []string{"video", "dialout", "audio"} {
		if !slices.Contains(groups, g) {
			t.Errorf("SupplementaryGroups %v lacks %s", groups, g)
		}
	}
	// What kiosk.example.toml and the README document.
	example, err := os.ReadFile("kiosk.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(example), "e.g. "+key) {
		t.Errorf("kiosk.example.toml does not suggest the key file %s", key)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Running it as a kiosk")
	if !ok {
		t.Fatal(`README has no section "Running it as a kiosk"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, want := range []string{cfg.DataDir, key, installedConfig, "apt-get install", "cage", "foot", "fonts-noto-cjk",
		"deploy/install.sh", "systemctl enable", "journalctl", "kiosk.log.crash"} {
		if !strings.Contains(section, want) {
			t.Errorf("README's kiosk section does not mention %s", want)
		}
	}
}
