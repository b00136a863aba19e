// Package fakeauthority is an in-process identity authority speaking the
// protocol of docs/face-verification.md, strictly: it rejects requests that
// break the contract with 4xx, so tests against it check the client too.
// Serve it with httptest.NewServer; it is for tests and local trials only.
package fakeauthority

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"net/http"
	"sync"
	"time"

	"kiosk/devices/face"
	"kiosk/devices/face/httpface"
)

// Authority answers verify and health requests.
type Authority struct {
	Token string
	// Outcomes maps an ID number to the verdict; IDs not in it match.
	Outcomes map[string]face.Outcome
	// Score reported with every verdict; zero means 0.92 for a match and
	// 0.12 otherwise.
	Score float64

	mu       sync.Mutex
	requests []httpface.WireRequest
	seen     map[string][]byte // request_id → answer, for idempotent repeats
}

// New returns an authority accepting token.
func New(token string) *Authority { return &Authority{Token: token} }

// Requests returns the verify requests received so far (frames included).
func (a *Authority) Requests() []httpface.WireRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]httpface.WireRequest(nil), a.requests...)
}

// ServeHTTP implements http.Handler.
func (a *Authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+a.Token {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	switch {
	case r.URL.Path == httpface.HealthPath && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	case r.URL.Path == httpface.VerifyPath && r.Method == http.MethodPost:
		a.verify(w, r)
	case r.URL.Path == httpface.VerifyPath || r.URL.Path == httpface.HealthPath:
		http.Error(w, `{"error":"method not allowed"}`, http.StatusMethodNotAllowed)
	default:
		http.NotFound(w, r)
	}
}

func (a *Authority) verify(w http.ResponseWriter, r *http.Request) {
	var req httpface.WireRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, `{"error":"malformed request"}`, http.StatusBadRequest)
		return
	}
	if err := validate(r, req); err != nil {
		http.Error(w, fmt.Sprintf(`{"error":%q}`, err.Error()), http.StatusUnprocessableEntity)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = append(a.requests, req)
	if a.seen == nil {
		a.seen = map[string][]byte{}
	}
	body, ok := a.seen[req.RequestID]
	if !ok {
		o, known := a.Outcomes[req.IDNumber]
		if !known {
			o = face.Match
		}
		score := a.Score
		if score == 0 {
			score = 0.12
			if o == face.Match {
				score = 0.92
			}
		}
		body, _ = json.Marshal(httpface.WireResponse{RequestID: req.RequestID, Result: string(o),
			Score: &score, Reason: "fake authority"})
		a.seen[req.RequestID] = body
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// validate enforces the request rules of the protocol.
func validate(r *http.Request, req httpface.WireRequest) error {
	switch {
	case r.Header.Get("Content-Type") != "application/json":
		return fmt.Errorf("content type %q", r.Header.Get("Content-Type"))
	case !httpface.ValidRequestID(req.RequestID):
		return fmt.Errorf("bad request_id")
	case r.Header.Get("X-Request-ID") != req.RequestID:
		return fmt.Errorf("X-Request-ID differs from request_id")
	case req.KioskID == "":
		return fmt.Errorf("empty kiosk_id")
	case req.Name == "":
		return fmt.Errorf("empty name")
	case len(req.IDNumber) != 18:
		return fmt.Errorf("id_number is not 18 characters")
	case len(req.Frames) < 1 || len(req.Frames) > httpface.MaxFrames:
		return fmt.Errorf("%d frames", len(req.Frames))
	}
	if _, err := time.Parse(time.RFC3339, req.CapturedAt); err != nil {
		return fmt.Errorf("captured_at: %v", err)
	}
	for i, f := range req.Frames {
		raw, err := base64.StdEncoding.DecodeString(f)
		if err != nil {
			return fmt.Errorf("frame %d: %v", i, err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("frame %d: %v", i, err)
		}
		if cfg.Width > httpface.FrameWidth || cfg.Height > httpface.FrameHeight {
			return fmt.Errorf("frame %d is %dx%d", i, cfg.Width, cfg.Height)
		}
	}
	return nil
}
