package widget

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapTable(t *testing.T) {
	for _, tc := range []struct {
		text string
		w    int
		want []string
	}{
		{"", 10, []string{""}},
		{"   ", 10, []string{""}},
		{"短信", 10, []string{"短信"}},
		{"短信", 0, []string{"短", "信"}}, // w < 1 counts as 1; a wide character still has to go somewhere
		{"您的验证码为482915", 14, []string{"您的验证码为", "482915"}},
		{"码为482915。", 6, []string{"码为", "482915", "。"}}, // the run and its mark are wider than w: cut
		{"码为482915。", 8, []string{"码为", "482915。"}},
		{"ABCDEFGHIJ", 4, []string{"ABCD", "EFGH", "IJ"}},
		{"码为ABCDEFGHIJ好", 4, []string{"码为", "ABCD", "EFGH", "IJ好"}},
		{"a b", 2, []string{"a", "b"}},
		{"a  b", 3, []string{"a", "b"}},
		{"a  b", 4, []string{"a  b"}},
		{"  indented text", 10, []string{"  indented", "text"}},
		{"本人操作，请忽略", 8, []string{"本人操", "作，请忽", "略"}},
		{"码为482915，5分钟", 10, []string{"码为", "482915，5", "分钟"}},
		{"请使用《忘记密码》找回", 8, []string{"请使用", "《忘记密", "码》找回"}},
		{"请使用“忘记密码”找回", 8, []string{"请使用", "“忘记密", "码”找回"}},
		{"(备注)说明", 4, []string{"(备", "注)", "说明"}},
		{"第一行\n第二行", 20, []string{"第一行", "第二行"}},
		{"a\n\nb", 5, []string{"a", "", "b"}},
		{"a\n", 5, []string{"a", ""}},
		// English: at spaces, never inside a word.
		{"Enterprise account tonghua_farm1 is now active.", 20,
			[]string{"Enterprise account", "tonghua_farm1 is now", "active."}},
		{"Enterprise account tonghua_farm1 is now active.", 13,
			[]string{"Enterprise", "account", "tonghua_farm1", "is now", "active."}},
		{"Write to help@kiosk.example-gov.cn today", 25,
			[]string{"Write to", "help@kiosk.example-gov.cn", "today"}},
		// A word too wide for a line is cut around the run in it, which
		// stays whole while it fits; a longer run is cut where the line is full.
		{"账号（tonghua_farm1）已激活", 13, []string{"账号（", "tonghua_farm1", "）已激活"}},
		{"账号（tonghua_farm1）已激活", 15, []string{"账号（", "tonghua_farm1）", "已激活"}},
		{"账号（tonghua_farm1）已激活", 17, []string{"账号", "（tonghua_farm1）", "已激活"}},
		{"Write to help@kiosk.example-gov.cn today", 24,
			[]string{"Write to", "help@kiosk.example-gov.c", "n today"}},
		// Korean: at spaces only, like English.
		{"기업계정 tonghua_farm1의 활성화를 완료하였습니다.", 20,
			[]string{"기업계정", "tonghua_farm1의", "활성화를", "완료하였습니다."}},
		{"기업계정 tonghua_farm1의 활성화를 완료하였습니다.", 24,
			[]string{"기업계정 tonghua_farm1의", "활성화를 완료하였습니다."}},
		{"오래동안 조작이 없어 20초후 첫 화면으로", 12,
			[]string{"오래동안", "조작이 없어", "20초후 첫", "화면으로"}},
		// Chinese with spaces: the space is dropped at the break.
		{"企业账号 tonghua_farm1 的登录密码已重置，原有登录已全部退出。", 16,
			[]string{"企业账号", "tonghua_farm1 的", "登录密码已重置，", "原有登录已全部退", "出。"}},
	} {
		got := Wrap(tc.text, tc.w)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tc.text, tc.w, got, tc.want)
		}
		checkWrap(t, tc.text, tc.w, got)
	}
}

// An account name in a Chinese sentence, at every width from the name's
// own to the whole sentence's: it is always on one line, and the sentence
// breaks next to it rather than inside it. Narrower, it is cut, starting a
// line of its own and filling each line.
func TestWrapKeepsTheAccountWhole(t *testing.T) {
	for _, acct := range []string{"tonghua_farm1", "tg_farm2026", "ab-c.d@e_f", "91220502076366391J"} {
		for _, text := range []string{
			"您的企业账号" + acct + "已注册成功，请妥善保管账号和密码。",
			"【统一身份认证平台】您的企业账号" + acct + "已注册成功，请妥善保管账号和密码。",
			"企业账号 " + acct + " 的登录密码已重置，原有登录已全部退出。",
			"账号（" + acct + "）已激活",
		} {
			name := len(acct) // ASCII: one cell a byte
			for w := 1; w <= ansi.StringWidth(text)+2; w++ {
				lines := Wrap(text, w)
				checkWrap(t, text, w, lines)
				var whole bool
				for _, l := range lines {
					whole = whole || strings.Contains(l, acct)
				}
				if w >= name && !whole {
					t.Errorf("Wrap(%q, %d) splits the account: %q", text, w, lines)
				}
				if w < name && !strings.Contains(text, "（") { // cut, the first piece on a line of its own and full
					if !slices.Contains(lines, acct[:w]) {
						t.Errorf("Wrap(%q, %d) = %q: no line is %q", text, w, lines, acct[:w])
					}
				}
			}
		}
	}
}

func TestWrapWidthBelowOne(t *testing.T) {
	for _, w := range []int{0, -5} {
		if got := Wrap("ab c", w); strings.Join(got, "|") != "a|b|c" {
			t.Errorf("Wrap(%q, %d) = %q", "ab c", w, got)
		}
	}
}

// Random sentences of CJK, Hangul, words, account names, marks and
// spaces: the properties hold at every width.
func TestWrapProperties(t *testing.T) {
	pieces := []string{"账", "号", "已", "注册", "成功", "，", "。", "、", "（", "）", "《", "》", "“", "”",
		"tonghua_farm1", "482915", "a", "word", "x.y@z-w", " ", " ", "  ", "기업", "계정", "의", "!", "?", "(", ")",
		"\n", "é", "e\u0301", "🇨🇳", "👍🏽", "ｆｕｌｌ"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text, w := b.String(), 1+rng.IntN(40)
		checkWrap(t, text, w, Wrap(text, w))
	}
}

// wordRun is a run the wrapper never cuts when it fits: account names,
// codes, e-mail addresses, English words.
var wordRun = regexp.MustCompile(`[A-Za-z0-9_.@-]+`)

// checkWrap checks the properties of Wrap(text, w) = lines:
//   - at least one line; none wider than w unless it is one character;
//   - the lines are text in order, with only spaces and line breaks left
//     out between them, so the text without spaces is the lines' without
//     spaces;
//   - a line starts with a space only at the start of a paragraph (a space
//     bearing a combining mark is a character like any other);
//   - every run of account characters that fits on a line is on one line.
func checkWrap(t *testing.T, text string, w int, lines []string) {
	t.Helper()
	if len(lines) == 0 {
		t.Fatalf("Wrap(%q, %d): no line", text, w)
	}
	type span struct{ start, end int }
	spans := make([]span, len(lines))
	at := 0
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > max(w, 1) && !oneCluster(l) {
			t.Fatalf("Wrap(%q, %d): line %d %q is %d cells", text, w, i, l, lw)
		}
		for !strings.HasPrefix(text[at:], l) {
			if at >= len(text) || text[at] != ' ' && text[at] != '\n' {
				t.Fatalf("Wrap(%q, %d) = %q: line %d is not the text that follows, less spaces", text, w, lines, i)
			}
			at++
		}
		if c, _ := ansi.FirstGraphemeCluster(l+"x", ansi.GraphemeWidth); c == " " && at > 0 && text[at-1] != '\n' {
			t.Fatalf("Wrap(%q, %d) = %q: line %d starts with a space", text, w, lines, i)
		}
		spans[i] = span{at, at + len(l)}
		at += len(l)
	}
	if strings.Trim(text[at:], " \n") != "" {
		t.Fatalf("Wrap(%q, %d) = %q: text left over", text, w, lines)
	}
	noSpace := func(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }
	if got, want := noSpace(strings.Join(lines, "")), noSpace(text); got != want {
		t.Fatalf("Wrap(%q, %d) = %q: text changed", text, w, lines)
	}
	if n := strings.Count(text, "\n") + 1; len(lines) < n {
		t.Fatalf("Wrap(%q, %d) = %q: fewer lines than paragraphs", text, w, lines)
	}
	for _, run := range wordRun.FindAllStringIndex(text, -1) {
		if run[1]-run[0] > w || isMarkedRun(text, run[0], run[1]) {
			continue
		}
		whole := false
		for _, s := range spans {
			whole = whole || s.start <= run[0] && run[1] <= s.end
		}
		if !whole {
			t.Fatalf("Wrap(%q, %d) = %q: the run %q is split", text, w, lines, text[run[0]:run[1]])
		}
	}
}

// isMarkedRun: the run's last letter bears a mark (e and U+0301): it
// is no account character then, and the run is shorter than it looks.
func isMarkedRun(text string, _, end int) bool {
	c, _ := ansi.FirstGraphemeCluster(text[end-1:], ansi.GraphemeWidth)
	return len(c) > 1
}

func oneCluster(s string) bool {
	c, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	return len(c) == len(s)
}

// FuzzWrap: on any plain text (valid UTF-8, no escape sequence or C1
// control: what rules.Sanitize leaves) the properties of checkWrap hold.
func FuzzWrap(f *testing.F) {
	f.Add("【统一身份认证平台】您的企业账号tonghua_farm1已注册成功，请妥善保管账号和密码。", 34)
	f.Add("Enterprise account tonghua_farm1 is now active.", 13)
	f.Add("기업계정 tonghua_farm1의 활성화를 완료하였습니다.", 20)
	f.Add("，，，，，，，，，，。。。。", 4)
	f.Add("éa\u200db 🇨🇳 x,y.z!\n\n  e\u0301", 2)
	f.Fuzz(func(t *testing.T, text string, w int) {
		if w > 500 || w < -1 || !plain(text) {
			return
		}
		checkWrap(t, text, w, Wrap(text, w))
	})
}

// plain: valid UTF-8 without ESC and C1 controls, which start escape
// sequences (and so have a width of their own making).
func plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == 0x1b || r >= 0x80 && r < 0xa0 {
			return false
		}
	}
	return true
}

func BenchmarkWrap(b *testing.B) {
	for _, tc := range []struct {
		name, text string
		w          int
	}{
		{"zh", "【统一身份认证平台】您的企业账号tonghua_farm1已注册成功，请妥善保管账号和密码。如非本人操作，请立即联系窗口工作人员。", 34},
		{"en", "The login password of enterprise account tonghua_farm1 has been reset, and all existing logins have been ended.", 40},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Wrap(tc.text, tc.w)
			}
		})
	}
}
