package smscode_test

import (
	"context"
	"encoding/binary"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

const (
	phoneA = "13800138000"
	phoneB = "13912345678"
)

var (
	secret = []byte("0123456789abcdef-test-secret")
	start  = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
)

// codeQueue is a random source that yields chosen codes: newCode reads 4
// big-endian bytes and takes them modulo 10^6.
type codeQueue struct {
	mu  sync.Mutex
	buf []byte
}

func (q *codeQueue) push(code string) {
	n, err := strconv.Atoi(code)
	if err != nil {
		panic(err)
	}
	q.mu.Lock()
	q.buf = binary.BigEndian.AppendUint32(q.buf, uint32(n))
	q.mu.Unlock()
}

func (q *codeQueue) Read(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.buf) == 0 {
		return 0, errors.New("codeQueue: no code queued")
	}
	n := copy(p, q.buf)
	q.buf = q.buf[n:]
	return n, nil
}

type fixture struct {
	t      testing.TB
	engine *memkv.Engine
	store  *storage.Store
	clock  *clocktest.Clock
	codes  *codeQueue
	gate   *captcha.Service
	svc    *smscode.Service
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	e := memkv.New()
	st, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, engine: e, store: st, clock: clocktest.New(start), codes: &codeQueue{}}
	f.gate = captcha.New(f.clock, nil)
	f.svc = f.service("K01")
	return f
}

// service returns another kiosk's service on the same store and clock.
func (f *fixture) service(kiosk string) *smscode.Service {
	return &smscode.Service{Store: f.store, Clock: f.clock, Kiosk: kiosk, Secret: secret, Rand: f.codes, Captcha: f.gate}
}

// pass answers a picture captcha now: the pass every Send takes.
func (f *fixture) pass() captcha.Pass {
	f.t.Helper()
	ch := f.gate.Issue()
	p, ok := f.gate.Answer(ch.ID, ch.Text)
	if !ok {
		f.t.Fatal("captcha answer refused")
	}
	return p
}

func (f *fixture) at(d time.Duration) { f.clock.Set(start.Add(d)) }

// send issues code for purpose and phone at the current time.
func (f *fixture) send(purpose, phone, code string) (time.Time, error) {
	f.codes.push(code)
	next, err := f.svc.Send(context.Background(), f.pass(), purpose, phone)
	if err != nil {
		f.codes = &codeQueue{} // a refused send may leave its code unread
		f.svc.Rand = f.codes
	}
	return next, err
}

func (f *fixture) mustSend(purpose, phone, code string) {
	f.t.Helper()
	if _, err := f.send(purpose, phone, code); err != nil {
		f.t.Fatalf("Send(%s, %s) at %s: %v", purpose, phone, f.clock.Now().Sub(start), err)
	}
}

func (f *fixture) view(fn func(model.Tx) error) {
	f.t.Helper()
	if err := f.store.View(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

// raw returns every stored key and value, straight from the engine.
func (f *fixture) raw() map[string][]byte {
	f.t.Helper()
	out := map[string][]byte{}
	err := f.engine.View(context.Background(), func(tx kv.Tx) error {
		return tx.Scan(nil, func(k, v []byte) (bool, error) {
			out[string(k)] = v
			return true, nil
		})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// zh is t in Chinese, as the screen shows it.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// checkErr reports whether err is want (nil, a sentinel matched with
// errors.Is) and, when msg is set, whether its screen sentence is msg.
func checkErr(err, want error, msg string) string {
	switch {
	case want == nil && err != nil:
		return "err = " + err.Error() + ", want nil"
	case want != nil && !errors.Is(err, want):
		got := "nil"
		if err != nil {
			got = err.Error()
		}
		return "err = " + got + ", want " + want.Error()
	case msg != "" && zh(model.UserMessage(err)) != msg:
		return "message = " + zh(model.UserMessage(err)) + ", want " + msg
	}
	return ""
}
