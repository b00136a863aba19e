package main

import (
	"strings"
	"testing"
)

// TestStaffChordConfig: [staff] chord takes a chord or a sequence; what a
// visitor could type by accident, or a key the kiosk uses, is refused at
// start-up with the option named.
func TestStaffChordConfig(t *testing.T) {
	for chord, want := range map[string]string{
		"ctrl+alt+s":            "alt+ctrl+s",
		"ctrl+alt+s ctrl+alt+k": "alt+ctrl+s alt+ctrl+k",
		"f10 f11 f12":           "f10 f11 f12",
	} {
		cfg, err := LoadConfig(writeFile(t, "k.toml", "[staff]\nchord = \""+chord+"\"\n"), true)
		if err != nil {
			t.Errorf("%q: %v", chord, err)
			continue
		}
		if cfg.Staff.Chord != chord {
			t.Errorf("%q read as %q (want %s when matched)", chord, cfg.Staff.Chord, want)
		}
	}
	for _, chord := range []string{"", "s", "f12", "f3 f3 f3", "ctrl+c", "esc"} {
		_, err := LoadConfig(writeFile(t, "k.toml", "[staff]\nchord = \""+chord+"\"\n"), true)
		if err == nil || !strings.Contains(err.Error(), "staff.chord") {
			t.Errorf("%q: %v, want a staff.chord refusal", chord, err)
		}
	}
	if DefaultConfig().Staff.Chord != "ctrl+alt+s" {
		t.Errorf("default chord %q", DefaultConfig().Staff.Chord)
	}
}
