package main

import "testing"

// The reference applies the rules a Korean reader applies.
func TestStandardPronunciation(t *testing.T) {
	for word, want := range map[string]string{
		"합니다":    "함니다",
		"입력하십시오": "임녀카십씨오",
		"축하":     "추카",
		"좋아":     "조아",
		"좋다":     "조타",
		"놓는":     "논는",
		"같이":     "가치",
		"굳이":     "구지",
		"값이":     "갑씨",
		"밝은":     "발근",
		"옷을":     "오슬",
		"신라":     "실라",
		"설날":     "설랄",
		"국립":     "궁닙",
		"종로":     "종노",
		"학교":     "학꾜",
		"먹는":     "멍는",
		"확인":     "화긴",
		"로동":     "로동", // 조선어: no 두음법칙
		"있습니다":   "읻씀니다",
		"닭":      "닥",
	} {
		if got := pronounce(standard(word)); got != want {
			t.Errorf("standard(%s) = %s, want %s", word, got, want)
		}
	}
}

func TestParseKo(t *testing.T) {
	for _, tt := range []struct {
		ph   string
		want []string
	}{
		{"'annj@Nh,asipn,iq-a", []string{"V:a", "C:n", "O:N", "V:yeo", "C:ng", "O:H", "V:a", "O:S", "V:i", "C:p", "O:N", "V:i", "O:KK", "V:a"}},
		{"h'u-jmaN", []string{"O:H", "V:ui", "O:M", "V:a", "C:ng"}},
		{"g'atS;hi", []string{"O:K", "V:a", "O:CH", "V:i"}},
		{"weq'uq", []string{"V:we", "O:K", "V:u", "C:k"}},
		{"(en)b'i:", []string{"?", "O:P", "V:i"}},
	} {
		got, _ := parseKo(tt.ph)
		if len(got) != len(tt.want) {
			t.Errorf("parseKo(%q) = %q, want %q", tt.ph, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseKo(%q) = %q, want %q", tt.ph, got, tt.want)
				break
			}
		}
	}
}

// Missing nasal assimilation is an error against the standard but not
// garble; a wrong vowel is both.
func TestCompareKo(t *testing.T) {
	for _, tt := range []struct {
		word, ph          string
		errStd, errGarble int
	}{
		{"합니다", "h'apnid,a", 1, 0},
		{"합니다", "h'amnid,a", 0, 0},
		{"합니다", "h'ompnid,a", 2, 2},
		{"합니다", "h'apn'ida", 1, 0},
		{"같이", "g'atS;hi", 0, 0},
		{"같이", "g'athi", 1, 0},
		{"같이", "g'adi", 1, 1},
		{"신라", "s'in*a", 1, 0},
		{"한국", "h'anquq", 0, 0},
		{"한국", "h'an", 3, 3},
		{"인의", "'inu-j", 0, 0},
		{"희망", "h'u-jmaN", 1, 0},
		{"올리기", "'oliq,i", 0, 0},
	} {
		w := compareKo(tt.word, tt.ph)
		if w.errStd != tt.errStd || w.errGarble != tt.errGarble {
			t.Errorf("compareKo(%s, %s) = std %d, garble %d; want %d, %d", tt.word, tt.ph, w.errStd, w.errGarble, tt.errStd, tt.errGarble)
		}
	}
}
