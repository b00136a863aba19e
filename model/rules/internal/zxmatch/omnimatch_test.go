package zxmatch

import "testing"

// BenchmarkLoadDictionaries is what the first strength estimate waits for
// (upstream pays it at package initialisation, in every process start).
func BenchmarkLoadDictionaries(b *testing.B) {
	for b.Loop() {
		loadDefaultDictionnaries()
	}
}

func TestOmnimatchFindsDictionaryAndUserInputs(t *testing.T) {
	found := map[string]bool{}
	for _, m := range Omnimatch("tonghuaPassword", []string{"tonghua"}) {
		found[m.DictionaryName+":"+m.MatchedWord] = true
	}
	if !found["user_inputs:tonghua"] || !found["passwords:password"] {
		t.Errorf("matches %v", found)
	}
}
