package screens

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/registry"
	"kiosk/screens/route"
)

// A result belongs to the visit that asked for it. Each journey here holds
// a use case (or the face verifier) while its visitor leaves with esc and
// a new visit of the same screen begins; then lets it finish. The late
// result must be dropped by the root: nothing logged in, nothing moved on,
// nothing written on its account.

// gate holds the first call made after arm until release; entered is
// closed when a call is held.
type gate struct {
	armed   atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) arm() { g.armed.Store(true) }

func (g *gate) hold() {
	if g.armed.CompareAndSwap(true, false) {
		close(g.entered)
		<-g.release
	}
}

func (g *gate) waitHeld(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(waitTimeout):
		t.Fatal("the call was never made")
	}
}

// gatedStore holds one transaction at the gate.
type gatedStore struct {
	model.Store
	g *gate
}

func (s gatedStore) View(ctx context.Context, fn func(model.Tx) error) error {
	s.g.hold()
	return s.Store.View(ctx, fn)
}

func (s gatedStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	s.g.hold()
	return s.Store.Update(ctx, fn)
}

// gatedHasher holds one password check at the gate.
type gatedHasher struct {
	model.PasswordHasher
	g *gate
}

func (h gatedHasher) Verify(phc, pw string) (bool, error) {
	h.g.hold()
	return h.PasswordHasher.Verify(phc, pw)
}

// gatedFace holds one verification at the gate.
type gatedFace struct {
	face.Verifier
	g *gate
}

func (v gatedFace) Verify(ctx context.Context, req face.Request) (face.Result, error) {
	v.g.hold()
	return v.Verifier.Verify(context.Background(), req) // the verdict comes, however late
}

// gatedAccounts is the fixture's account service on a gated store.
func (f *fixture) gatedAccounts(g *gate) *account.Service {
	s := *f.svc
	gs := gatedStore{Store: f.store, g: g}
	s.Store, s.Registry = gs, registry.StoreRegistry{Store: gs}
	return &s
}

// leaveAndReturn presses esc while the call is held, opens the same
// screen again, then lets the call finish and waits until the root has
// dropped its result.
func (k *kiosk) leaveAndReturn(g *gate, reopen func()) {
	k.t.Helper()
	g.waitHeld(k.t)
	k.key(tea.KeyEsc)
	k.confirmLeave() // what was typed is asked about first
	k.waitFor("欢迎使用单位服务自助终端")
	reopen()
	before := k.root.LateResults()
	close(g.release)
	eventually(k.t, "the late result dropped", func() bool { return k.root.LateResults() > before })
}

func TestJourneyStaleLoginNeverLogsIn(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	d := f.deps
	auth := *f.auth
	auth.Hasher = gatedHasher{PasswordHasher: f.auth.Hasher, g: g}
	d.Auth = &auth
	k := startKiosk(t, d)
	k.openEnterpriseLogin()
	g.arm()
	k.enterpriseAttempt(entAccount, entPassword)
	k.leaveAndReturn(g, k.openEnterpriseLogin)
	// The visit's end cancelled the login's context: it wrote nothing.
	if hasAudit(f.audit(), "login.enterprise", "ok") {
		t.Error("the abandoned login was recorded as a success")
	}
	k.typeText("x") // one more frame through the event loop
	k.waitFor("[x")
	r := k.finish()
	if r.Session() != nil || r.Current() != route.EnterpriseLogin.ID() {
		t.Fatalf("the late login reached the next visitor: at %s, session %+v", r.Current(), r.Session())
	}
	if v := formOf(t, r).Value("identifier"); v != "x" {
		t.Errorf("the new visit's form holds %q", v)
	}
}

func TestJourneyStaleForgotCheck(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	d := f.deps
	d.Accounts = f.gatedAccounts(g)
	k := startKiosk(t, d)
	k.openForgot()
	g.arm()
	k.forgotConfirm(rcAccount, rcRep, rcID, captchaText)
	k.leaveAndReturn(g, k.openForgot)
	r := k.finish()
	fm := formOf(t, r)
	if r.Current() != route.Forgot.ID() || fm.Step() != 0 || fm.Busy() {
		t.Fatalf("the late look-up moved the new visit on: at %s step %d busy %v", r.Current(), fm.Step(), fm.Busy())
	}
	if ticketHeld(t, r) {
		t.Errorf("the new visit holds the old visit's ticket")
	}
}

func TestJourneyStaleActivationCheck(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	d := f.deps
	d.Accounts = f.gatedAccounts(g)
	k := startKiosk(t, d)
	k.openActivate()
	g.arm()
	k.activatePending(pdUSCC)
	k.leaveAndReturn(g, k.openActivate)
	r := k.finish()
	fm := formOf(t, r)
	if r.Current() != route.Activate.ID() || fm.Step() != 0 || fm.Busy() {
		t.Fatalf("the late look-up moved the new visit on: at %s step %d busy %v", r.Current(), fm.Step(), fm.Busy())
	}
	if ticketHeld(t, r) {
		t.Errorf("the new visit holds the old visit's ticket")
	}
}

func TestJourneyStaleRegistrationCheck(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	d := f.deps
	d.Accounts = f.gatedAccounts(g)
	k := startKiosk(t, d)
	e := sampleTonghua
	// Step 2's registry check (after the code) is held; leaving is esc
	// from there.
	k.fillToCode(e)
	k.requestCode()
	k.waitFor("验证码已发送至")
	k.typeText(f.deliver(e.phone))
	g.arm()
	k.key(tea.KeyEnter)
	g.waitHeld(t)
	k.key(tea.KeyEsc) // 上一步: the held check is abandoned
	k.key(tea.KeyEsc) // and home, once confirmed
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.openRegister()
	before := k.root.LateResults()
	close(g.release)
	eventually(t, "the late result dropped", func() bool { return k.root.LateResults() > before })
	r := k.finish()
	fm := formOf(t, r)
	if r.Current() != route.Register.ID() || fm.Step() != 0 || fm.Busy() || fm.Value("name") != "" {
		t.Fatalf("the late check moved the new visit on: at %s step %d busy %v name %q",
			r.Current(), fm.Step(), fm.Busy(), fm.Value("name"))
	}
	if _, ok := f.enterpriseByUSCC(e.uscc); ok {
		t.Error("an enterprise was created")
	}
}

func TestJourneyStaleFaceVerdict(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	d := f.deps
	d.Face = gatedFace{Verifier: f.deps.Face, g: g}
	k := startKiosk(t, d)
	e := sampleTonghua
	f.toAccountStep(k, e)
	k.fillAccount(newAccount, newPassword, newPassword)
	g.arm()
	k.passFace()
	g.waitHeld(t)
	// 取消 (esc) while the verdict is awaited, then leave the flow for good.
	k.key(tea.KeyEsc)
	k.waitFor("已取消人脸比对")
	k.key(tea.KeyEsc)
	k.waitFor("确认密码")
	k.key(tea.KeyEsc)
	k.key(tea.KeyEsc)
	k.key(tea.KeyEsc) // step 1 with typed data: asks first
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.openRegister()
	before := k.root.LateResults()
	close(g.release)
	eventually(t, "the late verdict dropped", func() bool { return k.root.LateResults() > before })
	r := k.finish()
	if fm := formOf(t, r); r.Current() != route.Register.ID() || fm.Step() != 0 || !flowOf(t, r).OnForm() {
		t.Fatalf("the late verdict moved the new visit on: at %s step %d", r.Current(), fm.Step())
	}
	if _, ok := f.enterpriseByUSCC(e.uscc); ok {
		t.Error("an enterprise was created from a verdict that came after its visitor left")
	}
}
