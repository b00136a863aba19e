package zxmatch

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trustelem/zxcvbn/scoring"
)

// TestGuessesAsUpstream: Guesses gives exactly upstream's
// MostGuessableMatchSequence guesses, on the matches Omnimatch finds, for
// ASCII passwords of every kind, passwords with other characters (which
// upstream indexes by bytes), and random ones built from common words.
func TestGuessesAsUpstream(t *testing.T) {
	inputs := []string{"tonghua_farm1", "通化弘诚农业科技有限责任公司", "冯强", "bench_00000042"}
	pws := []string{"", "a", "Farm#2026ok", "P@ssw0rd", "Yanbian@2027x", "Tonghua#2026", "q7#Vx!2mL9@zR",
		"Ab1!Ab1!Ab1!Ab1!Ab1!", "PASSWORD", "iloveyou", "JOHNsmith1987", "drowssap", "tonghuaPassword",
		"ｘinghe#2024Qz", "密码password", "pässwörd", "ÄBC", "straße", "\xff\xfeabc", "12/05/1991", "abcabcabc",
		"qwertyuiop", "zxcvbn", "1qaz2wsx", "aaaaaaaa", "冯强1990", "通化通化通化", "Bench_00000042!"}
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()_+-=|<>{}[]/. "
	words := []string{"password", "dragon", "monkey", "love", "john", "smith", "farm", "tonghua", "summer",
		"qwerty", "2026", "1991", "abc", "aaa", "通化", "p@ss"}
	for range 400 {
		var b strings.Builder
		for b.Len() < 1+r.IntN(22) {
			if r.IntN(3) == 0 {
				b.WriteString(words[r.IntN(len(words))])
			} else {
				b.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
		}
		pws = append(pws, b.String())
	}
	for _, pw := range pws {
		got := Guesses(pw, Omnimatch(pw, inputs))
		want := scoring.MostGuessableMatchSequence(pw, Omnimatch(pw, inputs), false).Guesses
		if got != want {
			t.Fatalf("Guesses(%q) = %g, upstream %g", pw, got, want)
		}
	}
}

// BenchmarkGuesses is the search over one registration password's matches.
func BenchmarkGuesses(b *testing.B) {
	in := []string{"bench_00000042", "企业", "王建"}
	b.ReportAllocs()
	for b.Loop() {
		Guesses("Farm#2026ok", Omnimatch("Farm#2026ok", in))
	}
}

// BenchmarkGuessesUpstream is BenchmarkGuesses with upstream's search.
func BenchmarkGuessesUpstream(b *testing.B) {
	in := []string{"bench_00000042", "企业", "王建"}
	b.ReportAllocs()
	for b.Loop() {
		scoring.MostGuessableMatchSequence("Farm#2026ok", Omnimatch("Farm#2026ok", in), false)
	}
}

// FuzzGuessesAsUpstream: for any password, Guesses is upstream's.
func FuzzGuessesAsUpstream(f *testing.F) {
	for _, s := range []string{"", "Farm#2026ok", "密码password", "\xff\xfeabc", "12/05/1991", "Ab1!Ab1!Ab1!"} {
		f.Add(s)
	}
	inputs := []string{"tonghua_farm1", "冯强"}
	f.Fuzz(func(t *testing.T, pw string) {
		if len(pw) > 40 {
			pw = pw[:40] // upstream's search grows with the cube of the length
		}
		got := Guesses(pw, Omnimatch(pw, inputs))
		if want := scoring.MostGuessableMatchSequence(pw, Omnimatch(pw, inputs), false).Guesses; got != want {
			t.Fatalf("Guesses(%q) = %g, upstream %g", pw, got, want)
		}
	})
}
