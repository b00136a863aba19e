package audio

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kiosk/assets"
)

func TestEveryPromptHasAWAVAndViceVersa(t *testing.T) {
	ids := Prompts()
	if len(ids) == 0 {
		t.Fatal("no prompts")
	}
	wavs, err := fs.Glob(assets.Voice, "voice/*.wav")
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, w := range wavs {
		have = append(have, strings.TrimSuffix(strings.TrimPrefix(w, "voice/"), ".wav"))
	}
	for _, id := range ids {
		if !slices.Contains(have, id) {
			t.Errorf("prompt %q has no voice/%s.wav (run assets/voice/generate.sh)", id, id)
		}
	}
	for _, id := range have {
		if !slices.Contains(ids, id) {
			t.Errorf("voice/%s.wav is not in prompts.tsv", id)
		}
	}
}

var digitRun = regexp.MustCompile(`[0-9０-９]{3,}`)

// Numbers (phones, IDs, codes) are never spoken in full.
func TestPromptTextsHoldNoNumbers(t *testing.T) {
	for _, id := range Prompts() {
		text, _ := Text(id)
		if digitRun.MatchString(text) {
			t.Errorf("prompt %q speaks a number: %q", id, text)
		}
	}
}

func TestConstantsAndCaptchaCharsAreListed(t *testing.T) {
	ids := []string{
		PromptHome, PromptLoginEnterprise, PromptLoginAgent, PromptCenterEnterprise, PromptCenterAgent,
		PromptRegister, PromptForgot, PromptActivate, PromptAppeal, PromptPersonRegister,
		PromptFaceVerify, PromptDocumentCapture, PromptMyAgents, PromptChangePhone, PromptChangePassword,
		PromptEnterpriseChange, PromptLegalRepChange, PromptStaff, PromptSMSSent, PromptErrorInput,
		PromptErrorLogin, PromptErrorCaptcha, PromptErrorSMS, PromptErrorMismatch, PromptErrorExpired,
		PromptErrorRate, PromptLocked, PromptIdleWarning, PromptDeviceError, PromptSuccess,
		PromptLogout, PromptVoiceOn, PromptCaptcha,
	}
	for _, r := range CaptchaAlphabet {
		ids = append(ids, CharPrompt(r))
	}
	for _, id := range ids {
		if err := Validate(id); err != nil {
			t.Error(err)
		}
	}
}

// Every WAV must be what the adapters and the size budget expect.
func TestWAVsAre16kMonoPCM16(t *testing.T) {
	total := 0
	for _, id := range Prompts() {
		b, err := assets.Voice.ReadFile("voice/" + id + ".wav")
		if err != nil {
			t.Fatal(err)
		}
		total += len(b)
		c, err := Load(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if c.Rate != 16000 || c.Channels != 1 {
			t.Errorf("%s: %d Hz × %d ch, want 16000 × 1", id, c.Rate, c.Channels)
		}
		if d := c.Duration().Seconds(); d < 0.1 || d > 15 {
			t.Errorf("%s: %.2f s long", id, d)
		}
	}
	if total > 8<<20 {
		t.Errorf("voice prompts take %d bytes; keep them under 8 MiB", total)
	}
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
}

func TestLoadSequenceJoinsWithGap(t *testing.T) {
	a, err := Load("char_3")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load("char_A")
	seq, err := Load(Join("char_3", "char_A"))
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
}

func TestUnknownPrompts(t *testing.T) {
	for _, p := range []string{"", "nope", "home+nope", "+", "home+", "voice/home"} {
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

func TestParsePrompts(t *testing.T) {
	tests := []struct {
		name, in string
		ids      []string
		wantErr  bool
	}{
		{"plain", "a\t甲\nb\t乙\n", []string{"a", "b"}, false},
		{"comments and blanks", "# x\n\na\t甲\r\n", []string{"a"}, false},
		{"no tab", "a 甲\n", nil, true},
		{"empty text", "a\t\n", nil, true},
		{"duplicate", "a\t甲\na\t乙\n", nil, true},
		{"separator in id", "a+b\t甲\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, _, err := parsePrompts([]byte(tt.in))
			if (err != nil) != tt.wantErr || !slices.Equal(ids, tt.ids) {
				t.Errorf("got %v, %v; want %v, err %v", ids, err, tt.ids, tt.wantErr)
			}
		})
	}
}

func FuzzParsePrompts(f *testing.F) {
	f.Add([]byte("home\t欢迎\n# c\nchar_A\tA\n"))
	f.Add([]byte("a\tb\tc\r\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ids, texts, err := parsePrompts(b)
		if err != nil {
			return
		}
		if len(ids) != len(texts) {
			t.Fatalf("%d ids, %d texts", len(ids), len(texts))
		}
		for _, id := range ids {
			if id == "" || texts[id] == "" || strings.Contains(id, sequenceSep) {
				t.Fatalf("bad entry %q → %q", id, texts[id])
			}
		}
	})
}
