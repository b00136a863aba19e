package main

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
)

// The measure (docs/voice.md): whether espeak-ng says a language's prompts
// well enough to ship them, judged without a listener or a recogniser from
// what espeak-ng itself reports and produces. Every prompt text of the
// catalog is measured at the production speed.
//
//   - coverage: the share of the script's units (Hangul syllables, Han
//     characters, English words) that espeak-ng reads with the language's
//     own phonemes, rather than switching language (spelling out, reading
//     letter names), dropping or adding syllables;
//   - segmental accuracy (Korean only; Hangul lets a reference be computed
//     without a dictionary, see korean.go): phonemes off the standard
//     pronunciation, and phonemes that are neither the standard nor a
//     spelling pronunciation (garble);
//   - speaking rate: syllables per second of speech, sentence prompts only;
//   - the signal: samples at full scale (clipping) and the longest silence
//     inside a prompt (a stall or a dropped stretch).
//
// A language passes when every measure it has meets its bound.
const (
	minCoverage   = 0.99
	maxStdErrors  = 0.10 // phonemes off the standard pronunciation
	maxGarble     = 0.02 // phonemes neither standard nor spelled
	minRate       = 3.0  // syllables per second
	maxRate       = 8.0
	maxClipped    = 0.001 // share of samples
	maxPauseSecs  = 1.0
	rateMinSylls  = 5   // prompts shorter than this are left out of the rate
	silenceThresh = 164 // |sample| below this is silence: 0.5 % of full scale, as generate.sh trims
)

// result is the measure of one language.
type result struct {
	lang     i18n.Lang
	prompts  int
	units    int // Hangul syllables, Han characters or English words
	native   int
	rates    []float64 // syllables per second, one per sentence prompt
	samples  int
	clipped  int
	maxPause float64 // seconds
	contrast contrastResult
	// Korean only.
	phonemes, errStd, errGarble, words, exactWords int
	sylls, needLost                                int // syllables of the prompts, and those whose onset is a lost contrast
	worst                                          []koExample
}

type koExample struct {
	word, standard, espeak string
	errStd, errGarble      int
}

func (r result) coverage() float64 { return ratio(r.native, r.units) }

func (r result) medianRate() float64 {
	if len(r.rates) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(r.rates))
	return s[len(s)/2]
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// segmental reports whether the language has the Korean segmental measure.
func (r result) segmental() bool { return r.lang == i18n.Korean }

// failures lists the bounds r misses; none means the language passes.
func (r result) failures() []string {
	var out []string
	if c := r.coverage(); c < minCoverage {
		out = append(out, fmt.Sprintf("coverage %.1f%% < %.0f%%", 100*c, 100*minCoverage))
	}
	if m := r.medianRate(); m < minRate || m > maxRate {
		out = append(out, fmt.Sprintf("rate %.1f syllables/s outside %.0f–%.0f", m, minRate, maxRate))
	}
	if c := ratio(r.clipped, r.samples); c > maxClipped {
		out = append(out, fmt.Sprintf("%.2f%% of samples clipped", 100*c))
	}
	if n := len(r.contrast.lost); n > 0 {
		out = append(out, fmt.Sprintf("%d of %d minimal pairs said identically", n, r.contrast.pairs))
	}
	if r.maxPause > maxPauseSecs {
		out = append(out, fmt.Sprintf("a pause of %.1f s inside a prompt", r.maxPause))
	}
	if r.segmental() {
		if e := ratio(r.errStd, r.phonemes); e > maxStdErrors {
			out = append(out, fmt.Sprintf("%.1f%% of phonemes off the standard pronunciation > %.0f%%", 100*e, 100*maxStdErrors))
		}
		if e := ratio(r.errGarble, r.phonemes); e > maxGarble {
			out = append(out, fmt.Sprintf("%.1f%% of phonemes garbled > %.0f%%", 100*e, 100*maxGarble))
		}
	}
	return out
}

func (r result) pass() bool { return len(r.failures()) == 0 }

// chunks splits text at spaces and punctuation: words for Korean and
// English, clauses for Chinese.
func chunks(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// units counts what a chunk should be read as in l.
func units(l i18n.Lang, chunk string) int {
	n := 0
	switch l {
	case i18n.Korean:
		for _, r := range chunk {
			if isHangul(r) {
				n++
			}
		}
	case i18n.Chinese:
		for _, r := range chunk {
			if unicode.Is(unicode.Han, r) {
				n++
			}
		}
	default:
		if strings.IndexFunc(chunk, unicode.IsLetter) >= 0 {
			n = 1
		}
	}
	return n
}

var (
	toneMark  = regexp.MustCompile(`[0-9]+`)
	ipaVowels = regexp.MustCompile(`[aeiouyæɐɑɒɔəɘɚɛɜɝɞɤɨɪʉʊʌʏøœɯɵɶ]+`)
)

// syllables counts the syllables espeak-ng says for a chunk: vowels of its
// Korean phonemes, tone marks of its Mandarin ones, vowel groups of the IPA
// of English.
func syllables(l i18n.Lang, ph, ipaText string) int {
	switch l {
	case i18n.Korean:
		toks, _ := parseKo(ph)
		n := 0
		for _, t := range toks {
			if strings.HasPrefix(t, "V:") {
				n++
			}
		}
		return n
	case i18n.Chinese:
		return len(toneMark.FindAllString(ph, -1))
	}
	return len(ipaVowels.FindAllString(ipaText, -1))
}

// switched reports espeak-ng leaving the language: "(en)" in its phonemes.
var switched = regexp.MustCompile(`\([a-z]{2,3}(-[a-z0-9]+)*\)`)

// measure runs espeak-ng over every prompt text of each language.
func measure(cat *i18n.Catalog, langs []i18n.Lang, workers int) ([]result, error) {
	var out []result
	for _, l := range langs {
		r, err := measureLang(cat, l, workers)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// chunkResult is what espeak-ng made of one chunk.
type chunkResult struct {
	units, native, sylls int
	ko                   *koWord
	ph                   string
}

type promptResult struct {
	chunks        []chunkResult
	words         []string
	samples       int
	clipped       int
	speech, pause float64 // seconds
	sylls         int
}

func measureLang(cat *i18n.Catalog, l i18n.Lang, workers int) (result, error) {
	ids := audio.Prompts()
	res := make([]promptResult, len(ids))
	err := parallel(len(ids), workers, func(i int) error {
		text, err := promptText(cat, l, ids[i])
		if err != nil {
			return err
		}
		p := &res[i]
		for _, c := range chunks(text) {
			ph, err := phonemes(l, c)
			if err != nil {
				return err
			}
			var ip string
			if l == i18n.English {
				if ip, err = ipa(l, c); err != nil {
					return err
				}
			}
			cr := chunkResult{units: units(l, c), sylls: syllables(l, ph, ip), ph: ph}
			bad := 0
			switch {
			case switched.MatchString(ph) || ph == "":
				bad = cr.units
			case l == i18n.English:
				if cr.sylls == 0 {
					bad = cr.units
				}
			default:
				bad = min(cr.units, int(math.Abs(float64(cr.units-cr.sylls))))
			}
			cr.native = cr.units - bad
			if l == i18n.Korean && cr.units > 0 {
				w := compareKo(c, ph)
				cr.ko = &w
			}
			p.chunks = append(p.chunks, cr)
			p.words = append(p.words, c)
			p.sylls += cr.sylls
		}
		wav, err := synth(l, text)
		if err != nil {
			return err
		}
		clip, err := audio.DecodeWAV(wav)
		if err != nil {
			return fmt.Errorf("%s %s: espeak-ng's WAV: %w", l, ids[i], err)
		}
		p.samples = len(clip.Samples)
		first, lastLoud, run, longest := -1, -1, 0, 0
		for j, s := range clip.Samples {
			if s == math.MaxInt16 || s == math.MinInt16 || s == -math.MaxInt16 {
				p.clipped++
			}
			if s > silenceThresh || s < -silenceThresh {
				if first < 0 {
					first = j
				} else {
					longest = max(longest, run)
				}
				lastLoud, run = j, 0
			} else {
				run++
			}
		}
		if first >= 0 {
			p.speech = float64(lastLoud-first+1) / float64(clip.Rate)
		}
		p.pause = float64(longest) / float64(clip.Rate)
		return nil
	})
	if err != nil {
		return result{}, err
	}
	r := result{lang: l, prompts: len(ids)}
	if r.contrast, err = testContrasts(l, workers); err != nil {
		return result{}, err
	}
	for _, p := range res {
		r.samples += p.samples
		r.clipped += p.clipped
		r.maxPause = max(r.maxPause, p.pause)
		if p.sylls >= rateMinSylls && p.speech > 0 {
			r.rates = append(r.rates, float64(p.sylls)/p.speech)
		}
		for i, c := range p.chunks {
			r.units += c.units
			r.native += c.native
			if c.ko == nil {
				continue
			}
			r.words++
			for j, s := range standard(p.words[i]) {
				r.sylls++
				for _, lost := range r.contrast.lost {
					if lost.on != 0 && lost.on == s.on && lost.medial == (j > 0) {
						r.needLost++
						break
					}
				}
			}
			r.phonemes += c.ko.phonemes
			r.errStd += c.ko.errStd
			r.errGarble += c.ko.errGarble
			if c.ko.errStd == 0 {
				r.exactWords++
			} else {
				r.worst = append(r.worst, koExample{word: p.words[i], standard: pronounce(standard(p.words[i])),
					espeak: c.ph, errStd: c.ko.errStd, errGarble: c.ko.errGarble})
			}
		}
	}
	sort.SliceStable(r.worst, func(i, j int) bool {
		a, b := r.worst[i], r.worst[j]
		if a.errGarble != b.errGarble {
			return a.errGarble > b.errGarble
		}
		return a.errStd > b.errStd
	})
	return r, nil
}

// promptText is the catalog text of prompt id in l, refused if it could
// not be spoken as it stands (see checkText).
func promptText(cat *i18n.Catalog, l i18n.Lang, id string) (string, error) {
	tid := audio.TextID(id)
	if !cat.Has(l, tid) {
		return "", fmt.Errorf("assets/i18n/%s/voice.toml has no %s", l, tid)
	}
	text := cat.Render(l, i18n.T(tid))
	if err := checkText(text); err != nil {
		return "", fmt.Errorf("%s %s: %w", l, tid, err)
	}
	return text, nil
}

// checkText refuses what a voice prompt must not say: digits (a number is
// never spoken in full, SPEC §2; captcha digits are words, char_<c>) and
// placeholders (nothing typed or stored is ever spoken).
func checkText(text string) error {
	switch {
	case strings.TrimSpace(text) == "" || strings.HasPrefix(text, "⟦"):
		return fmt.Errorf("no text")
	case strings.IndexFunc(text, unicode.IsDigit) >= 0:
		return fmt.Errorf("%q holds a digit: voice never reads a number", text)
	case strings.Contains(text, "{{") || strings.Contains(text, "<no value>"):
		return fmt.Errorf("%q has a placeholder: voice prompts are fixed", text)
	}
	return nil
}

// parallel runs f(0…n-1) on workers goroutines and returns the first error.
func parallel(n, workers int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// table prints the measure as a Markdown table, one column per language.
func table(rs []result) string {
	var b strings.Builder
	row := func(name, bound string, cell func(r result) string) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, r := range rs {
			fmt.Fprintf(&b, " %s |", cell(r))
		}
		fmt.Fprintf(&b, " %s |\n", bound)
	}
	na := func(f func(r result) string) func(r result) string {
		return func(r result) string {
			if !r.segmental() {
				return "—"
			}
			return f(r)
		}
	}
	fmt.Fprintf(&b, "| measure |")
	for _, r := range rs {
		fmt.Fprintf(&b, " %s (`%s`) |", r.lang, voices[r.lang])
	}
	b.WriteString(" pass if |\n|---|")
	for range rs {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	row("prompt texts", "", func(r result) string { return fmt.Sprint(r.prompts) })
	row("units (zh Han characters, en words, ko Hangul syllables)", "", func(r result) string { return fmt.Sprint(r.units) })
	row("read with the language's own phonemes", fmt.Sprintf("≥ %.0f%%", 100*minCoverage), func(r result) string {
		return fmt.Sprintf("%.1f%% (%d)", 100*r.coverage(), r.native)
	})
	row("speaking rate, syllables/s: median (range)", fmt.Sprintf("%.0f–%.0f", minRate, maxRate), func(r result) string {
		if len(r.rates) == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f (%.1f–%.1f)", r.medianRate(), slices.Min(r.rates), slices.Max(r.rates))
	})
	row("samples at full scale (clipped)", fmt.Sprintf("≤ %.1f%%", 100*maxClipped), func(r result) string {
		return fmt.Sprintf("%.2f%% (%d)", 100*ratio(r.clipped, r.samples), r.clipped)
	})
	row("minimal pairs said with identical samples", "0", func(r result) string {
		if len(r.contrast.lost) == 0 {
			return fmt.Sprintf("0 of %d", r.contrast.pairs)
		}
		var what []string
		for _, p := range r.contrast.lost {
			what = append(what, p.what)
		}
		return fmt.Sprintf("%d of %d: %s", len(r.contrast.lost), r.contrast.pairs, strings.Join(what, ", "))
	})
	row("prompt syllables that need a contrast said identically", "", na(func(r result) string {
		return fmt.Sprintf("%.0f%% (%d of %d)", 100*ratio(r.needLost, r.sylls), r.needLost, r.sylls)
	}))
	row("longest silence inside a prompt", fmt.Sprintf("≤ %.1f s", maxPauseSecs), func(r result) string {
		return fmt.Sprintf("%.2f s", r.maxPause)
	})
	row("phonemes off the standard pronunciation", fmt.Sprintf("≤ %.0f%%", 100*maxStdErrors), na(func(r result) string {
		return fmt.Sprintf("%.1f%% (%d of %d)", 100*ratio(r.errStd, r.phonemes), r.errStd, r.phonemes)
	}))
	row("phonemes neither standard nor spelled (garble)", fmt.Sprintf("≤ %.0f%%", 100*maxGarble), na(func(r result) string {
		return fmt.Sprintf("%.1f%% (%d)", 100*ratio(r.errGarble, r.phonemes), r.errGarble)
	}))
	row("words exactly as the standard says them", "", na(func(r result) string {
		return fmt.Sprintf("%.0f%% (%d of %d)", 100*ratio(r.exactWords, r.words), r.exactWords, r.words)
	}))
	row("**verdict**", "", func(r result) string {
		if r.pass() {
			return "**pass**"
		}
		return "**fail**: " + strings.Join(r.failures(), "; ")
	})
	return b.String()
}

// details lists the Korean words espeak-ng says otherwise than the standard.
func details(rs []result, n int) string {
	var b strings.Builder
	for _, r := range rs {
		if !r.segmental() || len(r.worst) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s: %d words said otherwise than the standard pronunciation (garble first):\n\n", r.lang, len(r.worst))
		b.WriteString("| word | standard | espeak-ng -x | off standard | garble |\n|---|---|---|---|---|\n")
		for i, w := range r.worst {
			if i == n {
				fmt.Fprintf(&b, "| … %d more | | | | |\n", len(r.worst)-n)
				break
			}
			fmt.Fprintf(&b, "| %s | [%s] | `%s` | %d | %d |\n", w.word, w.standard, w.espeak, w.errStd, w.errGarble)
		}
	}
	return b.String()
}
