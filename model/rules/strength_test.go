package rules

import (
	"strings"
	"testing"
)

// The registration's inputs: account, enterprise name, legal representative.
const (
	regAccount = "tonghua_farm1"
	regName    = "通化弘诚农业科技有限责任公司"
	regRep     = "冯强"
)

func TestCheckPasswordStrength(t *testing.T) {
	for _, tt := range []struct {
		pw, account string
		names       []string
		code        string
	}{
		{"P@ssw0rd", regAccount, []string{regName, regRep}, "password_weak"},
		{"P@ssw0rd", "", nil, "password_weak"},
		// The account, whole or its pinyin part, and a Latin enterprise name.
		{"X#Tonghua_Farm1", regAccount, []string{regName, regRep}, "password_account"},
		{"Tonghua#2026", regAccount, []string{regName, regRep}, "password_weak"},
		{"Xinghe#2024Qz", "acme_corp01", []string{"Xinghe科技有限公司", "张三"}, "password_name"},
		{"ｘinghe#2024Qz", "acme_corp01", []string{"Ｘｉｎｇｈｅ科技有限公司"}, "password_char"},
		// Strong ones.
		{"Yanbian@2027x", regAccount, []string{regName, regRep}, ""},
		{"Crash#2026ok", "", nil, ""},
		{"Kiosk@2026", "demo_corp01", nil, ""}, // the demo password
	} {
		err := CheckPassword(tt.pw, tt.account, tt.names...)
		if Code(err) != tt.code {
			t.Errorf("CheckPassword(%q, %q, %q) = %v; want %q (score %d)", tt.pw, tt.account, tt.names, err, tt.code,
				PasswordScore(tt.pw, append([]string{tt.account}, tt.names...)...))
		}
		if err != nil && !sentence(Message(err)) {
			t.Errorf("CheckPassword(%q): no message", tt.pw)
		}
	}
	if m := zh(Message(CheckPassword("P@ssw0rd", ""))); !strings.Contains(m, "强度") {
		t.Errorf("weak password message %q", m)
	}
}

func TestPasswordScore(t *testing.T) {
	for _, tt := range []struct {
		pw       string
		inputs   []string
		min, max int
	}{
		{"", nil, 0, 0},
		{"P@ssw0rd", nil, 0, 1},
		{"tonghua2026", []string{regAccount}, 0, 2},
		{"Yanbian@2027x", nil, 3, 4},
		{"q7#Vx!2mL9@zR", nil, 4, 4},
	} {
		if s := PasswordScore(tt.pw, tt.inputs...); s < tt.min || s > tt.max {
			t.Errorf("PasswordScore(%q, %q) = %d; want %d–%d", tt.pw, tt.inputs, s, tt.min, tt.max)
		}
	}
}

// BenchmarkPasswordScore is the estimate the meter makes on each keystroke
// of a new password, with the registration's inputs.
func BenchmarkPasswordScore(b *testing.B) {
	WarmPasswordScore()
	pws := []string{"P@ssw0rd", "Yanbian@2027x", "Tonghua#2026", "q7#Vx!2mL9@zR", "Ab1!Ab1!Ab1!Ab1!Ab1!"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		PasswordScore(pws[i%len(pws)], regAccount, regName, regRep)
		i++
	}
}
