package main

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
)

func needEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (apt-get install espeak-ng): the voice measure needs it")
	}
}

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMeasure is the measure of docs/voice.md (go test -run Measure -v
// prints the table). The languages that pass are exactly those that have
// a voice of their own (audio.VoiceLangs): if a new espeak-ng or a new
// translation changes a verdict, the decision must be taken again.
func TestMeasure(t *testing.T) {
	needEspeak(t)
	if testing.Short() {
		t.Skip("runs espeak-ng some two thousand times")
	}
	rs, err := measure(catalog(t), i18n.Langs, runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n\n%s%s", version("espeak-ng"), table(rs), details(rs, 12))
	for _, r := range rs {
		if want := slices.Contains(audio.VoiceLangs, r.lang); r.pass() != want {
			t.Errorf("%s: the measure says pass=%v (%s), audio.VoiceLangs says %v: take the decision of docs/voice.md again",
				r.lang, r.pass(), strings.Join(r.failures(), "; "), want)
		}
	}
}

// Every Hangul syllable espeak-ng can say parses into Korean phonemes with
// exactly one vowel: the Korean measure misreads nothing espeak-ng says.
func TestParseKoReadsEveryHangulSyllable(t *testing.T) {
	needEspeak(t)
	if testing.Short() {
		t.Skip("11172 syllables")
	}
	var in strings.Builder
	for r := rune(hangulFirst); r <= hangulLast; r++ {
		in.WriteString(string(r) + ".\n") // one clause, so one output line, per syllable
	}
	out, err := espeak(in.String(), "-v", "ko", "-q", "-x")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != hangulLast-hangulFirst+1 {
		t.Fatalf("%d lines for %d syllables", len(lines), hangulLast-hangulFirst+1)
	}
	bad := 0
	for i, ph := range lines {
		toks, unknown := parseKo(ph)
		vowels := 0
		for _, tok := range toks {
			if strings.HasPrefix(tok, "V:") {
				vowels++
			}
		}
		if unknown > 0 || vowels != 1 {
			if bad++; bad <= 20 {
				t.Errorf("%c: espeak-ng %q parses as %q", rune(hangulFirst+i), ph, toks)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d syllables misread", bad)
	}
}

func TestCheckText(t *testing.T) {
	for text, ok := range map[string]bool{
		"请输入密码":                true,
		"The picture code is:": true,
		"请拨打12345":             false,
		"Code ３":               false,
		"请于{{.Until}}后重试":      false,
		"":                     false,
		"⟦voice.home⟧":         false,
	} {
		if err := checkText(text); (err == nil) != ok {
			t.Errorf("checkText(%q) = %v", text, err)
		}
	}
}
