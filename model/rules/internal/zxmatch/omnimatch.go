// Package zxmatch is the matching stage of github.com/trustelem/zxcvbn
// (MIT, LICENSE.txt), copied from v1.0.1's package matching with two kinds
// of change, and its search for the most guessable match sequence
// (Guesses, search.go: slices for upstream's maps). The ranked
// dictionaries are built on first use instead of at package
// initialisation: upstream builds them in a package variable, which costs
// about 30 ms and 10 MB before main runs, in every start of the kiosk
// (make bench's start-up ratio); here the first strength estimate pays it,
// and Warm lets a caller pay it in the background. And the matching does
// less for the same matches: the frequency lists are merged into one map,
// looked up once per substring rather than once per list (dictionary.go);
// the l33t matcher looks up only the substrings that cover a substitution
// (leet.go); the date and repeat matchers skip their regular expressions
// where these cannot match (date.go, repeat.go). An estimate's matching
// costs about a third of upstream's, and Guesses made rules.PasswordScore
// 2.7 times as fast again (150 µs to 56 µs in BenchmarkPasswordScore
// here); the tests compare the matches and the guesses with upstream's.
// The guesses of one match, the frequency lists and the keyboard graphs
// are the module's own packages.
package zxmatch

import (
	"embed"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/trustelem/zxcvbn/adjacency"
	"github.com/trustelem/zxcvbn/match"
)

// lists are zxcvbn's frequency lists (github.com/trustelem/zxcvbn/frequency)
// as text, one word per line in rank order, written by ./gen: the module's
// own package builds them as a map literal at program start, which costs
// the first frame about a millisecond and megabytes for every run.
//
//go:embed lists/*.txt
var lists embed.FS

// frequencyLists reads the embedded lists.
func frequencyLists() map[string][]string {
	files, _ := fs.Glob(lists, "lists/*.txt")
	out := make(map[string][]string, len(files))
	for _, f := range files {
		b, err := lists.ReadFile(f)
		if err != nil {
			panic("zxmatch: " + err.Error()) // embedded: cannot happen
		}
		out[strings.TrimSuffix(path.Base(f), ".txt")] = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	return out
}

// Omnimatch returns every match of every matcher in password, with
// userInputs as an extra dictionary (ranked in order).
func Omnimatch(password string, userInputs []string) (matches []*match.Match) {
	dictMatcher := defaultDictionaries().withDict("user_inputs", buildRankedDict(userInputs))

	matchers := []match.Matcher{
		dictMatcher,
		reverseDictionnaryMatch{dm: dictMatcher},
		l33tMatch{dm: dictMatcher, table: l33tTable},
		spatialMatch{graphs: defaultGraphs},
		repeatMatch{},
		sequenceMatch{},
		regexpMatch{regexes: defaultRegexpMatch},
		dateMatch{},
	}

	for _, m := range matchers {
		matches = append(matches, m.Matches(password)...)
	}
	match.Sort(matches)
	return matches
}

// Warm builds the dictionaries now (they are built once, on first use).
func Warm() { defaultDictionaries() }

var defaultDictionaries = sync.OnceValue(loadDefaultDictionnaries)

var (
	defaultGraphs      = loadDefaultAdjacencyGraphs()
	defaultRegexpMatch = []struct {
		Name   string
		Regexp *regexp.Regexp
	}{
		{
			Name:   "recent_year",
			Regexp: regexp.MustCompile(`19\d\d|200\d|201\d`),
		},
	}
	l33tTable = map[string][]string{
		"a": {"4", "@"},
		"b": {"8"},
		"c": {"(", "{", "[", "<"},
		"e": {"3"},
		"g": {"6", "9"},
		"i": {"1", "!", "|"},
		"l": {"1", "|", "7"},
		"o": {"0"},
		"s": {"$", "5"},
		"t": {"+", "7"},
		"x": {"%"},
		"z": {"2"},
	}
)

func loadDefaultDictionnaries() dictionaryMatch {
	return dictionaryMatch{lists: newDictionaries(frequencyLists())}
}

func loadDefaultAdjacencyGraphs() []*adjacency.Graph {
	return []*adjacency.Graph{
		adjacency.Graphs["qwerty"],
		adjacency.Graphs["dvorak"],
		adjacency.Graphs["keypad"],
		adjacency.Graphs["mac_keypad"],
	}

}
