package screens

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"kiosk/assets"
	"kiosk/devices/camera/replay"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
)

// zeroRand makes every SMS code 000000, so a golden file can show the
// simulated phone.
type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// Golden files of every step of 立即注册 and 账号激活 at the smallest
// (80×24) and the kiosk's (120×40) size, ASCII profile, each reached by a
// visitor's keys: `go test ./screens -run GoldenSteps -update` regenerates
// them; review the diff. Every frame is whole (checkRoot): hints and rules
// wrap under their fields, nothing is cut; where a step has a picture
// captcha, the focus is on it and the picture is on screen at full size.
func TestGoldenSteps(t *testing.T) {
	e := sampleTonghua
	// toCaptcha taps the captcha field; mark is its required mark ("* " or
	// two spaces).
	toCaptcha := func(k *kiosk, formID, mark string) {
		k.click(form.FieldZone(formID, "captcha"))
		k.waitFor("> " + mark + k.text("field.captcha"))
	}
	toActivateAccount := func(f *fixture, k *kiosk) {
		k.openActivate()
		k.activatePending(pdUSCC)
		k.waitFor("验证码将发送至预留手机号码", pdMasked)
		k.smsStep(f, pdPhone, pdMasked)
		k.waitFor(k.text("field.confirm"))
	}
	steps := []struct {
		name string
		run  func(f *fixture, k *kiosk)
		want []string // on screen, besides the frame being whole
	}{
		{"register1_enterprise", func(_ *fixture, k *kiosk) { k.openRegister() }, nil},
		{"register2_rep_captcha", func(_ *fixture, k *kiosk) {
			k.openRegister()
			k.fillEnterprise(e.name, e.uscc)
			k.waitFor(k.text("field.rep_name"))
			toCaptcha(k, accountui.RegisterForm, "  ")
		}, []string{"▄▄"}},
		{"register2_code_sent", func(_ *fixture, k *kiosk) {
			k.fillToCode(e)
			k.requestCode()
			k.waitFor("187****2385")
		}, []string{"187****2385"}},
		{"register3_account", func(f *fixture, k *kiosk) { f.toAccountStep(k, e) },
			[]string{"8-20"}},
		{"register4_face", func(f *fixture, k *kiosk) {
			f.toAccountStep(k, e)
			k.fillAccount(newAccount, newPassword, newPassword)
			k.waitFor("【" + k.text("capture.shoot") + "】")
		}, nil},
		{"register5_done", func(f *fixture, k *kiosk) {
			f.toAccountStep(k, e)
			k.fillAccount(newAccount, newPassword, newPassword)
			k.passFace()
			k.waitFor(newAccount)
		}, []string{newAccount}},
		{"activate1_confirm_captcha", func(_ *fixture, k *kiosk) {
			k.openActivate()
			toCaptcha(k, accountui.ActivateForm, "* ")
		}, []string{"▄▄"}},
		{"activate2_security", func(_ *fixture, k *kiosk) {
			k.openActivate()
			k.activatePending(pdUSCC)
			k.waitFor("验证码将发送至预留手机号码", pdMasked)
		}, []string{pdMasked}},
		{"activate3_account", toActivateAccount, []string{"8-20"}},
		{"activate4_done", func(f *fixture, k *kiosk) {
			toActivateAccount(f, k)
			k.typeFields(actAccount)
			k.passwords(actPass, actPass)
			k.waitFor("[4 " + k.text("activate.step_done") + "]")
		}, []string{actAccount}},
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, s := range steps {
			t.Run(fmt.Sprintf("%s_%dx%d", s.name, sz[0], sz[1]), func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				f.deps.SMSCodes.Rand = zeroRand{}
				f.deps.Camera = replay.New(assets.CameraFrames, replay.Options{Pattern: "camera/face-1.jpg", FPS: 30})
				k := startKioskAt(t, f.deps, sz[0], sz[1])
				s.run(f, k)
				r := k.finish()
				v := r.View()
				checkRoot(t, r)
				for _, w := range s.want {
					if !strings.Contains(v, w) {
						t.Errorf("%q not on screen:\n%s", w, v)
					}
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
