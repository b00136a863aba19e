package httpface_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiosk/devices/face"
	"kiosk/devices/face/facetest"
	"kiosk/devices/face/httpface"
	"kiosk/devices/face/httpface/fakeauthority"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		code int
		want error
	}{
		{"ok", 200, nil},
		{"unauthorized", 401, face.ErrRejected},
		{"forbidden", 403, face.ErrRejected},
		{"down", 503, face.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotAuth, gotPath string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path
				w.WriteHeader(tt.code)
			}))
			defer srv.Close()
			err := newClient(t, srv.URL+"/", nil).Check(context.Background())
			if (tt.want == nil && err != nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
			if gotAuth != "Bearer "+token || gotPath != httpface.HealthPath {
				t.Fatalf("auth %q path %q", gotAuth, gotPath)
			}
		})
	}
}

// The ID number, name and frames never leave the machine in clear text:
// plain http is refused unless the service is on a loopback address.
func TestNewRefusesPlainHTTPOffLoopback(t *testing.T) {
	for _, base := range []string{"http://faceauth.example.gov.cn", "http://10.0.0.7:8080", "HTTP://x.example/",
		"http://127.0.0.1.example", "http://[::ffff:10.0.0.1]/"} {
		if _, err := httpface.New(httpface.Config{BaseURL: base, Token: "t"}); err == nil || !strings.Contains(err.Error(), "https") {
			t.Errorf("New(%q) = %v, want a refusal naming https", base, err)
		}
	}
	for _, base := range []string{"https://faceauth.example.gov.cn", "http://127.0.0.1:8080", "http://localhost/",
		"http://[::1]:9000", "http://127.0.0.2"} {
		if _, err := httpface.New(httpface.Config{BaseURL: base, Token: "t"}); err != nil {
			t.Errorf("New(%q) refused: %v", base, err)
		}
	}
}

func TestNew(t *testing.T) {
	for _, base := range []string{"", "faceauth.example", "ftp://x", "http://", "://bad"} {
		if _, err := httpface.New(httpface.Config{BaseURL: base, Token: "t"}); err == nil {
			t.Errorf("New(%q) accepted", base)
		}
	}
	if _, err := httpface.New(httpface.Config{BaseURL: "https://x.example"}); err == nil {
		t.Error("empty token accepted")
	}
	c, err := httpface.New(httpface.Config{BaseURL: "https://x.example/api/", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	verify, cfg := httpface.Settings(c)
	if verify != "https://x.example/api/v1/face/verify" || c.Simulated() || !strings.HasPrefix(c.Name(), "httpface:") {
		t.Fatalf("verify URL %q name %q", verify, c.Name())
	}
	if cfg.MaxAttempts != 3 || cfg.AttemptTimeout != 10*time.Second || cfg.OverallTimeout != 30*time.Second ||
		cfg.MaxBodyBytes != 64<<10 {
		t.Fatalf("defaults %+v", cfg)
	}
}

func TestBackoff(t *testing.T) {
	c := newClient(t, "https://x.example", func(c *httpface.Config) {
		c.BaseBackoff, c.MaxBackoff = 500*time.Millisecond, 4*time.Second
	})
	for _, tt := range []struct {
		n        int
		jitter   float64
		min, max time.Duration
	}{
		{1, 0, 250 * time.Millisecond, 250 * time.Millisecond},
		{1, 0.999, 499 * time.Millisecond, 500 * time.Millisecond},
		{2, 0, 500 * time.Millisecond, 500 * time.Millisecond},
		{4, 0.999, 3998 * time.Millisecond, 4 * time.Second},
		{30, 0.5, 3 * time.Second, 3 * time.Second},
	} {
		httpface.SetJitter(c, func() float64 { return tt.jitter })
		if d := httpface.Backoff(c, tt.n); d < tt.min || d > tt.max {
			t.Errorf("backoff(%d, jitter %v) = %v, want in [%v, %v]", tt.n, tt.jitter, d, tt.min, tt.max)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := newClient(t, "https://x.example", func(c *httpface.Config) { c.Now = func() time.Time { return now } })
	for h, want := range map[string]time.Duration{
		"":                     0,
		"0":                    0,
		"3":                    3 * time.Second,
		" 7 ":                  7 * time.Second,
		"-1":                   0,
		"1e3":                  0,
		"99999999999999999999": 0,
		now.Add(5 * time.Second).Format(http.TimeFormat): 5 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):      0,
		"Tue, 99 Foo 2026": 0,
	} {
		if got := httpface.RetryAfter(c, h); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestAuthorityOutcomes(t *testing.T) {
	auth := fakeauthority.New(token)
	auth.Outcomes = map[string]face.Outcome{"220102199003070011": face.NoMatch}
	srv := httptest.NewServer(auth)
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	req := facetest.Request(t)
	req.IDNumber = "220102199003070011"
	res, err := c.Verify(context.Background(), req)
	if err != nil || res.Match || res.Outcome != face.NoMatch {
		t.Fatalf("Verify = %+v, %v", res, err)
	}
	bad := newClient(t, srv.URL, func(c *httpface.Config) { c.Token = "wrong" })
	if _, err := bad.Verify(context.Background(), req); !errors.Is(err, face.ErrRejected) {
		t.Fatalf("wrong token: %v", err)
	}
	if err := bad.Check(context.Background()); !errors.Is(err, face.ErrRejected) {
		t.Fatalf("wrong token Check: %v", err)
	}
}
