// Copied from github.com/trustelem/zxcvbn v1.0.1 (scoring/scoring.go), MIT: see LICENSE.txt.
// Changed: the search's tables are slices indexed by position and sequence
// length instead of a map per position, the bruteforce candidates are not
// allocated as matches (their guesses are computed from the rune count, as
// scoring.BruteforceGuesses does), and only the guesses are returned, not
// the sequence. Upstream's maps and allocations made the search about half
// of a strength estimate. The guesses are the same (TestGuessesAsUpstream).

package zxmatch

import (
	"math"
	"sort"

	"github.com/trustelem/zxcvbn/match"
	"github.com/trustelem/zxcvbn/scoring"
)

// Guesses is scoring.MostGuessableMatchSequence(password, matches,
// false).Guesses: the guesses of the match sequence that minimises
//
//	g = l! * Product(m.guesses for m in sequence) + D^(l - 1)
//
// (l its length, D scoring.MinGuessesBeforeGrowingSequence), found by the
// same dynamic programming over the password's prefixes. It sets the
// matches' Guesses, as upstream does.
func Guesses(password string, matches []*match.Match) float64 {
	n := len(password)
	if n == 0 {
		return 1
	}
	// runesTo[i] is the number of runes in password[:i]; valid[i]: a rune
	// starts at byte i.
	runesTo := make([]int, n+1)
	valid := make([]bool, n)
	r := 0
	for i := range password {
		valid[i] = true
		r++
		runesTo[i+1] = r
	}
	for i := 1; i <= n; i++ {
		if runesTo[i] == 0 {
			runesTo[i] = runesTo[i-1]
		}
	}
	// Matches by their last byte, each sublist by first byte (stable).
	byJ := make([][]*match.Match, n)
	for _, m := range matches {
		if m.J < 0 || m.J >= n {
			continue
		}
		byJ[m.J] = append(byJ[m.J], m)
	}
	for _, ms := range byJ {
		sort.SliceStable(ms, func(a, b int) bool { return ms[a].I < ms[b].I })
	}

	// The tables of upstream's optimal.m, .pi and .g: cell k*w+l is the best
	// length-l sequence covering password[:k+1], set when set[k*w+l].
	w := n + 1
	type last struct {
		i     int  // the last match's first byte
		brute bool // it is a bruteforce match
	}
	set := make([]bool, n*w)
	lastOf := make([]last, n*w)
	pis := make([]float64, n*w)
	gs := make([]float64, n*w)

	factorial := func(l int) float64 {
		f := float64(1)
		for i := 2; i <= l; i++ {
			f *= float64(i)
		}
		return f
	}
	// update considers a length-l sequence ending with a match over
	// [i, k] of guesses guesses.
	update := func(i, k int, guesses float64, brute bool, l int) {
		pi := guesses
		if l > 1 {
			pi *= pis[(i-1)*w+l-1]
		}
		g := factorial(l)*pi + math.Pow(scoring.MinGuessesBeforeGrowingSequence, float64(l-1))
		for cl := 1; cl <= l; cl++ {
			if set[k*w+cl] && gs[k*w+cl] <= g {
				return
			}
		}
		c := k*w + l
		set[c], lastOf[c], pis[c], gs[c] = true, last{i: i, brute: brute}, pi, g
	}
	// bruteGuesses is scoring.EstimateGuesses of a bruteforce match over
	// [i, k]: scoring.BruteforceGuesses, then the least guesses of a
	// submatch of the password (by bytes, as upstream counts them).
	bruteGuesses := func(i, k int) float64 {
		runes := runesTo[k+1] - runesTo[i]
		guesses := math.Pow(scoring.BruteforceCardinality, float64(runes))
		floor := float64(scoring.MinSubmatchGuessesMultiChar + 1)
		if runes == 1 {
			floor = scoring.MinSubmatchGuessesSingleChar + 1
		}
		guesses = max(guesses, floor)
		if size := k + 1 - i; size < n {
			least := float64(scoring.MinSubmatchGuessesMultiChar)
			if size == 1 {
				least = scoring.MinSubmatchGuessesSingleChar
			}
			guesses = max(guesses, least)
		}
		return guesses
	}

	for k := range n {
		for _, m := range byJ[k] {
			guesses := scoring.EstimateGuesses(m, password)
			if m.I > 0 {
				for l := 1; l < n; l++ {
					if set[(m.I-1)*w+l] {
						update(m.I, k, guesses, false, l+1)
					}
				}
			} else {
				update(0, k, guesses, false, 1)
			}
		}
		// Bruteforce matches ending at k: one over the whole prefix, and
		// each [i, k] after a sequence ending at i-1 that does not end in
		// one (two bruteforce matches in a row never beat one).
		update(0, k, bruteGuesses(0, k), true, 1)
		previous := 0
		for i := 1; i <= k; i++ {
			if !valid[i] {
				continue
			}
			prev := previous
			previous = i
			guesses := bruteGuesses(i, k)
			for l := 1; l < n; l++ {
				if c := prev*w + l; set[c] && !lastOf[c].brute {
					update(i, k, guesses, true, l+1)
				}
			}
		}
	}

	// The best length at the end (fewest guesses, then the longest), and
	// the length of the sequence unwound from it.
	k := n - 1
	best, bestG := -1, float64(-1)
	for l := 1; l < w; l++ {
		if c := k*w + l; set[c] && (best < 0 || gs[c] < bestG || gs[c] == bestG && l > best) {
			best, bestG = l, gs[c]
		}
	}
	length := 0
	for l := best; k >= 0 && l >= 0; l-- {
		if c := k*w + l; l > 0 && set[c] {
			length++
			k = lastOf[c].i - 1
		}
	}
	if c := (n-1)*w + length; length > 0 && length < w && set[c] {
		return gs[c]
	}
	return 0
}
