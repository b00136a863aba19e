package main

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The Korean measure compares what espeak-ng's ko voice says (its phoneme
// output, espeak-ng -v ko -q -x) with two references computed here from the
// Hangul alone:
//
//   - the standard pronunciation: the rules of 표준발음법 / 조선말규범집
//     that need no dictionary (coda neutralisation, liaison, palatalisation,
//     ㅎ aspiration and deletion, tensing after an obstruent, nasal
//     assimilation, ㄹ→ㄴ and lateralisation, the ㅢ/ㅖ variants); rules
//     that need the word's origin or morphology (tensing after ㄹ in
//     Sino-Korean words, ㄴ insertion, 겉옷-type liaison) are left out, so
//     errors there go uncounted and the measure errs in Korean's favour;
//   - the spelling pronunciations: every syllable said on its own (합니다
//     as [합.니.다]), or linked by liaison only (같이 as [가티]), as a
//     literate listener would decode them.
//
// A phoneme that matches neither is garble: no listener can recover it
// from the spelling. Both are compared slot by slot (onset, vowel, coda of
// each syllable) after folding allophones and the vowel mergers the
// standard allows (ㅐ=ㅔ, ㅙ=ㅞ=ㅚ), so that only differences a listener
// hears as another sound count.

// Hangul syllables (U+AC00…U+D7A3) are (onset × 21 + vowel) × 28 + coda.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

var (
	onsets = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	vowels = []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	codas  = []string{"", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"}
)

// isHangul reports a precomposed Hangul syllable.
func isHangul(r rune) bool { return r >= hangulFirst && r <= hangulLast }

// syl is one syllable while the rules run: onset letter (0 for none, i.e.
// ㅇ), vowel, and the coda letters (up to two).
type syl struct {
	on   rune
	vow  string
	coda []rune
}

func decompose(word string) []syl {
	var out []syl
	for _, r := range word {
		if !isHangul(r) {
			continue
		}
		n := int(r - hangulFirst)
		s := syl{on: onsets[n/(21*28)], vow: vowels[n/28%21], coda: []rune(codas[n%28])}
		if s.on == 'ㅇ' {
			s.on = 0
		}
		out = append(out, s)
	}
	return out
}

var (
	aspirated = map[rune]rune{'ㄱ': 'ㅋ', 'ㄷ': 'ㅌ', 'ㅂ': 'ㅍ', 'ㅈ': 'ㅊ'}
	// aspirate is what an obstruent coda and a following ㅎ make.
	aspirate = map[rune]rune{'ㄱ': 'ㅋ', 'ㄲ': 'ㅋ', 'ㄷ': 'ㅌ', 'ㅅ': 'ㅌ', 'ㅆ': 'ㅌ', 'ㅈ': 'ㅊ', 'ㅊ': 'ㅊ', 'ㅌ': 'ㅌ', 'ㅂ': 'ㅍ', 'ㅍ': 'ㅍ'}
	tensed   = map[rune]rune{'ㄱ': 'ㄲ', 'ㄷ': 'ㄸ', 'ㅂ': 'ㅃ', 'ㅅ': 'ㅆ', 'ㅈ': 'ㅉ'}
	nasal    = map[rune]rune{'ㄱ': 'ㅇ', 'ㄷ': 'ㄴ', 'ㅂ': 'ㅁ'}
	// neutral is the coda a letter is pronounced as at the end of a syllable.
	neutral = map[rune]rune{'ㄱ': 'ㄱ', 'ㄲ': 'ㄱ', 'ㅋ': 'ㄱ', 'ㄴ': 'ㄴ', 'ㄷ': 'ㄷ', 'ㅅ': 'ㄷ', 'ㅆ': 'ㄷ', 'ㅈ': 'ㄷ',
		'ㅊ': 'ㄷ', 'ㅌ': 'ㄷ', 'ㅎ': 'ㄷ', 'ㄹ': 'ㄹ', 'ㅁ': 'ㅁ', 'ㅂ': 'ㅂ', 'ㅍ': 'ㅂ', 'ㅇ': 'ㅇ'}
	// clusters keep one letter at the end of a syllable (밟- is an exception
	// of one stem, not in the prompts).
	clusters = map[string]rune{"ㄱㅅ": 'ㄱ', "ㄴㅈ": 'ㄴ', "ㄴㅎ": 'ㄴ', "ㄹㄱ": 'ㄱ', "ㄹㅁ": 'ㅁ', "ㄹㅂ": 'ㄹ',
		"ㄹㅅ": 'ㄹ', "ㄹㅌ": 'ㄹ', "ㄹㅍ": 'ㅂ', "ㄹㅎ": 'ㄹ', "ㅂㅅ": 'ㅂ'}
)

// neutralise reduces a coda to the one consonant said at a syllable's end.
func neutralise(coda []rune) []rune {
	switch len(coda) {
	case 0:
		return nil
	case 1:
		return []rune{neutral[coda[0]]}
	}
	return []rune{clusters[string(coda)]}
}

func last(rs []rune) rune {
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// standard applies the pronunciation rules across each syllable boundary of
// one word (an eojeol) and returns its syllables as pronounced.
func standard(word string) []syl {
	s := decompose(word)
	for i := range s {
		s[i].coda = append([]rune(nil), s[i].coda...)
	}
	for i := 0; i+1 < len(s); i++ {
		a, b := &s[i], &s[i+1]
		// ㅎ at the end of a syllable: aspirates, tenses ㅅ, turns ㄴ before ㄴ,
		// and is silent before a vowel.
		if last(a.coda) == 'ㅎ' {
			rest := a.coda[:len(a.coda)-1]
			switch {
			case aspirated[b.on] != 0:
				b.on, a.coda = aspirated[b.on], rest
			case b.on == 'ㅅ':
				b.on, a.coda = 'ㅆ', rest
			case b.on == 'ㄴ' && len(rest) == 0:
				a.coda = []rune{'ㄴ'}
			case b.on == 'ㄴ' || b.on == 0:
				a.coda = rest
			}
		}
		// An obstruent and a following ㅎ make one aspirate (축하 [추카]).
		if b.on == 'ㅎ' && len(a.coda) > 0 {
			if asp := aspirate[last(a.coda)]; asp != 0 {
				if last(a.coda) == 'ㄷ' && b.vow == "i" {
					asp = 'ㅊ' // 굳히다 [구치다]
				}
				b.on, a.coda = asp, a.coda[:len(a.coda)-1]
			}
		}
		// Liaison: before a vowel the (last) coda letter opens the next
		// syllable; ㄷ, ㅌ before 이 palatalise (같이 [가치]).
		if b.on == 0 && len(a.coda) > 0 && !(len(a.coda) == 1 && a.coda[0] == 'ㅇ') {
			mv := last(a.coda)
			a.coda = a.coda[:len(a.coda)-1]
			if mv == 'ㅅ' && len(a.coda) > 0 {
				mv = 'ㅆ' // 값이 [갑씨]
			}
			if b.vow == "i" && mv == 'ㄷ' {
				mv = 'ㅈ'
			} else if b.vow == "i" && mv == 'ㅌ' {
				mv = 'ㅊ'
			}
			b.on = mv
		}
		a.coda = neutralise(a.coda)
		c := last(a.coda)
		// Tensing after an obstruent (학교 [학꾜]).
		if (c == 'ㄱ' || c == 'ㄷ' || c == 'ㅂ') && tensed[b.on] != 0 {
			b.on = tensed[b.on]
		}
		// Nasal assimilation and the liquids.
		switch {
		case nasal[c] != 0 && (b.on == 'ㄴ' || b.on == 'ㅁ'):
			a.coda = []rune{nasal[c]} // 합니다 [함니다]
		case b.on == 'ㄹ' && (c == 'ㅁ' || c == 'ㅇ'):
			b.on = 'ㄴ' // 종로 [종노]
		case b.on == 'ㄹ' && nasal[c] != 0:
			b.on, a.coda = 'ㄴ', []rune{nasal[c]} // 국립 [궁닙]
		case c == 'ㄴ' && b.on == 'ㄹ':
			a.coda = []rune{'ㄹ'} // 신라 [실라]
		case c == 'ㄹ' && b.on == 'ㄴ':
			b.on = 'ㄹ' // 설날 [설랄]
		}
	}
	if n := len(s); n > 0 {
		s[n-1].coda = neutralise(s[n-1].coda)
	}
	return s
}

// spelled is each syllable said on its own (합니다 [합.니.다]) or, with
// linked, with only liaison applied (같이 [가티]): the two readings of a
// listener who decodes the spelling.
func spelled(word string, linked bool) []syl {
	s := decompose(word)
	for i := range s {
		if linked && i+1 < len(s) && s[i+1].on == 0 && len(s[i].coda) > 0 && last(s[i].coda) != 'ㅇ' {
			s[i+1].on = last(s[i].coda)
			s[i].coda = s[i].coda[:len(s[i].coda)-1]
		}
		s[i].coda = neutralise(s[i].coda)
	}
	return s
}

// Comparison tokens: "O:" onsets, "V:" vowels, "C:" codas.
var (
	onsetTok = map[rune]string{'ㄱ': "K", 'ㄲ': "KK", 'ㅋ': "KH", 'ㄴ': "N", 'ㄷ': "T", 'ㄸ': "TT", 'ㅌ': "TH", 'ㄹ': "R",
		'ㅁ': "M", 'ㅂ': "P", 'ㅃ': "PP", 'ㅍ': "PH", 'ㅅ': "S", 'ㅆ': "SS", 'ㅈ': "C", 'ㅉ': "CC", 'ㅊ': "CH", 'ㅎ': "H"}
	codaTok = map[rune]string{'ㄱ': "k", 'ㄴ': "n", 'ㄷ': "t", 'ㄹ': "l", 'ㅁ': "m", 'ㅂ': "p", 'ㅇ': "ng"}
	// foldVowel merges the vowels the standard lets a speaker merge.
	foldVowel = map[string]string{"ae": "e", "yae": "ye", "wae": "we", "oe": "we"}
)

func vowelTok(v string) string {
	if f, ok := foldVowel[v]; ok {
		v = f
	}
	return "V:" + v
}

// slot is one position of the reference: the tokens accepted there, ""
// meaning that nothing may be said.
type slot []string

// slots turns pronounced syllables into onset, vowel and coda slots; the
// written syllables and the position in the word decide the ㅢ, ㅖ variants
// (희 [히] has a written onset, 인의 [이늬] only a linked one).
func slots(s, written []syl, variants bool) []slot {
	var out []slot
	for i, x := range s {
		w := written[i]
		on := slot{""}
		if x.on != 0 {
			on = slot{"O:" + onsetTok[x.on]}
		}
		v := slot{vowelTok(x.vow)}
		switch {
		case !variants: // a spelling pronunciation says the vowel as written
		case x.vow == "ui" && w.on != 0:
			v = slot{vowelTok("i")} // 희 [히]
		case x.vow == "ui" && i > 0:
			v = append(v, vowelTok("i"), vowelTok("e")) // 주의 [주의/주이], particle 의 [에]
		case x.vow == "ye" && w.on != 0 && w.on != 'ㄹ':
			v = append(v, vowelTok("e")) // 계 [게]
		case strings.HasPrefix(x.vow, "y") && (x.on == 'ㅈ' || x.on == 'ㅉ' || x.on == 'ㅊ'):
			v = append(v, vowelTok(x.vow[1:])) // 져 [저]
		}
		co := slot{""}
		if len(x.coda) > 0 {
			co = slot{"C:" + codaTok[x.coda[0]]}
		}
		out = append(out, on, v, co)
	}
	return out
}

// espeak-ng's ko phoneme names (espeak-ng -v ko -x), longest first, and
// what they are in the comparison: lenis stops voiced or not, released or
// not, are one phoneme to a Korean ear.
var espeakKo = []struct{ name, tok string }{
	{"tS;-", "CC"}, {"tS;h", "CH"}, {"tSh", "CH"}, {"tS;", "C"}, {"dZ;", "C"}, {"tS", "C"}, {"dZ", "C"},
	{"q-", "KK"}, {"k-", "KK"}, {"kh", "KH"}, {"g", "K"}, {"q", "K"}, {"k", "K"},
	{"t-", "TT"}, {"d-", "TT"}, {"th", "TH"}, {"d", "T"}, {"t", "T"},
	{"p-", "PP"}, {"ph", "PH"}, {"p", "P"}, {"b", "P"},
	{"s-", "SS"}, {"s", "S"}, {"h", "H"}, {"m", "M"}, {"n", "N"}, {"N", "NG"}, {"L", "L"}, {"l", "LR"}, {"*", "R"},
	{"j", "j"}, {"w", "w"},
	{"u-", "eu"}, {"a", "a"}, {"E", "ae"}, {"@", "eo"}, {"e", "e"}, {"o", "o"}, {"u", "u"}, {"i", "i"},
}

// langSwitch is how espeak-ng -x marks a change of language: "(en)".
var langSwitch = regexp.MustCompile(`^\([a-z]{2,3}(-[a-z0-9]+)*\)`)

var isVowelTok = map[string]bool{"eu": true, "a": true, "ae": true, "eo": true, "e": true, "o": true, "u": true, "i": true}

// glides make one vowel of a glide and the vowel after it.
var glides = map[string]string{"ja": "ya", "jae": "yae", "jeo": "yeo", "je": "ye", "jo": "yo", "ju": "yu",
	"wa": "wa", "wae": "wae", "we": "we", "weo": "wo", "wi": "wi"}

// codaOf is what an espeak consonant is at the end of a syllable.
var codaOf = map[string]string{"K": "k", "KK": "k", "KH": "k", "T": "t", "TT": "t", "TH": "t", "S": "t", "SS": "t",
	"C": "t", "CC": "t", "CH": "t", "H": "t", "P": "p", "PP": "p", "PH": "p", "N": "n", "M": "m", "NG": "ng", "L": "l", "R": "l"}

// parseKo reads espeak-ng's phonemes of one Korean word into comparison
// tokens. unknown counts the characters that are no Korean phoneme (a
// language switch, a pause): each is a token "?" that matches nothing.
func parseKo(ph string) (toks []string, unknown int) {
	var raw []string
	for i := 0; i < len(ph); {
		if m := langSwitch.FindStringIndex(ph[i:]); m != nil && m[0] == 0 {
			raw = append(raw, "?") // espeak-ng changed language: the rest is not Korean
			unknown++
			i += m[1]
			continue
		}
		switch ph[i] {
		case '\'', ',', ' ', ';', ':', '_', '|', '!':
			// stress, length, pause and word marks: not phonemes
			i++
			continue
		}
		matched := false
		for _, p := range espeakKo {
			if strings.HasPrefix(ph[i:], p.name) {
				raw = append(raw, p.tok)
				i += len(p.name)
				matched = true
				break
			}
		}
		if !matched {
			_, n := utf8.DecodeRuneInString(ph[i:])
			raw = append(raw, "?")
			unknown++
			i += n
		}
	}
	// Glide + vowel is one vowel; ㅢ is u- then j not before a vowel.
	var seq []string
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		if (t == "j" || t == "w") && i+1 < len(raw) && isVowelTok[raw[i+1]] {
			if v, ok := glides[t+raw[i+1]]; ok {
				seq = append(seq, vowelTok(v))
				i++
				continue
			}
		}
		if t == "eu" && i+1 < len(raw) && raw[i+1] == "j" && (i+2 >= len(raw) || !isVowelTok[raw[i+2]]) {
			seq = append(seq, vowelTok("ui"))
			i++
			continue
		}
		if isVowelTok[t] {
			seq = append(seq, vowelTok(t))
			continue
		}
		if t == "LR" { // espeak-ng's "l" is ㄹㄹ (올리기, 틀렸다): a coda and an onset
			seq = append(seq, "L")
			if i+1 < len(raw) && isVowelTok[raw[i+1]] || i+1 < len(raw) && (raw[i+1] == "j" || raw[i+1] == "w") {
				seq = append(seq, "R")
			}
			continue
		}
		seq = append(seq, t)
	}
	// A consonant before a vowel opens its syllable; any other closes one
	// (Korean has no ng onset).
	for i, t := range seq {
		switch {
		case strings.HasPrefix(t, "V:") || t == "?":
			toks = append(toks, t)
		case t == "j" || t == "w":
			toks = append(toks, "?") // a glide with no vowel after it
			unknown++
		case t != "NG" && i+1 < len(seq) && strings.HasPrefix(seq[i+1], "V:"):
			if t == "L" {
				t = "R"
			}
			toks = append(toks, "O:"+t)
		default:
			toks = append(toks, "C:"+codaOf[t])
		}
	}
	return toks, unknown
}

// align is the least number of edits (a token said where the slot accepts
// another, a token said where nothing is, a slot that needs a phoneme left
// silent) that turns the slots into toks.
func align(ref []slot, toks []string) int {
	prev := make([]int, len(toks)+1)
	cur := make([]int, len(toks)+1)
	for j := range prev {
		prev[j] = j
	}
	for _, s := range ref {
		skip := 1
		if s.accepts("") {
			skip = 0
		}
		cur[0] = prev[0] + skip
		for j, t := range toks {
			sub := 1
			if s.accepts(t) {
				sub = 0
			}
			cur[j+1] = min(prev[j]+sub, prev[j+1]+skip, cur[j]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(toks)]
}

func (s slot) accepts(t string) bool {
	for _, a := range s {
		if a == t {
			return true
		}
	}
	return false
}

// union is the slot-wise union of references of the same word.
func union(refs ...[]slot) []slot {
	out := make([]slot, len(refs[0]))
	for _, r := range refs {
		for i := range r {
			out[i] = append(out[i], r[i]...)
		}
	}
	return out
}

// required counts the phonemes a reference needs (its non-empty slots).
func required(ref []slot) int {
	n := 0
	for _, s := range ref {
		if !s.accepts("") {
			n++
		}
	}
	return n
}

// koWord is the comparison of one word.
type koWord struct {
	phonemes  int // the standard pronunciation's
	errStd    int // edits from the standard pronunciation
	errGarble int // edits from the standard and spelling pronunciations, slot by slot
	unknown   int
}

func compareKo(word, espeakPhonemes string) koWord {
	toks, unknown := parseKo(espeakPhonemes)
	written := decompose(word)
	std := slots(standard(word), written, true)
	return koWord{
		phonemes:  required(std),
		errStd:    align(std, toks),
		errGarble: align(union(std, slots(spelled(word, false), written, false), slots(spelled(word, true), written, false)), toks),
		unknown:   unknown,
	}
}

// pronounce renders syllables back as Hangul, for tests and the report.
func pronounce(s []syl) string {
	var b strings.Builder
	for _, x := range s {
		on := 11 // ㅇ
		if x.on != 0 {
			on = strings.IndexRune(string(onsets), x.on)
			on = utf8.RuneCountInString(string(onsets)[:on])
		}
		v := 0
		for i, name := range vowels {
			if name == x.vow {
				v = i
			}
		}
		c := 0
		for i, name := range codas {
			if name == string(x.coda) {
				c = i
			}
		}
		b.WriteRune(rune(hangulFirst + (on*21+v)*28 + c))
	}
	return b.String()
}
