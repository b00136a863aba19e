package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"

	"kiosk/model/i18n"
)

// voices are the espeak-ng voices of the languages. cmn-latn-pinyin, not
// cmn: Debian's "cmn" voice reads the pinyin that its dictionary yields for
// most characters with English letter rules, which is unintelligible; the
// pinyin voice reads the same text as Mandarin and also names single Latin
// letters (captcha characters) the way Mandarin speakers do.
var voices = map[i18n.Lang]string{
	i18n.Chinese: "cmn-latn-pinyin",
	i18n.English: "en-us",
	i18n.Korean:  "ko",
}

// speed is espeak-ng's words per minute (its default) for every language;
// slower makes the clips long.
const speed = "175"

// espeak runs espeak-ng with args on text (given on stdin, so that no text
// can be taken for an option) and returns what it writes.
func espeak(text string, args ...string) ([]byte, error) {
	cmd := exec.Command("espeak-ng", args...)
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("espeak-ng %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// phonemes is espeak-ng's phoneme mnemonics of text in l (-x), clauses
// joined by a space.
func phonemes(l i18n.Lang, text string) (string, error) {
	out, err := espeak(text, "-v", voices[l], "-q", "-x")
	return strings.Join(strings.Fields(string(out)), " "), err
}

// ipa is the same in IPA.
func ipa(l i18n.Lang, text string) (string, error) {
	out, err := espeak(text, "-v", voices[l], "-q", "--ipa")
	return strings.Join(strings.Fields(string(out)), " "), err
}

// synth is text in l as espeak-ng says it at the clips' speed: a WAV at
// espeak-ng's own rate (22050 Hz mono PCM16).
func synth(l i18n.Lang, text string) ([]byte, error) {
	return espeak(text, "-v", voices[l], "-s", speed, "--stdout")
}

// tools checks that the programs the generator runs are installed.
func tools(names ...string) error {
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			return fmt.Errorf("%s is not installed (apt-get install espeak-ng sox)", n)
		}
	}
	return nil
}

// version is the first line of a program's --version, for the record.
func version(name string) string {
	out, err := exec.Command(name, "--version").Output()
	if err != nil {
		return name + " (unknown version)"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.Join(strings.Fields(line), " ")
}
