package audio

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"kiosk/assets"
	"kiosk/model/i18n"
)

// Prompt ids: one per screen and per common error. The words of each are
// the catalog sentence voice.<id> (assets/i18n/<lang>/voice.toml), from
// which assets/voice/generate.sh makes the clips; prompts_test checks that
// every id has its sentence and its clips.
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
	PromptServiceDown      = "service_down" // the 服务暂不可用 page: the shared store cannot be reached
	PromptSuccess          = "success"
	PromptLogout           = "logout"
	PromptVoiceOn          = "voice_on"
	PromptCaptcha          = "captcha_audio" // "图片验证码依次为", followed by the characters
)

// CaptchaAlphabet is the picture-captcha character set; each character has
// a prompt "char_<c>".
const CaptchaAlphabet = "34679ACEFHKMNPRTWXY"

// VoiceLangs are the languages that have a voice of their own, Chinese
// first: assets/voice/generate.sh makes a clip of every prompt in each,
// <id>.wav for Chinese and <lang>/<id>.wav for the others. Korean is left
// out: espeak-ng's ko voice failed the measurement in docs/voice.md
// (go test ./assets/internal/voicegen -run Measure -v), so a Korean visit
// hears the Mandarin clips and the screen says so (voice.mandarin_only).
var VoiceLangs = []i18n.Lang{i18n.Chinese, i18n.English}

// sequenceSep joins prompt ids into one sequence prompt (see Join).
const sequenceSep = "+"

// langSep separates a language from a prompt id in a clip id ("en/home").
const langSep = "/"

// SequenceGapMillis is the silence put between the parts of a sequence prompt.
const SequenceGapMillis = 150

// Join makes one prompt that plays ids one after another, with a short gap.
func Join(ids ...string) string { return strings.Join(ids, sequenceSep) }

// CaptchaPrompt is the spoken captcha in Mandarin: the intro, then each
// character of code (case-insensitive). ok is false if a character is
// outside CaptchaAlphabet: such a code cannot be spoken and the caller
// should say so. ClipFor(prompt, lang) makes it the captcha of a visit's
// language.
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

// promptIDs are the prompt ids in the order of the constants, then the
// captcha characters.
var promptIDs = func() []string {
	ids := []string{
		PromptHome, PromptLoginEnterprise, PromptLoginAgent, PromptCenterEnterprise, PromptCenterAgent,
		PromptRegister, PromptForgot, PromptActivate, PromptAppeal, PromptPersonRegister,
		PromptFaceVerify, PromptDocumentCapture, PromptMyAgents, PromptChangePhone, PromptChangePassword,
		PromptEnterpriseChange, PromptLegalRepChange, PromptStaff, PromptSMSSent, PromptErrorInput,
		PromptErrorLogin, PromptErrorCaptcha, PromptErrorSMS, PromptErrorMismatch, PromptErrorExpired,
		PromptErrorRate, PromptLocked, PromptIdleWarning, PromptDeviceError, PromptServiceDown,
		PromptSuccess, PromptLogout, PromptVoiceOn, PromptCaptcha,
	}
	for _, r := range CaptchaAlphabet {
		ids = append(ids, CharPrompt(r))
	}
	return ids
}()

// Prompts lists every prompt id: the screens and errors in the order of
// the constants, then the captcha characters. Each is also the id of its
// Mandarin clip.
func Prompts() []string { return slices.Clone(promptIDs) }

// TextID is the catalog id of a prompt's words: voice.<id>.
func TextID(id string) string { return "voice." + id }

// MandarinOnly is the catalog id of the sentence a screen shows when the
// visit's language has no voice of its own (Speaks is false):
// "语音提示仅提供普通话".
const MandarinOnly = "voice.mandarin_only"

// embedded is what assets/voice holds: the clip ids that have a WAV, and
// the languages that have a clip of every prompt.
type embedded struct {
	clips  map[string]bool
	order  []string // Mandarin clips in Prompts order, then each VoiceLangs language's
	speaks map[i18n.Lang]bool
}

var voiceFS = sync.OnceValue(func() embedded {
	e := embedded{clips: map[string]bool{}, speaks: map[i18n.Lang]bool{i18n.Chinese: true}}
	known := map[string]bool{}
	for _, id := range promptIDs {
		known[id] = true
	}
	for _, pattern := range []string{"voice/*.wav", "voice/*/*.wav"} {
		files, _ := fs.Glob(assets.Voice, pattern) // the patterns are valid
		for _, f := range files {
			clip := strings.TrimSuffix(strings.TrimPrefix(f, "voice/"), ".wav")
			if _, id, ok := splitClip(clip); ok && known[id] {
				e.clips[clip] = true
			}
		}
	}
	for _, l := range i18n.Langs {
		all := true
		for _, id := range promptIDs {
			all = all && e.clips[clipID(l, id)]
		}
		if all {
			e.speaks[l] = true
		}
	}
	for _, l := range i18n.Langs {
		for _, id := range promptIDs {
			if c := clipID(l, id); e.clips[c] {
				e.order = append(e.order, c)
			}
		}
	}
	return e
})

// clipID is the clip of prompt id in l: the id itself for Chinese,
// "<l>/<id>" otherwise.
func clipID(l i18n.Lang, id string) string {
	if l == i18n.Chinese {
		return id
	}
	return string(l) + langSep + id
}

// splitClip reads a clip id back into its language and prompt id.
func splitClip(clip string) (i18n.Lang, string, bool) {
	prefix, id, found := strings.Cut(clip, langSep)
	if !found {
		return i18n.Chinese, clip, clip != ""
	}
	l, ok := i18n.Parse(prefix)
	if !ok || string(l) != prefix || l == i18n.Chinese || id == "" {
		return "", "", false
	}
	return l, id, true
}

// Clips lists every clip a Player can play (each part of a Join): the
// Mandarin clips, which are the prompt ids, then "<lang>/<id>" for each
// other language that has a voice.
func Clips() []string { return slices.Clone(voiceFS().order) }

// Speaks reports whether prompts are heard in l itself. When it is false,
// ClipFor gives the Mandarin clips and the screen should say so with the
// catalog sentence MandarinOnly.
func Speaks(l i18n.Lang) bool { return voiceFS().speaks[l] }

// ClipFor is what to pass to Player.Play for prompt id in language l: the
// clip in l ("en/home") when there is one, else the Mandarin clip (the id
// itself) with native false. id may be a Join of prompt ids, such as the
// result of CaptchaPrompt: each part is chosen alike and native is true
// only if every part is in l. An id that is no prompt comes back as it is
// (Play then fails with ErrUnknownPrompt).
func ClipFor(id string, l i18n.Lang) (clip string, native bool) {
	e := voiceFS()
	parts := strings.Split(id, sequenceSep)
	native = true
	for i, p := range parts {
		if c := clipID(l, p); l != i18n.Chinese && !strings.Contains(p, langSep) && e.clips[c] {
			parts[i] = c
			continue
		}
		native = native && l == i18n.Chinese
	}
	return strings.Join(parts, sequenceSep), native
}

// Text is what a clip says (a sequence's texts joined by spaces), in the
// clip's language, from the catalog: for logs and for showing what is
// being said.
func Text(prompt string) (string, bool) {
	var parts []string
	for _, clip := range strings.Split(prompt, sequenceSep) {
		if !voiceFS().clips[clip] {
			return "", false
		}
		l, id, _ := splitClip(clip)
		parts = append(parts, i18n.Default().Render(l, i18n.T(TextID(id))))
	}
	return strings.Join(parts, " "), true
}

var clips sync.Map // clip id → Clip, decoded once

// Load decodes a prompt (a clip id or a Join of them) into one clip. All
// parts must share rate and channel count, which generate.sh guarantees.
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
	if !voiceFS().clips[id] {
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

// Validate reports whether prompt names known clips, without decoding audio;
// adapters that make no sound use it to fail like the real ones.
func Validate(prompt string) error {
	e := voiceFS()
	for _, id := range strings.Split(prompt, sequenceSep) {
		if !e.clips[id] {
			return fmt.Errorf("%w: %q", ErrUnknownPrompt, id)
		}
	}
	return nil
}
