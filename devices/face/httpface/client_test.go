package httpface_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/devices/face"
	"kiosk/devices/face/facetest"
	"kiosk/devices/face/httpface"
	"kiosk/devices/face/httpface/fakeauthority"
	"kiosk/model/i18n"
)

const token = "test-token"

func TestConformance(t *testing.T) {
	facetest.Run(t, func(t *testing.T) face.Verifier {
		srv := httptest.NewServer(fakeauthority.New(token))
		t.Cleanup(srv.Close)
		return newClient(t, srv.URL, nil)
	})
}

// newClient builds a client whose sleeps are recorded, not slept, unless
// realSleep is set on the returned recorder.
func newClient(t *testing.T, base string, mod func(*httpface.Config)) *httpface.Client {
	t.Helper()
	cfg := httpface.Config{BaseURL: base, Token: token, KioskID: "JL-TEST-01",
		AttemptTimeout: 2 * time.Second, BaseBackoff: 100 * time.Millisecond, MaxBackoff: 400 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
	if mod != nil {
		mod(&cfg)
	}
	c, err := httpface.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type sleeps struct {
	mu  sync.Mutex
	got []time.Duration
}

func (s *sleeps) record(c *httpface.Client) {
	httpface.SetSleep(c, func(ctx context.Context, d time.Duration) error {
		s.mu.Lock()
		s.got = append(s.got, d)
		s.mu.Unlock()
		return ctx.Err()
	})
}

// step answers one attempt.
type step func(w http.ResponseWriter, r *http.Request, req httpface.WireRequest)

// scripted serves the steps in order, repeating the last one, and records
// every request.
type scripted struct {
	mu    sync.Mutex
	steps []step
	reqs  []httpface.WireRequest
	hdrs  []http.Header
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req httpface.WireRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	s.mu.Lock()
	i := min(len(s.reqs), len(s.steps)-1)
	s.reqs = append(s.reqs, req)
	s.hdrs = append(s.hdrs, r.Header.Clone())
	st := s.steps[i]
	s.mu.Unlock()
	st(w, r, req)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func serve(t *testing.T, steps ...step) (*scripted, string) {
	s := &scripted{steps: steps}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func answer(result string, score float64) step {
	return func(w http.ResponseWriter, _ *http.Request, req httpface.WireRequest) {
		fmt.Fprintf(w, `{"request_id":%q,"result":%q,"score":%v,"reason":"r"}`, req.RequestID, result, score)
	}
}

func status(code int, hdr ...string) step {
	return func(w http.ResponseWriter, _ *http.Request, _ httpface.WireRequest) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprint(w, `{"error":"x"}`)
	}
}

func raw(body string) step {
	return func(w http.ResponseWriter, _ *http.Request, _ httpface.WireRequest) { fmt.Fprint(w, body) }
}

func TestScenarios(t *testing.T) {
	retryDate := time.Date(2026, 11, 27, 10, 0, 3, 0, time.UTC)
	tests := []struct {
		name     string
		steps    []step
		attempts int
		wantErr  error // nil: a verdict
		outcome  face.Outcome
		sleeps   []time.Duration // nil: don't check; values are exact with jitter 0.5
	}{
		{name: "match", steps: []step{answer("match", 0.95)}, attempts: 1, outcome: face.Match},
		{name: "no match is a verdict", steps: []step{answer("no_match", 0.2)}, attempts: 1, outcome: face.NoMatch},
		{name: "no face", steps: []step{answer("no_face", 0)}, attempts: 1, outcome: face.NoFace},
		{name: "multiple faces", steps: []step{answer("multiple_faces", 0)}, attempts: 1, outcome: face.MultipleFaces},
		{name: "liveness", steps: []step{answer("liveness_failed", 0.5)}, attempts: 1, outcome: face.LivenessFailed},
		{name: "id not found", steps: []step{answer("id_not_found", 0)}, attempts: 1, outcome: face.IDNotFound},
		{name: "503 then success", steps: []step{status(503), answer("match", 0.9)}, attempts: 2,
			outcome: face.Match, sleeps: []time.Duration{75 * time.Millisecond}},
		{name: "5xx until giving up", steps: []step{status(500), status(502), status(504)}, attempts: 3,
			wantErr: face.ErrUnavailable, sleeps: []time.Duration{75 * time.Millisecond, 150 * time.Millisecond}},
		{name: "429 with Retry-After seconds", steps: []step{status(429, "Retry-After", "2"), answer("match", 0.9)},
			attempts: 2, outcome: face.Match, sleeps: []time.Duration{2 * time.Second}},
		{name: "429 with Retry-After date", steps: []step{status(429, "Retry-After", retryDate.Format(http.TimeFormat)),
			answer("match", 0.9)}, attempts: 2, outcome: face.Match, sleeps: []time.Duration{3 * time.Second}},
		{name: "429 without Retry-After backs off", steps: []step{status(429), answer("match", 0.9)},
			attempts: 2, outcome: face.Match, sleeps: []time.Duration{75 * time.Millisecond}},
		{name: "408 retried", steps: []step{status(408), answer("match", 0.9)}, attempts: 2, outcome: face.Match},
		{name: "400 not retried", steps: []step{status(400)}, attempts: 1, wantErr: face.ErrRejected},
		{name: "401 not retried", steps: []step{status(401)}, attempts: 1, wantErr: face.ErrRejected},
		{name: "403 not retried", steps: []step{status(403)}, attempts: 1, wantErr: face.ErrRejected},
		{name: "404 not retried", steps: []step{status(404)}, attempts: 1, wantErr: face.ErrRejected},
		{name: "422 not retried", steps: []step{status(422)}, attempts: 1, wantErr: face.ErrRejected},
		{name: "redirect not followed", steps: []step{status(307, "Location", "http://elsewhere.invalid/")},
			attempts: 1, wantErr: face.ErrUnavailable},
		{name: "malformed JSON", steps: []step{raw(`{"request_id": "`)}, attempts: 1, wantErr: face.ErrUnavailable},
		{name: "HTML error page with 200", steps: []step{raw(`<html>oops</html>`)}, attempts: 1, wantErr: face.ErrUnavailable},
		{name: "wrong request id", steps: []step{raw(`{"request_id":"00000000000000000000000000000000","result":"match","score":0.9}`)},
			attempts: 1, wantErr: face.ErrUnavailable},
		{name: "unknown result", steps: []step{func(w http.ResponseWriter, _ *http.Request, req httpface.WireRequest) {
			fmt.Fprintf(w, `{"request_id":%q,"result":"maybe","score":0.5}`, req.RequestID)
		}}, attempts: 1, wantErr: face.ErrUnavailable},
		{name: "score out of range", steps: []step{answer("match", 1.5)}, attempts: 1, wantErr: face.ErrUnavailable},
		{name: "oversized body", steps: []step{func(w http.ResponseWriter, _ *http.Request, req httpface.WireRequest) {
			fmt.Fprintf(w, `{"request_id":%q,"result":"match","score":0.9,"reason":"%s"}`,
				req.RequestID, strings.Repeat("x", 70<<10))
		}}, attempts: 1, wantErr: face.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, url := serve(t, tt.steps...)
			c := newClient(t, url, func(c *httpface.Config) {
				c.Now = func() time.Time { return retryDate.Add(-3 * time.Second) }
			})
			var sl sleeps
			sl.record(c)
			httpface.SetJitter(c, func() float64 { return 0.5 })
			res, err := c.Verify(context.Background(), facetest.Request(t))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !reflect.DeepEqual(face.Message(err), tt.wantErr.(*face.Error).Msg) {
					t.Errorf("message %+v", face.Message(err))
				}
			} else {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if res.Outcome != tt.outcome || res.Match != (tt.outcome == face.Match) || !reflect.DeepEqual(res.Reason, tt.outcome.Reason()) {
					t.Fatalf("result %+v, want outcome %v", res, tt.outcome)
				}
			}
			if n := srv.count(); n != tt.attempts {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
			if tt.sleeps != nil && fmt.Sprint(sl.got) != fmt.Sprint(tt.sleeps) {
				t.Errorf("slept %v, want %v", sl.got, tt.sleeps)
			}
		})
	}
}

func TestRequestOnTheWire(t *testing.T) {
	srv, url := serve(t, status(503), answer("match", 0.9))
	now := time.Date(2026, 11, 27, 10, 15, 4, 0, time.FixedZone("CST", 8*3600))
	c := newClient(t, url, func(c *httpface.Config) { c.Now = func() time.Time { return now } })
	(&sleeps{}).record(c)
	req := facetest.Request(t)
	big := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	req.Frames = append(req.Frames, big, big, big, big) // 6 frames, one too large
	if _, err := c.Verify(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if len(srv.reqs) != 2 {
		t.Fatalf("%d requests", len(srv.reqs))
	}
	first, second := srv.reqs[0], srv.reqs[1]
	if !httpface.ValidRequestID(first.RequestID) || first.RequestID != second.RequestID {
		t.Errorf("request ids %q, %q: want one valid id reused on retry", first.RequestID, second.RequestID)
	}
	if first.Name != facetest.MatchingName || first.IDNumber != facetest.MatchingID || first.KioskID != "JL-TEST-01" {
		t.Errorf("request %+v", first)
	}
	if first.CapturedAt != "2026-11-27T10:15:04+08:00" {
		t.Errorf("captured_at %q", first.CapturedAt)
	}
	if len(first.Frames) != httpface.MaxFrames {
		t.Errorf("%d frames, want %d", len(first.Frames), httpface.MaxFrames)
	}
	h := srv.hdrs[0]
	if h.Get("Authorization") != "Bearer "+token || h.Get("X-Request-ID") != first.RequestID ||
		h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
	// The strict authority checks frame size, encoding and every field.
	auth := fakeauthority.New(token)
	as := httptest.NewServer(auth)
	defer as.Close()
	if _, err := newClient(t, as.URL, nil).Verify(context.Background(), req); err != nil {
		t.Fatalf("strict authority refused the request: %v", err)
	}
}

func TestSlowServer(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request, req httpface.WireRequest) {
		select { // hold the answer until the client gives up on the attempt
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	t.Run("attempt timeout is retried", func(t *testing.T) {
		srv, url := serve(t, slow, answer("match", 0.9))
		c := newClient(t, url, func(c *httpface.Config) { c.AttemptTimeout = 100 * time.Millisecond })
		(&sleeps{}).record(c)
		res, err := c.Verify(context.Background(), facetest.Request(t))
		if err != nil || !res.Match {
			t.Fatalf("Verify = %+v, %v", res, err)
		}
		if srv.count() != 2 {
			t.Fatalf("%d attempts", srv.count())
		}
	})
	t.Run("overall deadline", func(t *testing.T) {
		_, url := serve(t, slow)
		c := newClient(t, url, func(c *httpface.Config) {
			c.AttemptTimeout = 150 * time.Millisecond
			c.BaseBackoff = 10 * time.Millisecond
			c.MaxAttempts = 10
		})
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		_, err := c.Verify(ctx, facetest.Request(t))
		if !errors.Is(err, face.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if got := i18n.Default().Render(i18n.Chinese, face.Message(err)); got != "人脸比对超时，请稍后重试或到窗口办理" {
			t.Errorf("message %q", got)
		}
	})
	t.Run("OverallTimeout caps a longer context", func(t *testing.T) {
		_, url := serve(t, slow)
		c := newClient(t, url, func(c *httpface.Config) {
			c.AttemptTimeout = time.Second
			c.OverallTimeout = 100 * time.Millisecond
		})
		_, err := c.Verify(context.Background(), facetest.Request(t))
		if !errors.Is(err, face.ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
	})
}

func TestRetryAfterBeyondDeadline(t *testing.T) {
	srv, url := serve(t, status(429, "Retry-After", "120"), answer("match", 0.9))
	c := newClient(t, url, nil)
	var sl sleeps
	sl.record(c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Verify(ctx, facetest.Request(t))
	if !errors.Is(err, face.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if len(sl.got) != 0 || srv.count() != 1 {
		t.Fatalf("slept %v over %d attempts; want no sleep", sl.got, srv.count())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	_, url := serve(t, status(503))
	c := newClient(t, url, func(c *httpface.Config) {
		c.BaseBackoff, c.MaxBackoff, c.OverallTimeout = time.Minute, time.Minute, time.Hour
	})
	ctx, cancel := context.WithCancel(context.Background())
	httpface.SetSleep(c, func(ctx context.Context, d time.Duration) error {
		cancel() // the person left the screen while we waited
		return httpface.Sleep(ctx, d)
	})
	_, err := c.Verify(ctx, facetest.Request(t))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestServerDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newClient(t, url, nil)
	var sl sleeps
	sl.record(c)
	_, err := c.Verify(context.Background(), facetest.Request(t))
	if !errors.Is(err, face.ErrUnavailable) || len(sl.got) != 2 {
		t.Fatalf("err = %v after %d sleeps; want ErrUnavailable after 2", err, len(sl.got))
	}
	if err := c.Check(context.Background()); !errors.Is(err, face.ErrUnavailable) {
		t.Fatalf("Check = %v", err)
	}
}

func TestNoPIIInLogs(t *testing.T) {
	var buf bytes.Buffer
	_, url := serve(t, status(500), raw(`{broken`))
	c := newClient(t, url, func(c *httpface.Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	(&sleeps{}).record(c)
	_, _ = c.Verify(context.Background(), facetest.Request(t))
	srv2, url2 := serve(t, answer("match", 0.9))
	c2 := newClient(t, url2, func(c *httpface.Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	if _, err := c2.Verify(context.Background(), facetest.Request(t)); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	for _, secret := range []string{facetest.MatchingID, facetest.MatchingName, "/9j/", srv2.reqs[0].Frames[0][:40]} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(log, srv2.reqs[0].RequestID) || !strings.Contains(log, `"attempt":2`) {
		t.Errorf("log lacks request id or attempt:\n%s", log)
	}
}

func TestInvalidRequests(t *testing.T) {
	srv, url := serve(t, answer("match", 0.9))
	c := newClient(t, url, nil)
	tests := []struct {
		name string
		req  face.Request
		want error
	}{
		{"no frames", face.Request{Name: "张三", IDNumber: facetest.MatchingID}, face.ErrNoFrames},
		{"nil frame", face.Request{Name: "张三", IDNumber: facetest.MatchingID, Frames: []image.Image{nil}}, face.ErrNoFrames},
		{"empty frame", face.Request{Name: "张三", IDNumber: facetest.MatchingID,
			Frames: []image.Image{image.NewGray(image.Rect(0, 0, 0, 0))}}, face.ErrNoFrames},
		{"no name", face.Request{IDNumber: facetest.MatchingID, Frames: facetest.Frames(t)}, face.ErrRejected},
		{"no id", face.Request{Name: "张三", Frames: facetest.Frames(t)}, face.ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.Verify(context.Background(), tt.req); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if srv.count() != 0 {
		t.Fatalf("%d requests sent for invalid input", srv.count())
	}
}
