package login

import (
	"strings"
	"testing"
)

// The test enterprise of the screens' fixture: its account and its USCC
// (a valid one, built around the organisation code MA01XH24).
const (
	entAccount = "xinghe_2024"
	entUSCC    = "91110108MA01XH24XH"
)

func TestIdentifierValidation(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{entAccount, true}, {entUSCC, true}, {strings.ToLower(entUSCC), true},
		{"1abc", false}, {"91110108MA01XH24X0", false}, {"短", false}, {"", false},
	} {
		if err := ValidIdentifier(tc.in); (err == nil) != tc.ok {
			t.Errorf("ValidIdentifier(%q) = %v", tc.in, err)
		}
	}
}
