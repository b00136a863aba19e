package rules

import "strings"

// usccAlphabet is the GB 32100-2015 character set; a char's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the GB 11714 organisation-code weights.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// NormalizeUSCC folds full-width characters, trims spaces, upper-cases
// (NormalizeCode) and validates a unified social credit code: alphabet,
// length, the GB 32100 check character and the GB 11714 organisation-code
// check embedded in characters 9–17.
func NormalizeUSCC(s string) (string, error) {
	s = NormalizeCode(s)
	if s == "" {
		return "", fail("uscc_empty")
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(usccAlphabet, s[i]) < 0 {
			return "", fail("uscc_char")
		}
	}
	if len(s) != 18 {
		return "", fail("uscc_length")
	}
	c, _ := USCCCheckChar(s[:17])
	if s[17] != c {
		return "", fail("uscc_check")
	}
	o, _ := OrgCodeCheckChar(s[8:16])
	if s[16] != o {
		return "", fail("uscc_org_check")
	}
	return s, nil
}

// USCCCheckChar computes the 18th character of a USCC from the first 17
// (upper case, GB 32100 alphabet).
func USCCCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail("uscc_length")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0, fail("uscc_char")
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

// OrgCodeCheckChar computes the GB 11714 check character of an 8-character
// organisation-code body (digits and upper-case letters, A=10 … Z=35).
func OrgCodeCheckChar(body8 string) (byte, error) {
	if len(body8) != 8 {
		return 0, fail("org_length")
	}
	sum := 0
	for i := 0; i < 8; i++ {
		var v int
		switch c := body8[i]; {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0, fail("org_char")
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}
