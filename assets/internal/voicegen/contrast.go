package main

import (
	"bytes"
	"fmt"
	"strings"

	"kiosk/model/i18n"
)

// The contrast test: a voice can only be understood if it says the sounds
// its language tells apart differently. For each minimal pair of a
// language (two texts that differ in one phoneme, in the same context)
// espeak-ng says both at the production speed; if the two WAVs are the
// same sample for sample, no listener can tell the words apart. Near
// misses (the same sound a little longer) count as told apart, so the
// test errs in the voice's favour.

// pair is a minimal pair: texts a and b differ in the contrast named. For
// the Korean consonant pairs, on is b's onset and medial its position, so
// that the prompts' syllables that need the contrast can be counted.
type pair struct {
	a, b, what string
	on         rune
	medial     bool
}

// syllable composes a Hangul syllable from its letters ('ㅇ' for no onset,
// 0 for no coda).
func syllable(on rune, vow string, coda rune) string {
	o := strings.IndexRune(string(onsets), on)
	o = len([]rune(string(onsets)[:o]))
	v := 0
	for i, name := range vowels {
		if name == vow {
			v = i
		}
	}
	c := 0
	if coda != 0 {
		for i, name := range codas {
			if name == string(coda) {
				c = i
			}
		}
	}
	return string(rune(hangulFirst + (o*21+v)*28 + c))
}

// koreanPairs: the lenis, tense and aspirated stops and affricates and
// ㅅ/ㅆ at the start of a word and between vowels; other consonants; the
// monophthongs (ㅐ/ㅔ, merged by most speakers, left out); the codas.
func koreanPairs() []pair {
	var out []pair
	series := [][2]rune{
		{'ㄱ', 'ㄲ'}, {'ㄱ', 'ㅋ'}, {'ㄲ', 'ㅋ'}, {'ㄷ', 'ㄸ'}, {'ㄷ', 'ㅌ'}, {'ㄸ', 'ㅌ'},
		{'ㅂ', 'ㅃ'}, {'ㅂ', 'ㅍ'}, {'ㅃ', 'ㅍ'}, {'ㅈ', 'ㅉ'}, {'ㅈ', 'ㅊ'}, {'ㅉ', 'ㅊ'}, {'ㅅ', 'ㅆ'},
		{'ㄴ', 'ㄹ'}, {'ㅁ', 'ㅂ'}, {'ㅅ', 'ㅈ'}, {'ㅎ', 'ㅇ'},
	}
	for _, s := range series {
		a, b := syllable(s[0], "a", 0), syllable(s[1], "a", 0)
		out = append(out,
			pair{a: a, b: b, what: fmt.Sprintf("%c/%c initial", s[0], s[1]), on: s[1]},
			pair{a: "아" + a, b: "아" + b, what: fmt.Sprintf("%c/%c medial", s[0], s[1]), on: s[1], medial: true})
	}
	for _, v := range [][2]string{{"a", "eo"}, {"eo", "o"}, {"o", "u"}, {"u", "eu"}, {"eu", "i"}, {"i", "e"}, {"e", "a"}, {"eo", "eu"}} {
		a, b := syllable('ㅇ', v[0], 0), syllable('ㅇ', v[1], 0)
		out = append(out, pair{a: a, b: b, what: a + "/" + b})
	}
	for _, c := range [][2]rune{{'ㄱ', 'ㄴ'}, {'ㄱ', 'ㄷ'}, {'ㄷ', 'ㅂ'}, {'ㄱ', 'ㅂ'}, {'ㄴ', 'ㅇ'}, {'ㄴ', 'ㅁ'}, {'ㅁ', 'ㅇ'}, {'ㄹ', 'ㄴ'}} {
		out = append(out, pair{a: syllable('ㅇ', "a", c[0]), b: syllable('ㅇ', "a", c[1]), what: fmt.Sprintf("coda %c/%c", c[0], c[1])})
	}
	return out
}

// contrasts are the minimal pairs of each language: for Mandarin the
// aspiration pairs, the tones, the sibilants and the hard finals; for
// English voicing, the liquids and the tense/lax vowels.
var contrasts = map[i18n.Lang][]pair{
	i18n.Chinese: {
		{a: "八", b: "趴", what: "b/p"}, {a: "搭", b: "他", what: "d/t"}, {a: "哥", b: "科", what: "g/k"}, {a: "栽", b: "猜", what: "z/c"}, {a: "扎", b: "插", what: "zh/ch"}, {a: "鸡", b: "七", what: "j/q"},
		{a: "妈", b: "麻", what: "tone 1/2"}, {a: "妈", b: "马", what: "tone 1/3"}, {a: "妈", b: "骂", what: "tone 1/4"}, {a: "麻", b: "马", what: "tone 2/3"}, {a: "麻", b: "骂", what: "tone 2/4"}, {a: "马", b: "骂", what: "tone 3/4"},
		{a: "四", b: "是", what: "s/sh"}, {a: "资", b: "知", what: "z/zh"}, {a: "次", b: "翅", what: "c/ch"}, {a: "你", b: "里", what: "n/l"}, {a: "飞", b: "黑", what: "f/h"}, {a: "热", b: "乐", what: "r/l"},
		{a: "衣", b: "迂", what: "i/ü"}, {a: "乌", b: "迂", what: "u/ü"}, {a: "安", b: "肮", what: "an/ang"}, {a: "因", b: "英", what: "in/ing"}, {a: "真", b: "争", what: "en/eng"}, {a: "哈", b: "喝", what: "a/e"},
	},
	i18n.English: {
		{a: "pat", b: "bat", what: "p/b"}, {a: "tip", b: "dip", what: "t/d"}, {a: "cap", b: "gap", what: "k/g"}, {a: "fan", b: "van", what: "f/v"}, {a: "sip", b: "zip", what: "s/z"},
		{a: "thigh", b: "thy", what: "θ/ð"}, {a: "chin", b: "gin", what: "tʃ/dʒ"}, {a: "ship", b: "sip", what: "ʃ/s"}, {a: "map", b: "nap", what: "m/n"}, {a: "light", b: "right", what: "l/r"},
		{a: "wine", b: "vine", what: "w/v"}, {a: "ship", b: "sheep", what: "ɪ/iː"}, {a: "bet", b: "bat", what: "ɛ/æ"}, {a: "cut", b: "cot", what: "ʌ/ɑ"}, {a: "pull", b: "pool", what: "ʊ/uː"}, {a: "hat", b: "hut", what: "æ/ʌ"},
	},
	i18n.Korean: koreanPairs(),
}

// contrastResult is what the test found for one language.
type contrastResult struct {
	pairs int
	lost  []pair // said with the same samples
}

func testContrasts(l i18n.Lang, workers int) (contrastResult, error) {
	ps := contrasts[l]
	same := make([]bool, len(ps))
	err := parallel(len(ps), workers, func(i int) error {
		a, err := synth(l, ps[i].a)
		if err != nil {
			return err
		}
		b, err := synth(l, ps[i].b)
		if err != nil {
			return err
		}
		same[i] = bytes.Equal(a, b)
		return nil
	})
	r := contrastResult{pairs: len(ps)}
	for i, s := range same {
		if s {
			r.lost = append(r.lost, ps[i])
		}
	}
	return r, err
}
