package smscode_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/smscode"
)

// A Check table step: send a code (send != "") or answer one (code), at an
// offset from the start.
type checkStep struct {
	at      time.Duration
	send    string
	code    string
	purpose string // "" → register
	phone   string // "" → phoneA
	want    error
	msg     string
}

func answer(at time.Duration, code string, want error, msg string) checkStep {
	return checkStep{at: at, code: code, want: want, msg: msg}
}

func TestCheckRules(t *testing.T) {
	const s, m = time.Second, time.Minute
	const right, wrong = "482915", "000000"
	issue := checkStep{send: right}
	wrongs := func(at time.Duration, n int) []checkStep {
		var out []checkStep
		for i := range n {
			out = append(out, answer(at, wrong, smscode.ErrWrongCode, "验证码错误，还可尝试"+string(rune('4'-i))+"次"))
		}
		return out
	}
	cat := func(parts ...[]checkStep) []checkStep {
		var out []checkStep
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		steps []checkStep
	}{
		{"right code once", []checkStep{issue,
			answer(10*s, right, nil, ""),
			answer(11*s, right, smscode.ErrInvalidated, "验证码已失效，请重新获取"),
		}},
		{"four wrong then right", cat([]checkStep{issue}, wrongs(s, 4), []checkStep{answer(2*s, right, nil, "")})},
		{"five wrong kill the code", cat([]checkStep{issue}, wrongs(s, 4), []checkStep{
			answer(2*s, wrong, smscode.ErrInvalidated, "验证码错误次数过多，验证码已失效，请重新获取"),
			answer(3*s, right, smscode.ErrInvalidated, "验证码已失效，请重新获取"),
		})},
		{"valid for five minutes", []checkStep{issue, answer(5*m-time.Nanosecond, right, nil, "")}},
		{"expired after five minutes", []checkStep{issue,
			answer(5*m, wrong, smscode.ErrExpired, "验证码已过期，请重新获取"), // not counted as a try
			answer(5*m, right, smscode.ErrExpired, ""),
		}},
		{"no code", []checkStep{
			answer(0, right, smscode.ErrNoCode, "请先获取验证码"),
			issue,
			{code: right, purpose: smscode.PurposeReset, want: smscode.ErrNoCode},
			{code: right, phone: phoneB, want: smscode.ErrNoCode},
			answer(0, right, nil, ""),
		}},
		{"a new code replaces the old one", []checkStep{issue,
			answer(s, wrong, smscode.ErrWrongCode, "验证码错误，还可尝试4次"),
			{at: 61 * s, send: "135790"},
			answer(62*s, right, smscode.ErrWrongCode, "验证码错误，还可尝试4次"), // tries start afresh
			answer(63*s, "135790", nil, ""),
		}},
		{"a new code after a killed one", cat([]checkStep{issue}, wrongs(s, 4), []checkStep{
			answer(2*s, wrong, smscode.ErrInvalidated, ""),
			{at: 61 * s, send: "135790"},
			answer(62*s, "135790", nil, ""),
		})},
		{"malformed input is not a try", cat([]checkStep{issue,
			answer(s, "", smscode.ErrCodeEmpty, "请输入短信验证码"),
			answer(s, "   ", smscode.ErrCodeEmpty, ""),
			answer(s, "48291", smscode.ErrCodeFormat, "验证码为6位数字，请核对后重新输入"),
			answer(s, "4829150", smscode.ErrCodeFormat, ""),
			answer(s, "48291a", smscode.ErrCodeFormat, ""),
			answer(s, "-48291", smscode.ErrCodeFormat, ""),
			answer(s, "٤٨٢٩١٥", smscode.ErrCodeFormat, ""), // Arabic-Indic digits are not ours
		}, wrongs(2*s, 4), []checkStep{answer(3*s, right, nil, "")})},
		{"typed with spaces", []checkStep{issue, answer(s, " 482 915\t", nil, "")}},
		{"full-width digits", []checkStep{issue, answer(s, "４８２９１５", nil, "")}},
		{"phone with spaces", []checkStep{issue, {code: right, phone: " " + phoneA + " "}}},
		{"invalid phone", []checkStep{issue,
			{code: right, phone: "1380013800", want: &model.DomainError{}, msg: "手机号码格式不正确，应为11位手机号"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for i, st := range tc.steps {
				f.at(st.at)
				purpose, phone := st.purpose, st.phone
				if purpose == "" {
					purpose = smscode.PurposeRegister
				}
				if phone == "" {
					phone = phoneA
				}
				if st.send != "" {
					f.mustSend(purpose, phone, st.send)
					continue
				}
				err := f.svc.Check(context.Background(), purpose, phone, st.code)
				if msg := checkSendErr(err, st.want, st.msg); msg != "" {
					t.Fatalf("step %d (%q at %v): %s", i, st.code, st.at, msg)
				}
			}
		})
	}
}

func TestWrongCodeErrorLeft(t *testing.T) {
	f := newFixture(t)
	f.mustSend(smscode.PurposeAppeal, phoneA, "111111")
	for want := 4; want >= 0; want-- {
		err := f.svc.Check(context.Background(), smscode.PurposeAppeal, phoneA, "222222")
		var w *smscode.WrongCodeError
		if !errors.As(err, &w) || w.Left != want {
			t.Fatalf("err = %v, want WrongCodeError{Left: %d}", err, want)
		}
		if killed := errors.Is(err, smscode.ErrInvalidated); killed != (want == 0) {
			t.Fatalf("Left %d: errors.Is(ErrInvalidated) = %v", want, killed)
		}
	}
}

// Another secret (another installation, or a hash copied from elsewhere)
// never accepts the code.
func TestSecretBindsHash(t *testing.T) {
	f := newFixture(t)
	f.mustSend(smscode.PurposePhone, phoneA, "246810")
	other := f.service("K01")
	other.Secret = []byte("another-secret-of-32-bytes-long!")
	if err := other.Check(context.Background(), smscode.PurposePhone, phoneA, "246810"); !errors.Is(err, smscode.ErrWrongCode) {
		t.Fatalf("Check under another secret: %v, want ErrWrongCode", err)
	}
	if err := f.svc.Check(context.Background(), smscode.PurposePhone, phoneA, "246810"); err != nil {
		t.Fatal(err)
	}
}

var codeInText = regexp.MustCompile(`验证码为(\d{6})，`)

// The code is stored as a keyed hash and the SMS text is sealed: neither
// the code digits nor the phone appear in any raw stored value, and the
// phone appears in no key. The code is the real crypto/rand one, read back
// from the outbox.
func TestCodeNeverStoredInPlaintext(t *testing.T) {
	f := newFixture(t)
	f.svc.Rand = nil
	for i, p := range []string{smscode.PurposeRegister, smscode.PurposeReset, smscode.PurposeAppeal} {
		f.at(time.Duration(i) * time.Minute)
		if _, err := f.svc.Send(context.Background(), f.pass(), p, phoneA); err != nil {
			t.Fatal(err)
		}
	}
	var codes []string
	f.view(func(tx model.Tx) error {
		due, err := tx.Outbox().Due(f.clock.Now(), 10)
		for _, m := range due {
			if sub := codeInText.FindStringSubmatch(m.Text); sub != nil {
				codes = append(codes, sub[1])
			}
		}
		c, err2 := tx.SMSCodes().Get(smscode.PurposeRegister, phoneA)
		if err2 == nil && strings.Contains(c.Hash, codes[0]) {
			t.Errorf("the hash %s contains the code %s", c.Hash, codes[0])
		}
		return errors.Join(err, err2)
	})
	if len(codes) != 3 {
		t.Fatalf("found %d codes in the outbox, want 3", len(codes))
	}
	raw := f.raw()
	for k, v := range raw {
		for _, c := range codes {
			if bytes.Contains(v, []byte(c)) {
				t.Errorf("code %s found in the value of %s", c, k)
			}
		}
		if bytes.Contains(v, []byte(phoneA)) || strings.Contains(k, phoneA) {
			t.Errorf("phone found in %s", k)
		}
	}
	// The codes still work: the stored form is enough to check them.
	if err := f.svc.Check(context.Background(), smscode.PurposeReset, phoneA, codes[1]); err != nil {
		t.Fatal(err)
	}
}

// Codes are uniform six-digit strings from the random source.
func TestCodesFromRandomSource(t *testing.T) {
	f := newFixture(t)
	f.svc.Rand = nil
	seen := map[string]bool{}
	for i := range 40 {
		phone := "137" + strings.Repeat("0", 4) + string(rune('0'+i/10)) + "00" + string(rune('0'+i%10))
		if _, err := f.svc.Send(context.Background(), f.pass(), smscode.PurposeRegister, phone); err != nil {
			t.Fatal(err)
		}
	}
	f.view(func(tx model.Tx) error {
		due, err := tx.Outbox().Due(f.clock.Now(), 100)
		for _, m := range due {
			sub := codeInText.FindStringSubmatch(m.Text)
			if sub == nil {
				t.Fatalf("no code in %q", m.Text)
			}
			seen[sub[1]] = true
		}
		return err
	})
	if len(seen) < 35 { // 40 draws from a million: repeats are rare
		t.Fatalf("only %d distinct codes in 40 sends", len(seen))
	}
}
