package model

import "time"

// Face verification methods recorded in FaceEvidence.Method.
const (
	FaceHTTP    = "http"    // the identity authority's service matched the person
	FaceCounter = "counter" // a staff member confirmed the person in person
	FaceDemo    = "demo"    // the demo adapter; refused outside demo mode
)

// FaceEvidence is what the screen hands to a use case after a passed face
// verification. The model cannot import the devices, so the screen turns a
// device verdict into this; use cases refuse a missing or stale one and
// record Method and Ref (never the frames, never PII) in the audit log.
type FaceEvidence struct {
	Method string    // FaceHTTP, FaceCounter or FaceDemo
	Score  float64   // similarity reported by the authority, informational
	Ref    string    // the authority's request id, or the staff id for FaceCounter
	At     time.Time // when the verdict was given
}

// IsZero reports whether no face verification happened.
func (f FaceEvidence) IsZero() bool { return f.Method == "" && f.At.IsZero() }
