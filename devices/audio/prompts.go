package audio

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"sync"

	"kiosk/assets"
)

// Prompt ids: one per screen and per common error. prompts.tsv holds the
// Mandarin text of each; prompts_test checks the two agree.
const (
	PromptHome             = "home"
	PromptLoginEnterprise  = "login_enterprise"
	PromptLoginAgent       = "login_agent"
	PromptCenterEnterprise = "center_enterprise"
	PromptCenterAgent      = "center_agent"
	PromptRegister         = "register"
	PromptForgot           = "forgot"
	PromptActivate         = "activate"
	PromptAppeal           = "appeal"
	PromptPersonRegister   = "person_register"
	PromptFaceVerify       = "face_verify"
	PromptDocumentCapture  = "document_capture"
	PromptMyAgents         = "my_agents"
	PromptChangePhone      = "change_phone"
	PromptChangePassword   = "change_password"
	PromptEnterpriseChange = "enterprise_change"
	PromptLegalRepChange   = "legal_rep_change"
	PromptStaff            = "staff"
	PromptSMSSent          = "sms_sent"
	PromptErrorInput       = "error_input"
	PromptErrorLogin       = "error_login"
	PromptErrorCaptcha     = "error_captcha"
	PromptErrorSMS         = "error_sms"
	PromptErrorMismatch    = "error_mismatch"
	PromptErrorExpired     = "error_expired"
	PromptErrorRate        = "error_rate"
	PromptLocked           = "locked"
	PromptIdleWarning      = "idle_warning"
	PromptDeviceError      = "device_error"
	PromptSuccess          = "success"
	PromptLogout           = "logout"
	PromptVoiceOn          = "voice_on"
	PromptCaptcha          = "captcha_audio" // "图片验证码依次为", followed by the characters
)

// CaptchaAlphabet is the picture-captcha character set; each character has
// a prompt "char_<c>".
const CaptchaAlphabet = "34679ACEFHKMNPRTWXY"

// sequenceSep joins prompt ids into one sequence prompt (see Join).
const sequenceSep = "+"

// SequenceGapMillis is the silence put between the parts of a sequence prompt.
const SequenceGapMillis = 150

// Join makes one prompt that plays ids one after another, with a short gap.
func Join(ids ...string) string { return strings.Join(ids, sequenceSep) }

// CaptchaPrompt is the spoken captcha: the intro, then each character of
// code (case-insensitive). ok is false if a character is outside
// CaptchaAlphabet: such a code cannot be spoken and the caller should say so.
func CaptchaPrompt(code string) (prompt string, ok bool) {
	ids := []string{PromptCaptcha}
	for _, r := range strings.ToUpper(code) {
		if !strings.ContainsRune(CaptchaAlphabet, r) {
			return "", false
		}
		ids = append(ids, CharPrompt(r))
	}
	if len(ids) == 1 {
		return "", false
	}
	return Join(ids...), true
}

// CharPrompt is the prompt id of one captcha character.
func CharPrompt(r rune) string { return "char_" + string(r) }

type catalog struct {
	ids   []string
	texts map[string]string
	err   error
}

var loadCatalog = sync.OnceValue(func() catalog {
	b, err := assets.Voice.ReadFile("voice/prompts.tsv")
	if err != nil {
		return catalog{err: err}
	}
	ids, texts, err := parsePrompts(b)
	return catalog{ids: ids, texts: texts, err: err}
})

// parsePrompts reads id<TAB>text lines; blank lines and # comments are skipped.
func parsePrompts(b []byte) ([]string, map[string]string, error) {
	var ids []string
	texts := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, text, ok := strings.Cut(line, "\t")
		if !ok || id == "" || text == "" || strings.Contains(id, sequenceSep) {
			return nil, nil, fmt.Errorf("prompts.tsv:%d: want id<TAB>text", n)
		}
		if _, dup := texts[id]; dup {
			return nil, nil, fmt.Errorf("prompts.tsv:%d: duplicate id %q", n, id)
		}
		ids = append(ids, id)
		texts[id] = text
	}
	return ids, texts, sc.Err()
}

// Prompts lists every prompt id in prompts.tsv order.
func Prompts() []string {
	c := loadCatalog()
	if c.err != nil {
		panic("audio: embedded prompts.tsv: " + c.err.Error()) // a build defect, caught by tests
	}
	return append([]string(nil), c.ids...)
}

// Text is the Mandarin text of a prompt id (a sequence's texts are joined),
// for logs and for showing what is being said.
func Text(prompt string) (string, bool) {
	c := loadCatalog()
	var parts []string
	for _, id := range strings.Split(prompt, sequenceSep) {
		t, ok := c.texts[id]
		if !ok {
			return "", false
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " "), true
}

var clips sync.Map // prompt id → Clip, decoded once

// Load decodes a prompt (an id or a Join of ids) into one clip. All parts
// must share rate and channel count, which generate.sh guarantees.
func Load(prompt string) (Clip, error) {
	parts := strings.Split(prompt, sequenceSep)
	if len(parts) == 1 {
		return loadOne(prompt)
	}
	var out Clip
	for i, id := range parts {
		c, err := loadOne(id)
		if err != nil {
			return Clip{}, err
		}
		if i == 0 {
			out = Clip{Rate: c.Rate, Channels: c.Channels}
		} else if c.Rate != out.Rate || c.Channels != out.Channels {
			return Clip{}, fmt.Errorf("audio: prompt %q: %q has a different format", prompt, id)
		} else {
			gap := out.Rate * out.Channels * SequenceGapMillis / 1000
			out.Samples = append(out.Samples, make([]int16, gap)...)
		}
		out.Samples = append(out.Samples, c.Samples...)
	}
	return out, nil
}

func loadOne(id string) (Clip, error) {
	if c, ok := clips.Load(id); ok {
		return c.(Clip), nil
	}
	if _, known := loadCatalog().texts[id]; !known {
		return Clip{}, fmt.Errorf("%w: %q", ErrUnknownPrompt, id)
	}
	b, err := assets.Voice.ReadFile("voice/" + id + ".wav")
	if err != nil {
		return Clip{}, fmt.Errorf("%w: %q has no WAV", ErrUnknownPrompt, id)
	}
	c, err := DecodeWAV(b)
	if err != nil {
		return Clip{}, fmt.Errorf("audio: prompt %q: %w", id, err)
	}
	clips.Store(id, c)
	return c, nil
}

// Validate reports whether prompt names known prompts, without decoding audio;
// adapters that make no sound use it to fail like the real ones.
func Validate(prompt string) error {
	c := loadCatalog()
	for _, id := range strings.Split(prompt, sequenceSep) {
		if _, ok := c.texts[id]; !ok {
			return fmt.Errorf("%w: %q", ErrUnknownPrompt, id)
		}
	}
	return nil
}
