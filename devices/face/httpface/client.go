// Package httpface verifies faces through the identity authority's HTTP
// JSON service, as specified in docs/face-verification.md: bearer token,
// per-attempt timeout inside the caller's deadline, retries with
// exponential backoff and jitter on timeouts, 5xx, 408 and 429
// (Retry-After honoured), none on other 4xx or on malformed answers, and a
// cap on the response size. It never logs the name, ID number or frames.
package httpface

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	randv2 "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kiosk/devices/face"
)

// Config of the client; zero fields take the defaults of the protocol.
type Config struct {
	BaseURL        string // e.g. https://faceauth.example.gov.cn
	Token          string // bearer token
	KioskID        string
	AttemptTimeout time.Duration // default 10 s
	OverallTimeout time.Duration // default 30 s; the ctx deadline may be shorter
	MaxAttempts    int           // default 3
	BaseBackoff    time.Duration // default 500 ms
	MaxBackoff     time.Duration // default 4 s
	MaxBodyBytes   int64         // default 64 KiB
	// HTTPClient nil means a client that follows no redirects, so the ID
	// number is never re-sent to another address.
	HTTPClient *http.Client
	Logger     *slog.Logger     // nil means slog.Default()
	Now        func() time.Time // nil means time.Now
}

// Client is a face.Verifier over the authority's HTTP service.
type Client struct {
	cfg    Config
	verify string // absolute URL of VerifyPath
	health string
	log    *slog.Logger
	// seams for tests
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() float64 // in [0, 1)
	newID  func() string
}

var _ face.Verifier = (*Client)(nil)

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("httpface: base URL %q is not an absolute http(s) URL", cfg.BaseURL)
	}
	// Names, ID numbers and faces never cross a network in clear text:
	// plain http only to this machine (a local proxy, the tests' server).
	if u.Scheme != "https" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("httpface: base URL %q must be https (plain http only to a loopback address)", cfg.BaseURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("httpface: empty token")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.AttemptTimeout, 10*time.Second)
	def(&cfg.OverallTimeout, 30*time.Second)
	def(&cfg.BaseBackoff, 500*time.Millisecond)
	def(&cfg.MaxBackoff, 4*time.Second)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, verify: u.String() + VerifyPath, health: u.String() + HealthPath,
		log: cfg.Logger, sleep: sleep, jitter: randv2.Float64, newID: newRequestID}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.log = c.log.With("adapter", "httpface")
	return c, nil
}

// Name implements face.Verifier.
func (c *Client) Name() string { return "httpface:" + c.verify }

// Simulated implements face.Verifier: false.
func (c *Client) Simulated() bool { return false }

// Check implements face.Verifier with GET /v1/health.
func (c *Client) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.health, nil)
	if err != nil {
		return err
	}
	c.authorize(req)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("%w: health: %v", face.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.cfg.MaxBodyBytes))
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%w: health: HTTP %d", face.ErrRejected, resp.StatusCode)
	}
	return fmt.Errorf("%w: health: HTTP %d", face.ErrUnavailable, resp.StatusCode)
}

// Verify implements face.Verifier.
func (c *Client) Verify(ctx context.Context, req face.Request) (face.Result, error) {
	if len(req.Frames) == 0 {
		return face.Result{}, face.ErrNoFrames
	}
	if strings.TrimSpace(req.Name) == "" || strings.TrimSpace(req.IDNumber) == "" {
		return face.Result{}, fmt.Errorf("%w: empty name or ID number", face.ErrRejected)
	}
	frames, err := encodeFrames(req.Frames)
	if err != nil {
		return face.Result{}, err
	}
	id := c.newID()
	body, err := json.Marshal(WireRequest{RequestID: id, KioskID: c.cfg.KioskID, Name: req.Name,
		IDNumber: req.IDNumber, Frames: frames, CapturedAt: rfc3339(c.cfg.Now())})
	if err != nil {
		return face.Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.OverallTimeout)
	defer cancel()
	log := c.log.With("request_id", id)
	for attempt := 1; ; attempt++ {
		start := time.Now()
		res, a := c.attempt(ctx, id, body)
		log := log.With("attempt", attempt, "status", a.status, "elapsed", time.Since(start).Round(time.Millisecond))
		if a.err == nil {
			log.Info("face verification answered", "result", string(res.Outcome), "score", res.Score)
			return res, nil
		}
		if ctx.Err() != nil {
			log.Warn("face verification stopped", "err", ctx.Err())
			return face.Result{}, ctxError(ctx, a.err)
		}
		if !a.retry || attempt >= c.cfg.MaxAttempts {
			log.Warn("face verification failed", "err", a.err)
			return face.Result{}, a.err
		}
		wait := a.after
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			log.Warn("face verification failed; no time left to retry", "err", a.err, "wait", wait)
			return face.Result{}, a.err
		}
		log.Info("face verification retrying", "err", a.err, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return face.Result{}, ctxError(ctx, a.err)
		}
	}
}

// outcome of one attempt: err nil means a verdict.
type outcome struct {
	err    error
	retry  bool
	after  time.Duration // Retry-After, if the server sent one
	status int
}

func (c *Client) attempt(ctx context.Context, id string, body []byte) (face.Result, outcome) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.verify, bytes.NewReader(body))
	if err != nil {
		return face.Result{}, outcome{err: err}
	}
	c.authorize(hreq)
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("X-Request-ID", id)
	resp, err := c.cfg.HTTPClient.Do(hreq)
	if err != nil {
		// Network faults and the per-attempt timeout are worth a retry.
		return face.Result{}, outcome{err: fmt.Errorf("%w: %v", face.ErrUnavailable, scrub(err)), retry: true}
	}
	defer resp.Body.Close()
	o := outcome{status: resp.StatusCode}
	code := resp.StatusCode
	switch {
	case code == http.StatusOK:
	case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
		drain(resp.Body, c.cfg.MaxBodyBytes)
		o.err = fmt.Errorf("%w: HTTP %d", face.ErrUnavailable, code)
		o.retry = true
		o.after = c.retryAfter(resp.Header.Get("Retry-After"))
		return face.Result{}, o
	case code >= 300 && code < 400:
		drain(resp.Body, c.cfg.MaxBodyBytes)
		o.err = fmt.Errorf("%w: unexpected redirect HTTP %d", face.ErrUnavailable, code)
		return face.Result{}, o
	default:
		drain(resp.Body, c.cfg.MaxBodyBytes)
		o.err = fmt.Errorf("%w: HTTP %d", face.ErrRejected, code)
		return face.Result{}, o
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		o.err, o.retry = fmt.Errorf("%w: reading answer: %v", face.ErrUnavailable, scrub(err)), true
		return face.Result{}, o
	}
	if int64(len(data)) > c.cfg.MaxBodyBytes {
		o.err = fmt.Errorf("%w: answer larger than %d bytes", face.ErrUnavailable, c.cfg.MaxBodyBytes)
		return face.Result{}, o
	}
	res, err := decodeAnswer(data, id)
	if err != nil {
		o.err = fmt.Errorf("%w: %v", face.ErrUnavailable, err)
		return face.Result{}, o
	}
	return res, o
}

// decodeAnswer parses and checks the body of a 200 answer.
func decodeAnswer(data []byte, id string) (face.Result, error) {
	var wr WireResponse
	if err := json.Unmarshal(data, &wr); err != nil {
		return face.Result{}, fmt.Errorf("malformed answer: %v", err)
	}
	return wr.check(id)
}

func (c *Client) authorize(r *http.Request) {
	r.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	r.Header.Set("User-Agent", "kiosk-httpface/1")
}

// backoff before attempt n+1: BaseBackoff·2^(n−1) capped at MaxBackoff,
// half fixed and half random (equal jitter).
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.BaseBackoff
	for i := 1; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxBackoff)
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// retryAfter parses a Retry-After header: delta seconds or an HTTP date.
func (c *Client) retryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s < 0 || s > 3600 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(c.cfg.Now()); d > 0 {
			return d
		}
	}
	return 0
}

// ctxError maps the end of the caller's time: the overall deadline becomes
// face.ErrTimeout, a cancellation stays a cancellation.
func ctxError(ctx context.Context, last error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w (last: %v): %w", face.ErrTimeout, last, context.DeadlineExceeded)
	}
	return fmt.Errorf("face verification cancelled: %w", ctx.Err())
}

// scrub drops the URL from *url.Error: it holds no PII today, but the
// message stays the same if a deployment ever puts data in the base URL.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func drain(r io.Reader, limit int64) { _, _ = io.Copy(io.Discard, io.LimitReader(r, limit)) }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// loopback reports whether host is this machine: localhost or a loopback IP.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
