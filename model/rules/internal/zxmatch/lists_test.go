package zxmatch

import (
	"reflect"
	"testing"

	"github.com/trustelem/zxcvbn/frequency"
)

// The embedded lists are the module's, word for word and in rank order
// (after a zxcvbn upgrade: go run ./model/rules/internal/zxmatch/gen).
func TestEmbeddedListsMatchModule(t *testing.T) {
	if got := frequencyLists(); !reflect.DeepEqual(got, frequency.FrequencyLists) {
		t.Fatalf("embedded lists differ from github.com/trustelem/zxcvbn/frequency (%d lists vs %d)", len(got), len(frequency.FrequencyLists))
	}
}
