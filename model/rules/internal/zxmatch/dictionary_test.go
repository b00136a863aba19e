package zxmatch

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trustelem/zxcvbn/match"
)

// upstreamMatches is upstream's dictionary matching (v1.0.1), one map per
// list and every substring lower-cased for each.
func upstreamMatches(dicts map[string]rankedDictionnary, password string) []*match.Match {
	var results []*match.Match
	for dictionaryName, rankedDict := range dicts {
		for i := range password {
			for delta := range password[i:] {
				j := i + delta
				word := strings.ToLower(password[i : j+1])
				if val, ok := rankedDict[word]; ok {
					results = append(results, &match.Match{Pattern: "dictionary", I: i, J: j, Token: password[i : j+1],
						MatchedWord: word, Rank: val, DictionaryName: dictionaryName})
				}
			}
		}
	}
	match.Sort(results)
	return results
}

// upstreamL33t is upstream's l33t matching (v1.0.1) over upstreamMatches.
func upstreamL33t(dicts map[string]rankedDictionnary, password string) []*match.Match {
	var matches []*match.Match
	for _, sub := range enumerateLeetSubs(relevantSubtable(password, l33tTable)) {
		if len(sub) == 0 {
			break
		}
		for _, m := range upstreamMatches(dicts, translate(password, sub)) {
			token := password[m.I : m.J+1]
			if len(token) <= 1 || strings.ToLower(token) == m.MatchedWord {
				continue
			}
			m.Sub = make(map[string]string)
			for subbed, chr := range sub {
				if strings.Contains(token, subbed) {
					m.Sub[subbed] = chr
				}
			}
			m.L33t, m.Token = true, token
			matches = append(matches, m)
		}
	}
	return matches
}

// canonL33t is canon with each match's substitutions.
func canonL33t(ms []*match.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(m.Sub)) {
			b.WriteString(k + ">" + m.Sub[k] + " ")
		}
		out[i] = fmt.Sprintf("%d-%d %q %q %s#%d %s", m.I, m.J, m.Token, m.MatchedWord, m.DictionaryName, m.Rank, b.String())
	}
	slices.Sort(out)
	return out
}

// canon lists matches in a fixed order (upstream's order among matches of
// one span followed its map iteration, i.e. none).
func canon(ms []*match.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%d-%d %q %q %s#%d", m.I, m.J, m.Token, m.MatchedWord, m.DictionaryName, m.Rank)
	}
	slices.Sort(out)
	return out
}

// TestDictionaryMatchesAsUpstream: the merged lists find exactly upstream's
// matches, for ASCII passwords in every case, l33t and reversed forms, and
// for passwords with other characters (whose substrings upstream cuts by
// bytes).
func TestDictionaryMatchesAsUpstream(t *testing.T) {
	inputs := []string{"tonghua_farm1", "通化弘诚农业科技有限责任公司", "冯强", "Bench_00000042", "tonghua", "farm"}
	dicts := map[string]rankedDictionnary{"user_inputs": buildRankedDict(inputs)}
	for n, list := range frequencyLists() {
		dicts[n] = buildRankedDict(list)
	}
	dm := defaultDictionaries().withDict("user_inputs", buildRankedDict(inputs))

	pws := []string{"", "a", "Farm#2026ok", "P@ssw0rd", "Yanbian@2027x", "Tonghua#2026", "q7#Vx!2mL9@zR",
		"Ab1!Ab1!Ab1!Ab1!Ab1!", "PASSWORD", "iloveyou", "JOHNsmith1987", "drowssap", "tonghuaPassword",
		"ｘinghe#2024Qz", "密码password", "pässwörd", "ÄBC", "straße", "İstanbul", "\xff\xfeabc"}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()_+-=|<>{}[]"
	words := []string{"password", "dragon", "monkey", "love", "john", "smith", "farm", "tonghua", "summer", "qwerty"}
	for range 300 {
		var b strings.Builder
		for b.Len() < 4+r.IntN(16) {
			if r.IntN(3) == 0 {
				w := words[r.IntN(len(words))]
				if r.IntN(2) == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				b.WriteString(w)
			} else {
				b.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
		}
		pws = append(pws, b.String())
	}
	lm := l33tMatch{dm: dm, table: l33tTable}
	for _, pw := range pws {
		for _, p := range []string{pw, reverse(pw)} {
			got, want := canon(dm.Matches(p)), canon(upstreamMatches(dicts, p))
			if !slices.Equal(got, want) {
				t.Fatalf("Matches(%q):\n got %q\nwant %q", p, got, want)
			}
			got, want = canonL33t(lm.Matches(p)), canonL33t(upstreamL33t(dicts, p))
			if !slices.Equal(got, want) {
				t.Fatalf("l33t Matches(%q):\n got %q\nwant %q", p, got, want)
			}
		}
	}
}

// BenchmarkDictionaryMatches is the matching of one registration's
// password (make bench's registration input) with its user inputs.
func BenchmarkDictionaryMatches(b *testing.B) {
	dm := defaultDictionaries().withDict("user_inputs", buildRankedDict([]string{"bench_00000042", "企业", "王建"}))
	b.ReportAllocs()
	for b.Loop() {
		dm.Matches("Farm#2026ok")
	}
}

// TestQuickRejectAsUpstream: dateMatch and repeatMatch find the same with
// their shortcuts as without (upstream), for dates with and without
// separators, digits beyond ASCII, a final newline, repeats of every kind.
func TestQuickRejectAsUpstream(t *testing.T) {
	pws := []string{"Farm#2026ok", "1991", "19910512", "12/05/1991", "1.1.91", "1-1-1991x", "x12_05_91",
		"1991\n", "1/1/91\n", "a1991\nb", "１９９１", "١٩٩١", "1٩٩1", "12 05 1991", "12\t05\t91", "2025-13-45",
		"aaaa", "abab", "Ab1!Ab1!Ab1!", "ééé", "abcabcabc", "zzz1zzz", "x\nx\n", "q7#Vx!2mL9@zR", "", "a", "aa",
		"密码密码", "P@ssw0rd1991", "20262026", "0101"}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789/.-_ \\ab\n"
	for range 500 {
		b := make([]byte, 4+r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		pws = append(pws, string(b))
	}
	defer func() { quickReject = true }()
	for _, pw := range pws {
		quickReject = true
		gotD, gotR := dateMatch{}.Matches(pw), repeatMatch{}.Matches(pw)
		quickReject = false
		wantD, wantR := dateMatch{}.Matches(pw), repeatMatch{}.Matches(pw)
		if !reflect.DeepEqual(gotD, wantD) {
			t.Fatalf("dates in %q:\n got %+v\nwant %+v", pw, gotD, wantD)
		}
		if !reflect.DeepEqual(gotR, wantR) {
			t.Fatalf("repeats in %q:\n got %+v\nwant %+v", pw, gotR, wantR)
		}
	}
}
