// Copied from github.com/trustelem/zxcvbn v1.0.1 (matching/dictionary.go), MIT: see LICENSE.txt.
// Changed: the frequency lists are held in one map (dictionaries below) and
// an ASCII password is lower-cased once, not per substring: upstream looked
// every substring up in each list's map in turn, lower-casing it again for
// each, which made this the most expensive part of a strength estimate
// (about a third of a registration's own CPU on a kiosk). The matches found
// are the same (TestDictionaryMatchesAsUpstream).

package zxmatch

import (
	"slices"
	"strings"

	"github.com/trustelem/zxcvbn/match"
)

type dictionaryMatch struct {
	lists *dictionaries    // the frequency lists
	extra []namedRankedDic // and per estimate (user_inputs)
}

type namedRankedDic struct {
	name string
	dict rankedDictionnary
}

// dictionaries are ranked word lists merged: a word is looked up once for
// all of them.
type dictionaries struct {
	names []string         // sorted
	index map[string]int32 // word → its row in ranks
	ranks []int32          // row × len(names) + list: the word's rank in the list, 0 when not in it
}

func newDictionaries(lists map[string][]string) *dictionaries {
	d := &dictionaries{}
	words := 0
	for n, list := range lists {
		d.names = append(d.names, n)
		words += len(list)
	}
	slices.Sort(d.names)
	width := len(d.names)
	d.index = make(map[string]int32, words) // sized: no rehashing
	d.ranks = make([]int32, 0, words*width)
	for col, n := range d.names {
		for i, w := range lists[n] {
			w = strings.ToLower(w)
			row, ok := d.index[w]
			if !ok {
				row = int32(len(d.ranks) / width)
				d.index[w] = row
				d.ranks = append(d.ranks, make([]int32, width)...)
			}
			d.ranks[int(row)*width+col] = int32(i + 1) // a repeated word keeps its last rank, as upstream
		}
	}
	return d
}

func (dm dictionaryMatch) Matches(password string) []*match.Match {
	return dm.matchesEnding(password, nil)
}

// matchesEnding is Matches restricted, for an ASCII password, to the
// substrings [i, j] with j >= minEnd[i] (all of them when minEnd is nil):
// l33tMatch keeps only those that cover a substitution.
func (dm dictionaryMatch) matchesEnding(password string, minEnd []int) []*match.Match {
	var results []*match.Match
	lower, ascii := password, isASCII(password)
	if ascii {
		lower = strings.ToLower(password)
	}
	width := len(dm.lists.names)
	for i := range password {
		for delta := range password[i:] {
			j := i + delta
			if ascii && minEnd != nil && j < minEnd[i] {
				continue
			}
			var word string
			if ascii {
				word = lower[i : j+1]
			} else {
				word = strings.ToLower(password[i : j+1]) // upstream's substrings, bytes and all
			}
			if row, ok := dm.lists.index[word]; ok {
				for col, rank := range dm.lists.ranks[int(row)*width : int(row+1)*width] {
					if rank != 0 {
						results = append(results, dictMatch(password, i, j, word, dm.lists.names[col], int(rank)))
					}
				}
			}
			for _, x := range dm.extra {
				if rank, ok := x.dict[word]; ok {
					results = append(results, dictMatch(password, i, j, word, x.name, rank))
				}
			}
		}
	}

	match.Sort(results)
	return results
}

func dictMatch(password string, i, j int, word, dict string, rank int) *match.Match {
	return &match.Match{
		Pattern:        "dictionary",
		I:              i,
		J:              j,
		Token:          password[i : j+1],
		MatchedWord:    word,
		Rank:           rank,
		DictionaryName: dict,
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (dm dictionaryMatch) withDict(name string, d rankedDictionnary) dictionaryMatch {
	extra := append(slices.Clip(dm.extra), namedRankedDic{name, d})
	return dictionaryMatch{lists: dm.lists, extra: extra}
}

type rankedDictionnary map[string]int

func buildRankedDict(unrankedList []string) rankedDictionnary {
	result := make(rankedDictionnary, len(unrankedList)) // sized: no rehashing

	for i, v := range unrankedList {
		result[strings.ToLower(v)] = i + 1
	}

	return result
}
