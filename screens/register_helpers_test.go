package screens

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/assets"
	"kiosk/devices/face/demo"
	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/smscode"
	"kiosk/screens/form"
	"kiosk/storage"
)

// regFixture is the demo store (sample registry and seed accounts) on
// bbolt in a temp dir, the account service, the simulated phone with its
// outbox worker, the demo face verifier and the replay camera, on a fake
// clock.
type regFixture struct {
	t      *testing.T
	store  *storage.Store
	clock  *fakeClock
	deps   Deps
	svc    *account.Service
	phone  *sim.Sender
	worker *sms.Worker
	log    *bytes.Buffer
}

// regNow is when the registration journeys happen: after the demo data's
// issue dates, so every sample ID card is valid.
var regNow = time.Date(2026, 11, 27, 10, 0, 0, 0, cst)

func newRegFixture(t *testing.T) *regFixture {
	t.Helper()
	st := openStore(t)
	clock := &fakeClock{t: regNow}
	hasher := pwhash.New(pwhash.Fast)
	err := registry.SeedDemo(context.Background(), st, hasher, clock,
		bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
	if err != nil {
		t.Fatal(err)
	}
	codes := &smscode.Service{Store: st, Clock: clock, Kiosk: "KIOSK-T1", Secret: st.Keys().Derive("sms-code")}
	svc := &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: clock, Hasher: hasher,
		Codes: codes, Kiosk: "KIOSK-T1", AllowDemoFace: true}
	phone := sim.New(sim.Options{Clock: clock})
	worker := &sms.Worker{Store: st, Sender: phone, Clock: clock}
	fv, err := demo.New(true)
	if err != nil {
		t.Fatal(err)
	}
	fv.Delay = 10 * time.Millisecond
	logBuf := &bytes.Buffer{}
	f := &regFixture{t: t, store: st, clock: clock, svc: svc, phone: phone, worker: worker, log: logBuf}
	f.deps = Deps{
		Auth:     &model.Auth{Store: st, Clock: clock, Hasher: hasher, Kiosk: "KIOSK-T1"},
		Accounts: svc, Clock: clock, Demo: true, KioskID: "KIOSK-T1",
		Captcha: captcha.New(clock, func() string { return captchaText }, captcha.WithSeeds(captcha.Counter(1))),
		Log:     slog.New(slog.NewTextHandler(logBuf, nil)),
		Camera:  faceCamera(), Face: fv, SMSCodes: codes, Phone: phone, Outbox: worker,
	}
	return f
}

// A sample enterprise of assets/demo/ACCOUNTS.md that has no account yet.
type sampleEnt struct {
	legalType, name, uscc, rep, id string
	period                         int // radio presses: 1 5年, 2 10年, 3 20年, 4 长期有效
	from, phone                    string
}

var (
	// 10年: born 2001, issued at 22.
	sampleTonghua = sampleEnt{"企业法人", "通化弘诚农业科技有限责任公司", "91220502076366391J", "冯强",
		"220502200106123816", 2, "2023-11-25", "18750182385"}
	// 长期有效: born 1957.
	sampleQijin = sampleEnt{"企业法人", "长春启锦科技有限公司", "91220105155670746F", "邓璐静",
		"220105195701092800", 4, "2022-08-04", "15837570777"}
	// 20年: born 1981.
	sampleLanglan = sampleEnt{"企业法人", "延边朗澜物流有限公司", "91222403655105698A", "王伟",
		"220104198102090819", 3, "2013-10-25", "15040761991"}
)

const (
	newAccount  = "tonghua_2026"
	newPassword = "Tonghua#2026"
)

// openRegister goes from home to 立即注册.
func (k *kiosk) openRegister() {
	k.t.Helper()
	k.click(HomeZone(2))
	k.waitFor("统一社会信用代码")
}

// fillEnterprise fills step 1 (the focus is on 法人类型) and presses 下一步.
func (k *kiosk) fillEnterprise(name, uscc string) {
	k.key(tea.KeyRight) // 企业法人
	k.key(tea.KeyTab)
	k.typeText(name)
	k.key(tea.KeyTab)
	k.typeText(uscc)
	k.key(tea.KeyEnter)
}

// fillRep fills step 2 up to the phone (the focus is on 法定代表人姓名) and
// leaves the focus on 短信验证码.
func (k *kiosk) fillRep(rep, id string, period int, from, phone string) {
	k.typeText(rep)
	k.key(tea.KeyTab)
	k.key(tea.KeyTab) // 证件类型 is preset
	k.typeText(id)
	k.key(tea.KeyTab)
	for range period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeText(from)
	k.key(tea.KeyTab)
	k.key(tea.KeyTab) // 结束日期 is derived
	k.typeText(phone)
	k.key(tea.KeyTab)
}

// fillToCode opens 立即注册 and fills step 1 and step 2 up to the phone
// with e, leaving the focus on 短信验证码.
func (k *kiosk) fillToCode(e sampleEnt) {
	k.t.Helper()
	k.openRegister()
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor("法定代表人姓名")
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
}

// waitForAll waits until every s appears in the output drawn after the
// previous wait (waitFor would consume a frame holding several of them).
func (k *kiosk) waitForAll(ss ...string) {
	k.t.Helper()
	var seen bytes.Buffer
	deadline := time.Now().Add(waitTimeout)
	for {
		all := true
		for _, s := range ss {
			all = all && bytes.Contains(seen.Bytes(), []byte(s))
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			_ = k.tm.Quit()
			k.t.Fatalf("%q not all drawn within 5s; output since the last wait:\n%s", ss, seen.String())
		}
		if _, err := seen.ReadFrom(k.tm.Output()); err != nil {
			k.t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// requestCode presses 获取验证码 (F5 on the focused code field).
func (k *kiosk) requestCode() { k.key(tea.KeyF5) }

var smsCodeText = regexp.MustCompile(`验证码为(\d{6})，`)

// deliver runs the outbox once and returns the newest code the phone got,
// as a person reads it off their phone.
func (f *regFixture) deliver(phone string) string {
	f.t.Helper()
	if _, err := f.worker.RunOnce(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	msgs := f.phone.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.HasSuffix(msgs[i].To, phone) {
			if m := smsCodeText.FindStringSubmatch(msgs[i].Text); m != nil {
				return m[1]
			}
		}
	}
	f.t.Fatalf("no code delivered to %s: %+v", phone, msgs)
	return ""
}

// toAccountStep registers e up to step 3 (设置账号) with a fresh code.
func (f *regFixture) toAccountStep(k *kiosk, e sampleEnt) {
	f.t.Helper()
	k.fillToCode(e)
	f.answerCode(k, e.phone)
}

// answerCode requests a code on the focused 短信验证码 field, types it as
// phone got it and presses Enter, on to the step with 确认密码.
func (f *regFixture) answerCode(k *kiosk, phone string) {
	f.t.Helper()
	k.requestCode()
	k.waitFor("验证码已发送至")
	k.typeText(f.deliver(phone))
	k.key(tea.KeyEnter)
	k.waitFor("确认密码")
}

// fillAccount fills step 3 (the focus is on 企业账号) and presses 注册.
func (k *kiosk) fillAccount(acct, pw, confirm string) {
	k.typeText(acct)
	k.key(tea.KeyTab)
	k.typeText(pw)
	k.key(tea.KeyTab)
	k.typeText(confirm)
	k.key(tea.KeyEnter)
}

// passFace takes the picture once the preview runs; the demo verifier
// matches.
func (k *kiosk) passFace() {
	k.waitFor("【拍照】")
	k.key(tea.KeyEnter)
}

func registerForm(t *testing.T, r *Root) *form.Form {
	t.Helper()
	fl, ok := r.cur.(*regFlow)
	if !ok {
		t.Fatalf("current screen %s is not a registration", r.curID)
	}
	return fl.form
}

func (f *regFixture) enterpriseByUSCC(uscc string) (model.Enterprise, bool) {
	f.t.Helper()
	return findRecord(f.t, f.store, func(tx model.Tx) (model.Enterprise, error) { return tx.Enterprises().ByUSCC(uscc) })
}

func (f *regFixture) audit() []model.AuditRecord {
	f.t.Helper()
	return auditLog(f.t, f.store)
}

func (f *regFixture) countAudit(action string) int {
	n := 0
	for _, r := range f.audit() {
		if r.Action == action {
			n++
		}
	}
	return n
}

// notices are the notice SMS of the outbox to phone, in any state.
func (f *regFixture) notices(phone string) []model.OutboundSMS {
	f.t.Helper()
	var out []model.OutboundSMS
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		for _, s := range []model.OutboxState{model.OutboxPending, model.OutboxSent} {
			msgs, err := tx.Outbox().List(s, 1000)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if m.Kind == model.SMSKindNotice && strings.HasSuffix(m.To, phone) {
					out = append(out, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}
