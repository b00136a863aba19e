package form

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// press sends k and feeds back what its commands yield (the meter's
// estimate), as the program would.
func press(f *Form, keys ...tea.KeyMsg) {
	for _, k := range keys {
		for _, m := range run(f.Update(k)) {
			f.Update(m)
		}
	}
}

// Identifiers are shown as the rules read them: full width folded, a USCC
// or an ID in upper case; free text and passwords are kept as typed.
func TestIdentifierFieldsFoldWidth(t *testing.T) {
	f := New(Config{Text: testText, ID: "w", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("account", "账号").Folded(),
		Text("uscc", "代码").Identifier(),
		Text("name", "名称"),
		Date("from", "开始日期"),
		Password("pw", "密码"),
	}}}})
	typeIn(f, "Ａｃｍｅ＿ｃｏｒｐ０１")
	f.Update(tab)
	typeIn(f, "９１１１０１０８ma01xh24xh")
	f.Update(tab)
	typeIn(f, "长春（汇瑞）")
	f.Update(tab)
	typeIn(f, "２０２４－０１－３１")
	f.Update(tab)
	typeIn(f, "Ｐass#2024x")
	for key, want := range map[string]string{"account": "Acme_corp01", "uscc": "91110108MA01XH24XH",
		"name": "长春（汇瑞）", "from": "2024-01-31", "pw": "ass#2024x"} {
		if got := f.Value(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if v := plain(f.View()); !strings.Contains(v, "91110108MA01XH24XH") || !strings.Contains(v, "Acme_corp01") {
		t.Errorf("normal forms not shown:\n%s", v)
	}
}

// The meter follows the typing, with the other values as inputs, and
// goes with the value.
func TestPasswordMeter(t *testing.T) {
	var seen []string
	f := New(Config{Text: testText, ID: "m", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("account", "账号").Folded(),
		Password("pw", "密码").Meter(func(v Values) []string {
			seen = append(seen, v.Text("account"))
			return []string{v.Text("account")}
		}),
		Password("plain", "旧密码"),
	}}}})
	typeIn(f, "songhua_farm")
	f.Update(tab)
	if strings.Contains(plain(f.View()), "强度") {
		t.Fatal("meter shown for an empty password")
	}
	press(f, keyRunes("P@ssw0rd")...)
	if v := plain(f.View()); !strings.Contains(v, "强度：弱 ▮▯▯▯") {
		t.Fatalf("weak meter not shown:\n%s", v)
	}
	if len(seen) == 0 || seen[len(seen)-1] != "songhua_farm" {
		t.Errorf("inputs %q", seen)
	}
	press(f, keyRunes("Songhua")...) // the account's word: still weak-ish, never strong
	if v := plain(f.View()); strings.Contains(v, "强度：强") {
		t.Errorf("a password built on the account is strong:\n%s", v)
	}
	f.Clear("pw")
	f.Focus("pw")
	press(f, keyRunes("q7#Vx!2mL9@zR")...)
	if v := plain(f.View()); !strings.Contains(v, "强度：强 ▮▮▮▮") {
		t.Fatalf("strong meter not shown:\n%s", v)
	}
	// A stale estimate (an older key's) does not replace the newest.
	pf := f.byKey["pw"].(*PasswordField)
	if pf.meter.take(strengthMsg{form: "m", key: "pw", seq: pf.meter.seq - 1, score: 0}) {
		t.Error("a stale estimate was taken")
	}
	f.Clear("pw")
	if strings.Contains(plain(f.View()), "强度") {
		t.Error("meter outlived its value")
	}
	f.Focus("plain")
	press(f, keyRunes("P@ssw0rd")...)
	if strings.Contains(plain(f.View()), "强度") {
		t.Error("a password without Meter shows one")
	}
}
