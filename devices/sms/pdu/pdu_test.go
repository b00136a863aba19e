package pdu

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The dreamfabric tutorial's SMS-SUBMIT, octet by octet:
//
//	00              SCA length 0: use the SMSC stored on the SIM
//	11              first octet: TP-MTI 01 (SUBMIT), TP-VPF 10 (relative)
//	00              TP-MR, assigned by the phone
//	0B 91           TP-DA: 11 digits, international (TON 1, NPI 1)
//	6407281553F8    46 70 82 51 35 8F → +46708251358, nibbles swapped, F pad
//	00              TP-PID
//	00              TP-DCS: GSM 7-bit default alphabet
//	AA              TP-VP relative: 170 → (170-166) days = 4 days
//	0A              TP-UDL: 10 septets
//	E8329BFD4697D9EC37  "hellohello" packed 7-bit, LSB first:
//	                h=68 e=65 → E8 = e's low bit 1 << 7 | h 1101000
const helloPDU = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37"

// UCS2, worked out by hand for "你好" to 13800138000 (a Chinese mobile number,
// sent internationally as +86):
//
//	00              SCA: SIM default
//	11              SUBMIT, relative validity
//	00              TP-MR
//	0D 91           13 digits, international
//	683108108300F0  86 13 80 01 38 00 0F → 8613800138000
//	00              TP-PID
//	08              TP-DCS: UCS2
//	A7              TP-VP 167 → 12 h + (167-143)·30 min = 24 h
//	04              TP-UDL: 4 octets
//	4F60 597D       U+4F60 你, U+597D 好 (UTF-16BE)
const nihaoPDU = "0011000D91683108108300F00008A7044F60597D"

func TestEncodeKnownPDUs(t *testing.T) {
	tests := []struct {
		name, to, text string
		opt            Options
		want           string
		tpduLen        int
	}{
		{"dreamfabric hellohello", "+46708251358", "hellohello", Options{Validity: 4 * 24 * time.Hour}, helloPDU, 23},
		{"UCS2 nihao", "13800138000", "你好", Options{Validity: 24 * time.Hour}, nihaoPDU, 19},
		// No validity: first octet 01 (VPF 00) and no TP-VP octet.
		{"no validity", "+8613800138000", "你好", Options{}, "0001000D91683108108300F00008044F60597D", 18},
		// National short code, TOA 81: 10086 → pairs 10 08 6F → 01 80 F6;
		// DCS 00, UDL 01, "A" = 41.
		{"national", "10086", "A", Options{}, "00" + "010005810180F600000141", 11},
		// SMSC +8613800100500: SCA length 08 octets (TOA + 7), 91, 683108100005F0.
		{"smsc", "10086", "A", Options{SMSC: "+8613800100500"}, "0891683108100005F0" + "010005810180F600000141", 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode(tc.to, tc.text, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Hex != tc.want || got[0].TPDULen != tc.tpduLen {
				t.Fatalf("got %+v, want %s len %d", got, tc.want, tc.tpduLen)
			}
		})
	}
}

func TestDecodeKnownPDUs(t *testing.T) {
	s, err := Decode(helloPDU)
	if err != nil {
		t.Fatal(err)
	}
	if s.To != "+46708251358" || s.Text != "hellohello" || s.Validity != 4*24*time.Hour || s.TPDULen != 23 || s.Concat != nil {
		t.Fatalf("hellohello decoded as %+v", s)
	}
	s, err = Decode(strings.ToLower(nihaoPDU))
	if err != nil {
		t.Fatal(err)
	}
	if s.To != "+8613800138000" || s.Text != "你好" || s.DCS != DCSUCS2 || s.Validity != 24*time.Hour {
		t.Fatalf("nihao decoded as %+v", s)
	}
	s, err = Decode("0891683108100005F0" + "010005810180F600000141")
	if err != nil || s.SMSC != "+8613800100500" || s.To != "10086" || s.Text != "A" {
		t.Fatalf("smsc pdu decoded as %+v, %v", s, err)
	}
}

// A long GSM 7-bit message: the header 05 00 03 ref total seq takes 48 bits,
// one fill bit brings it to 7 septets, and text septet 0 starts at bit 49.
// For "aaaa…" (a = 0x61 = 1100001b):
//
//	bit 49: octet 6 gets a<<1            = C2
//	bit 56: octet 7 gets a               = 61
//	bit 63: octet 7 gets a<<7 (80) → E1; octet 8 gets a>>1 = 30
//	bit 70: octet 8 gets a<<6 (40) → 70; octet 9 gets a>>2 = 18 …
func TestEncodeConcatGSM7(t *testing.T) {
	text := strings.Repeat("a", 200)
	got, err := Encode("13800138000", text, Options{Ref: 0x42})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("want 2 parts, got %d", len(got))
	}
	// 41 = SUBMIT + UDHI; A0 = UDL 160 septets (7 header + 153 text).
	wantHead := "0041000D91683108108300F00000" + "A0" + "050003420201" + "C2E170"
	if !strings.HasPrefix(got[0].Hex, wantHead) {
		t.Fatalf("part 1 = %s…, want prefix %s", got[0].Hex[:60], wantHead)
	}
	// Part 2: 47 text septets + 7 = 54 = 0x36.
	if !strings.HasPrefix(got[1].Hex, "0041000D91683108108300F00000"+"36"+"050003420202") {
		t.Fatalf("part 2 = %s", got[1].Hex)
	}
	checkParts(t, got, "+8613800138000", text, 0x42)
}

func TestSplitBoundaries(t *testing.T) {
	han := strings.Repeat("汉", 66)
	tests := []struct {
		name      string
		text      string
		parts     int
		firstPart string
	}{
		{"160 septets fit one", strings.Repeat("x", 160), 1, ""},
		{"161 septets need two", strings.Repeat("x", 161), 2, strings.Repeat("x", 153)},
		{"escape pair not split", strings.Repeat("a", 152) + "€" + strings.Repeat("b", 10), 2, strings.Repeat("a", 152)},
		{"extension costs two", strings.Repeat("{", 80), 1, ""},
		{"extension overflow", strings.Repeat("{", 81), 2, strings.Repeat("{", 76)},
		{"70 UCS2 fit one", strings.Repeat("中", 70), 1, ""},
		{"71 UCS2 need two", strings.Repeat("中", 71), 2, strings.Repeat("中", 67)},
		{"surrogate pair not split", han + "😀" + strings.Repeat("尾", 10), 2, han},
		{"200 Chinese chars", strings.Repeat("测", 200), 3, strings.Repeat("测", 67)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode("13800138000", tc.text, Options{Ref: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.parts || Parts(tc.text) != tc.parts {
				t.Fatalf("parts = %d (Parts %d), want %d", len(got), Parts(tc.text), tc.parts)
			}
			if tc.firstPart != "" {
				s, err := Decode(got[0].Hex)
				if err != nil || s.Text != tc.firstPart {
					t.Fatalf("first part %q (%v), want %q", s.Text, err, tc.firstPart)
				}
			}
			checkParts(t, got, "+8613800138000", tc.text, 7)
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		to, text string
		opt      Options
		want     error
	}{
		{"", "hi", Options{}, ErrInvalidNumber},
		{"12", "hi", Options{}, ErrInvalidNumber},
		{"+", "hi", Options{}, ErrInvalidNumber},
		{"138-0013-8000", "hi", Options{}, ErrInvalidNumber},
		{"138 0013 8000", "hi", Options{}, ErrInvalidNumber},
		{"+123456789012345678901", "hi", Options{}, ErrInvalidNumber},
		{"13800138000", "", Options{}, ErrEmptyText},
		{"13800138000", "a\xffb", Options{}, ErrInvalidText},
		{"13800138000", "hi", Options{SMSC: "x"}, ErrInvalidSMSC},
		{"13800138000", strings.Repeat("中", 67*255+1), Options{}, ErrTooLong},
	}
	for _, tc := range tests {
		_, err := Encode(tc.to, tc.text, tc.opt)
		if !errors.Is(err, tc.want) {
			t.Errorf("Encode(%q, %d bytes) = %v, want %v", tc.to, len(tc.text), err, tc.want)
		}
		var p interface{ Permanent() bool }
		if !errors.As(err, &p) || !p.Permanent() {
			t.Errorf("%v should be permanent", err)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"13800138000", "+8613800138000"},
		{"8613800138000", "+8613800138000"},
		{"+8613800138000", "+8613800138000"},
		{"008613800138000", "+8613800138000"},
		{"+46708251358", "+46708251358"},
		{"10086", "10086"},
		{"01012345678", "01012345678"},
		{"23800138000", "23800138000"}, // 11 digits not starting with 1: not a Chinese mobile
	}
	for _, tc := range tests {
		n, err := ParseNumber(tc.in)
		if err != nil || n.String() != tc.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %s", tc.in, n, err, tc.want)
		}
	}
}

func TestRelativeValidity(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want byte
	}{
		{time.Minute, 0}, {5 * time.Minute, 0}, {6 * time.Minute, 1}, {12 * time.Hour, 143},
		{12*time.Hour + time.Minute, 144}, {24 * time.Hour, 167}, {25 * time.Hour, 168},
		{4 * 24 * time.Hour, 170}, {30 * 24 * time.Hour, 196}, {31 * 24 * time.Hour, 197},
		{63 * 7 * 24 * time.Hour, 255}, {1000 * 24 * time.Hour, 255},
	}
	for _, tc := range tests {
		if got := RelativeValidity(tc.d); got != tc.want {
			t.Errorf("RelativeValidity(%v) = %d, want %d", tc.d, got, tc.want)
		}
		if back := ValidityDuration(tc.want); back < tc.d && tc.want != 255 {
			t.Errorf("ValidityDuration(%d) = %v, shorter than %v", tc.want, back, tc.d)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{
		"", "0", "zz", "00", "0001", // truncated
		"0000000B916407281553F80000AA0AE8329BFD4697D9EC37",   // SMS-DELIVER MTI
		"0011000B916407281553F80000AA0BE8329BFD4697D9EC37",   // UDL says 11 septets, 9 octets present
		"0011000B916407281553F80000AA0AE8329BFD4697D9EC3700", // trailing octet
		"0001000D91683108108300F00008034F6059",               // odd UCS2
		"0041000D91683108108300F00008020900",                 // header overruns
		"0041000D91683108108300F000080605000342030400",       // seq 4 of 3
		"0001000D91683108108300F00020024F60",                 // compressed
	} {
		if _, err := Decode(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q) = %v, want ErrMalformed", in, err)
		}
	}
}

func TestGSM7Table(t *testing.T) {
	if utf8.RuneCountInString(gsm7Basic) != 128 {
		t.Fatal("basic table must have 128 characters")
	}
	all := strings.ReplaceAll(gsm7Basic, "\x1b", "") + "^{}\\[~]|€\f"
	if !IsGSM7(all) {
		t.Fatal("the whole alphabet must be GSM 7-bit")
	}
	for _, s := range []string{"\x1b", "ç", "中", "`", "😀"} {
		if IsGSM7(s) {
			t.Errorf("%q must not be GSM 7-bit", s)
		}
	}
	got, err := Encode("10086", all, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, got, "10086", all, 0)
}

// checkParts decodes every part and checks headers, sizes and the text.
func checkParts(t *testing.T, parts []PDU, to, text string, ref byte) {
	t.Helper()
	var sb strings.Builder
	for i, p := range parts {
		s, err := Decode(p.Hex)
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if s.To != to || s.TPDULen != p.TPDULen || s.TPDULen != len(p.Hex)/2-1-scaLen(t, p.Hex) {
			t.Fatalf("part %d: to %q len %d/%d", i+1, s.To, s.TPDULen, p.TPDULen)
		}
		if len(parts) == 1 && s.Concat != nil {
			t.Fatalf("single part carries a concatenation header")
		}
		if len(parts) > 1 {
			c := s.Concat
			if c == nil || c.Ref != uint16(ref) || int(c.Total) != len(parts) || int(c.Seq) != i+1 {
				t.Fatalf("part %d: concat %+v", i+1, c)
			}
		}
		if ud := userDataOctets(s); ud > 140 {
			t.Fatalf("part %d: %d octets of user data", i+1, ud)
		}
		sb.WriteString(s.Text)
	}
	if sb.String() != text {
		t.Fatalf("round trip: got %q, want %q", sb.String(), text)
	}
}

// userDataOctets recomputes the size of TP-UD from the decoded text.
func userDataOctets(s Submit) int {
	hdr := 0
	if s.Concat != nil {
		hdr = udhConcat
	}
	if s.DCS == DCSUCS2 {
		return hdr + 2*len(utf16.Encode([]rune(s.Text)))
	}
	n := 0
	for _, r := range s.Text {
		n += gsm7Cost(r)
	}
	if hdr > 0 {
		return packedLen(udhSeptets + n)
	}
	return packedLen(n)
}

func scaLen(t *testing.T, hexPDU string) int {
	t.Helper()
	n, err := strconv.ParseUint(hexPDU[:2], 16, 8)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
