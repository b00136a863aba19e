package screens

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// The idle countdown's dialog keeps its size while the seconds count down
// (issue 10, item 8): "20" → "9" → "1", "seconds" → "second".

// TestJourneyIdleDialogSteady runs the whole countdown through the real
// root in Chinese and in English, a second at a time on the test clock,
// and reads the dialog's box off every frame: it is as wide at every
// second as at the first, and as wide as its widest text over the
// countdown (plus padding and border), not wider.
func TestJourneyIdleDialogSteady(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		num  *regexp.Regexp // finds the seconds in the line that shows them
	}{
		{i18n.Chinese, regexp.MustCompile(`将在 (\d+) 秒后`)},
		{i18n.English, regexp.MustCompile(`(\d+) seconds?\.`)},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			d := f.deps
			d.Language = tc.lang
			k := startKiosk(t, d)
			k.openEnterpriseLogin()
			k.typeText(entAccount) // something to wipe: the countdown runs
			k.waitFor(entAccount)
			total := int(DefaultIdleCountdown / time.Second)
			widths := k.countdownWidths(f.clock, tc.num, total)
			r := k.finish()
			want := countdownTextWidth(r, tc.lang, total) + r.app.St.Overlay.GetHorizontalFrameSize()
			for n := total; n >= 1; n-- {
				if widths[n] != widths[total] {
					t.Errorf("the box is %d cells wide at %d s, %d at %d s", widths[n], n, widths[total], total)
				}
			}
			if widths[total] != want {
				t.Errorf("the box is %d cells wide, want %d: its widest text and frame", widths[total], want)
			}
		})
	}
}

// countdownWidths lets the idle timeout pass and then runs the countdown
// down to its last second, one second at a time, each drawn before the
// next: the width of the dialog's box at each second, read off the line
// that shows the seconds (from one ║ to the other).
func (k *kiosk) countdownWidths(clock *clocktest.Clock, num *regexp.Regexp, total int) map[int]int {
	k.t.Helper()
	widths := map[int]int{}
	var out bytes.Buffer
	clock.Add(DefaultIdleTimeout + time.Second)
	for n := total; n >= 1; n-- {
		if n < total {
			clock.Add(time.Second)
		}
		for deadline := time.Now().Add(waitTimeout); ; time.Sleep(5 * time.Millisecond) {
			if _, err := out.ReadFrom(k.tm.Output()); err != nil {
				k.t.Fatal(err)
			}
			text := out.String()
			lines := strings.Split(text[:strings.LastIndexByte(text, '\n')+1], "\n") // whole lines only
			for _, l := range lines {
				m := num.FindStringSubmatch(l)
				first, last := strings.Index(l, "║"), strings.LastIndex(l, "║")
				if m == nil || first < 0 || last == first {
					continue
				}
				s, _ := strconv.Atoi(m[1])
				widths[s] = ansi.StringWidth(l[first : last+len("║")])
			}
			if _, ok := widths[n]; ok {
				break
			}
			if time.Now().After(deadline) {
				k.t.Fatalf("the countdown never showed %d s; seen %v; output:\n%s", n, widths, text)
			}
		}
	}
	return widths
}

// countdownTextWidth is the widest line of the dialog's text over the
// countdown, wrapped to the room of the old fixed box (64 cells with the
// padding).
func countdownTextWidth(r *Root, lang i18n.Lang, total int) int {
	room := min(countdownWidth, r.width-4) - r.app.St.Overlay.GetHorizontalPadding()
	cat := i18n.Default()
	w := 0
	texts := []string{cat.Render(lang, i18n.T("shell.idle_wipe"))}
	for n := 1; n <= total; n++ {
		texts = append(texts, cat.Render(lang, i18n.T("shell.idle_countdown", "N", n)))
	}
	for _, s := range texts {
		for _, l := range widget.Wrap(s, room) {
			w = max(w, ansi.StringWidth(l))
		}
	}
	return w
}

// TestCountdownDialogSize: in every language, at the smallest and a wide
// terminal, for the default countdown and a long one, the dialog has one
// size over all the seconds it shows, and the sentence never moves the
// wipe notice below it.
func TestCountdownDialogSize(t *testing.T) {
	for _, countdown := range []time.Duration{DefaultIdleCountdown, 150 * time.Second} {
		for _, size := range [][2]int{{MinWidth, MinHeight}, {160, 50}} {
			r := newRoot(t, Deps{IdleCountdown: countdown}, size[0], size[1])
			for _, lang := range i18n.Langs {
				r.app.SetLang(lang)
				var w, h, wipeAt int
				for n := int(countdown / time.Second); n >= 1; n-- {
					r.remaining = n
					v := r.countdownView()
					if n == int(countdown/time.Second) {
						w, h = ansi.StringWidth(strings.Split(v, "\n")[0]), strings.Count(v, "\n")+1
					}
					lines := strings.Split(v, "\n")
					if len(lines) != h {
						t.Errorf("%s %v %s: %d lines at %d s, %d at the start", lang, size, countdown, len(lines), n, h)
					}
					for i, l := range lines {
						if lw := ansi.StringWidth(l); lw != w {
							t.Errorf("%s %v %s: line %d is %d cells at %d s, the box %d:\n%s", lang, size, countdown, i, lw, n, w, v)
						}
					}
					wipe := string([]rune(r.app.S("shell.idle_wipe"))[:4])
					at := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, wipe) })
					if n == int(countdown/time.Second) {
						wipeAt = at
					}
					if at < 0 || at != wipeAt {
						t.Errorf("%s %v: the wipe notice is on line %d at %d s, %d at the start:\n%s", lang, size, at, n, wipeAt, v)
					}
				}
				if w > countdownWidth+2 {
					t.Errorf("%s %v: the box is %d cells wide", lang, size, w)
				}
			}
		}
	}
}

// eachSecond measures every second a countdown of up to 199 s shows, and
// for a longer one every length and the last two digits of it.
func TestEachSecond(t *testing.T) {
	var got []int
	eachSecond(1234, func(n int) { got = append(got, n) })
	if len(got) != 199+100 || got[0] != 1 || got[198] != 199 || got[199] != 1000 || got[len(got)-1] != 1099 {
		t.Errorf("eachSecond(1234) = %v", got)
	}
	got = got[:0]
	eachSecond(20, func(n int) { got = append(got, n) })
	if len(got) != 20 || got[19] != 20 {
		t.Errorf("eachSecond(20) = %v", got)
	}
}
