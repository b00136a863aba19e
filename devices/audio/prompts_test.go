package audio

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"kiosk/assets"
	"kiosk/model/i18n"
)

// voiceDir is assets/voice on disk, from this package's directory.
const voiceDir = "../../assets/voice"

// Every prompt has a clip in every language of VoiceLangs, and a language
// left out (Korean, docs/voice.md) has none; every embedded WAV is a clip.
func TestEveryPromptHasItsClips(t *testing.T) {
	ids := Prompts()
	if len(ids) != 34+len(CaptchaAlphabet) {
		t.Fatalf("%d prompts", len(ids))
	}
	if VoiceLangs[0] != i18n.Chinese {
		t.Fatalf("VoiceLangs %v: Chinese must come first", VoiceLangs)
	}
	wavs, err := fs.Glob(assets.Voice, "voice/*.wav")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Glob(assets.Voice, "voice/*/*.wav")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, w := range append(wavs, sub...) {
		have[strings.TrimSuffix(strings.TrimPrefix(w, "voice/"), ".wav")] = true
	}
	want := map[string]bool{}
	for _, l := range i18n.Langs {
		for _, id := range ids {
			c := clipID(l, id)
			if slices.Contains(VoiceLangs, l) {
				want[c] = true
				if !have[c] {
					t.Errorf("prompt %q has no %s clip voice/%s.wav (run assets/voice/generate.sh)", id, l, c)
				}
			} else if have[c] {
				t.Errorf("voice/%s.wav exists, but %s is not in VoiceLangs (docs/voice.md)", c, l)
			}
		}
		if got := Speaks(l); got != slices.Contains(VoiceLangs, l) {
			t.Errorf("Speaks(%s) = %v, VoiceLangs %v", l, got, VoiceLangs)
		}
	}
	for c := range have {
		if !want[c] {
			t.Errorf("voice/%s.wav is no clip of a prompt in a voice language", c)
		}
	}
	if got := Clips(); len(got) != len(want) || got[0] != ids[0] {
		t.Errorf("Clips() has %d clips, want %d: %v", len(got), len(want), got)
	}
}

// What is on disk is what is embedded: a new language directory needs no
// change to assets/voice.go, and nothing generated is left out.
func TestEmbedHoldsEveryWAVOnDisk(t *testing.T) {
	var disk []string
	err := filepath.WalkDir(voiceDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".wav") {
			rel, _ := filepath.Rel(voiceDir, p)
			disk = append(disk, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range disk {
		if _, err := fs.Stat(assets.Voice, "voice/"+p); err != nil {
			t.Errorf("assets/voice/%s is not embedded (assets/voice.go's pattern)", p)
		}
	}
	if n := len(Clips()); n != len(disk) {
		t.Errorf("%d WAVs on disk, %d clips embedded", len(disk), n)
	}
}

// The catalog has the words of every prompt in every language, Korean
// included even while it has no voice (translators keep it in step), and
// the sentence the screen shows when the voice is Mandarin only.
func TestCatalogHasEveryPromptText(t *testing.T) {
	c := i18n.Default()
	for _, l := range i18n.Langs {
		for _, id := range append(Prompts(), "mandarin_only") {
			if !c.Has(l, "voice."+id) {
				t.Errorf("assets/i18n/%s/voice.toml has no voice.%s", l, id)
			}
		}
		if !c.Has(l, MandarinOnly) {
			t.Errorf("assets/i18n/%s/voice.toml has no %s", l, MandarinOnly)
		}
	}
	var prompts []string
	for _, id := range c.IDs(i18n.Chinese) {
		if after, ok := strings.CutPrefix(id, "voice."); ok && after != "mandarin_only" {
			prompts = append(prompts, after)
		}
	}
	for _, id := range prompts {
		if !slices.Contains(Prompts(), id) {
			t.Errorf("voice.%s is no prompt id", id)
		}
	}
	if got := c.Render(i18n.Chinese, i18n.T(MandarinOnly)); got != "语音提示仅提供普通话" {
		t.Errorf("voice.mandarin_only = %q", got)
	}
}

// Numbers (phones, IDs, codes) are never spoken in full: no prompt text in
// any language holds a digit (captcha digits are words, char_<c>), and none
// has a placeholder for a value.
func TestPromptTextsHoldNoNumbers(t *testing.T) {
	c := i18n.Default()
	for _, l := range i18n.Langs {
		for _, id := range Prompts() {
			text := c.Render(l, i18n.T(TextID(id)))
			if strings.IndexFunc(text, unicode.IsDigit) >= 0 {
				t.Errorf("%s prompt %q speaks a number: %q", l, id, text)
			}
			if strings.Contains(text, "{{") || strings.TrimSpace(text) == "" {
				t.Errorf("%s prompt %q: %q", l, id, text)
			}
		}
	}
}

// texts.sum records what each clip says; a catalog text edited without
// running generate.sh leaves its clip saying the old words.
func TestClipsSayTheCatalogText(t *testing.T) {
	f, err := os.Open(filepath.Join(voiceDir, "texts.sum"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if clip, sum, ok := strings.Cut(sc.Text(), "\t"); ok && !strings.HasPrefix(clip, "#") {
			sums[clip] = sum
		}
	}
	for _, clip := range Clips() {
		text, _ := Text(clip)
		h := sha256.Sum256([]byte(text))
		if got := sums[clip]; got != hex.EncodeToString(h[:8]) {
			t.Errorf("clip %s does not say %q (run assets/voice/generate.sh)", clip, text)
		}
	}
	if len(sums) != len(Clips()) {
		t.Errorf("texts.sum lists %d clips, %d embedded", len(sums), len(Clips()))
	}
}

func TestConstantsAndCaptchaCharsAreListed(t *testing.T) {
	for _, id := range Prompts() {
		if err := Validate(id); err != nil {
			t.Error(err)
		}
		if strings.ContainsAny(id, sequenceSep+langSep) {
			t.Errorf("prompt id %q holds a separator", id)
		}
	}
	for _, r := range CaptchaAlphabet {
		if !slices.Contains(Prompts(), CharPrompt(r)) {
			t.Errorf("%q not listed", CharPrompt(r))
		}
	}
}

func TestClipFor(t *testing.T) {
	korean := slices.Contains(VoiceLangs, i18n.Korean)
	for _, tt := range []struct {
		id     string
		l      i18n.Lang
		clip   string
		native bool
	}{
		{PromptHome, i18n.Chinese, "home", true},
		{PromptHome, i18n.English, "en/home", true},
		{CharPrompt('K'), i18n.English, "en/char_K", true},
		{"no_such_prompt", i18n.Chinese, "no_such_prompt", true},
		{"no_such_prompt", i18n.English, "no_such_prompt", false},
		{PromptHome, "fr", "home", false},
		{Join(PromptCaptcha, "char_3", "char_A"), i18n.English, "en/captcha_audio+en/char_3+en/char_A", true},
		{Join(PromptCaptcha, "char_3"), i18n.Chinese, "captcha_audio+char_3", true},
		{Join(PromptHome, "nope"), i18n.English, "en/home+nope", false},
	} {
		clip, native := ClipFor(tt.id, tt.l)
		if clip != tt.clip || native != tt.native {
			t.Errorf("ClipFor(%q, %s) = %q, %v; want %q, %v", tt.id, tt.l, clip, native, tt.clip, tt.native)
		}
	}
	// Korean follows the decision of docs/voice.md.
	for _, id := range Prompts() {
		clip, native := ClipFor(id, i18n.Korean)
		want := id
		if korean {
			want = "ko/" + id
		}
		if clip != want || native != korean {
			t.Errorf("ClipFor(%q, ko) = %q, %v; want %q, %v", id, clip, native, want, korean)
		}
	}
	// Every language gets a clip that plays.
	for _, l := range i18n.Langs {
		for _, id := range Prompts() {
			clip, native := ClipFor(id, l)
			if err := Validate(clip); err != nil {
				t.Errorf("ClipFor(%q, %s) = %q: %v", id, l, clip, err)
			}
			if native != Speaks(l) {
				t.Errorf("ClipFor(%q, %s) native %v, Speaks %v", id, l, native, Speaks(l))
			}
		}
	}
}

// Every clip must be what the adapters and the size budget expect.
func TestWAVsAre16kMonoPCM16(t *testing.T) {
	size := map[i18n.Lang]int{}
	total := 0
	for _, clip := range Clips() {
		b, err := assets.Voice.ReadFile("voice/" + clip + ".wav")
		if err != nil {
			t.Fatal(err)
		}
		l, _, _ := splitClip(clip)
		size[l] += len(b)
		total += len(b)
		c, err := Load(clip)
		if err != nil {
			t.Fatalf("%s: %v", clip, err)
		}
		if c.Rate != 16000 || c.Channels != 1 {
			t.Errorf("%s: %d Hz × %d ch, want 16000 × 1", clip, c.Rate, c.Channels)
		}
		if d := c.Duration().Seconds(); d < 0.1 || d > 15 {
			t.Errorf("%s: %.2f s long", clip, d)
		}
	}
	for l, n := range size {
		if n > 8<<20 {
			t.Errorf("the %s voice takes %d bytes; keep each language under 8 MiB", l, n)
		}
	}
	if total > 16<<20 {
		t.Errorf("voice prompts take %d bytes; keep them under 16 MiB", total)
	}
	t.Logf("%d clips, %d bytes", len(Clips()), total)
}

func TestCaptchaPrompt(t *testing.T) {
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"3a7k", "captcha_audio+char_3+char_A+char_7+char_K", true},
		{"XYW9C", "captcha_audio+char_X+char_Y+char_W+char_9+char_C", true},
		{"", "", false},
		{"AB", "", false}, // B is not in the alphabet
		{"1", "", false},
	}
	for _, tt := range tests {
		got, ok := CaptchaPrompt(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CaptchaPrompt(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	// In English the captcha is English from start to end.
	p, _ := CaptchaPrompt("3a7k")
	clip, native := ClipFor(p, i18n.English)
	if text, ok := Text(clip); !native || !ok || text != "The picture code is: three A seven K" {
		t.Errorf("English captcha %q (native %v) says %q, %v", clip, native, text, ok)
	}
	if _, err := Load(clip); err != nil {
		t.Error(err)
	}
}

func TestLoadSequenceJoinsWithGap(t *testing.T) {
	a, err := Load("char_3")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load("en/char_A")
	seq, err := Load(Join("char_3", "en/char_A"))
	if err != nil {
		t.Fatal(err)
	}
	gap := 16000 * SequenceGapMillis / 1000
	if len(seq.Samples) != len(a.Samples)+gap+len(b.Samples) {
		t.Fatalf("sequence has %d samples, want %d", len(seq.Samples), len(a.Samples)+gap+len(b.Samples))
	}
	if !slices.Equal(seq.Samples[:len(a.Samples)], a.Samples) || !slices.Equal(seq.Samples[len(a.Samples)+gap:], b.Samples) {
		t.Error("sequence does not hold its parts in order")
	}
	text, ok := Text(Join("captcha_audio", "char_A"))
	if !ok || text != "图片验证码依次为 A" {
		t.Errorf("Text = %q, %v", text, ok)
	}
	text, ok = Text("en/voice_on")
	if !ok || text != "Voice prompts are on." {
		t.Errorf("Text = %q, %v", text, ok)
	}
}

func TestUnknownPrompts(t *testing.T) {
	bad := []string{"", "nope", "home+nope", "+", "home+", "voice/home", "zh/home", "en/", "en/nope",
		"fr/home", "en/en/home", "EN/home", "/home", "en/home.wav"}
	if !slices.Contains(VoiceLangs, i18n.Korean) {
		bad = append(bad, "ko/home")
	}
	for _, p := range bad {
		if _, err := Load(p); !errors.Is(err, ErrUnknownPrompt) {
			t.Errorf("Load(%q) = %v, want ErrUnknownPrompt", p, err)
		}
		if err := Validate(p); !errors.Is(err, ErrUnknownPrompt) {
			t.Errorf("Validate(%q) = %v, want ErrUnknownPrompt", p, err)
		}
		if _, ok := Text(p); ok {
			t.Errorf("Text(%q) ok", p)
		}
	}
}
