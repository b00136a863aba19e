package model

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"strconv"
	"strings"
	"time"

	"kiosk/model/i18n"
)

// Face verification methods recorded in FaceEvidence.Method.
const (
	FaceHTTP    = "http"    // the identity authority's service matched the person
	FaceCounter = "counter" // a staff member confirmed the person in person
	FaceDemo    = "demo"    // the demo adapter; refused outside demo mode
)

// Purposes a face verification is made for. Evidence is bound to one, and
// a use case accepts only evidence made for its own purpose.
const (
	FaceForRegister = "register.enterprise" // 立即注册: the legal representative
	FaceForPerson   = "register.person"     // 自然人注册: the person
	// 添加经办人: the operator (the legal representative for an enterprise
	// login, the admin agent itself for an agent login).
	FaceForAddAgent = "agents.add"
	// 法定代表人变更: the new legal representative.
	FaceForLegalRepChange = "legal_rep.change"
)

// Refusals of face evidence at a final step (besides ErrFaceRequired and
// ErrFaceStale in errors_account.go).
var (
	// ErrFaceInvalid: the evidence was not made by this kiosk's FaceService,
	// was altered, or names a method the use case does not accept.
	ErrFaceInvalid = &DomainError{Code: "face_invalid", Msg: i18n.T("error.face_invalid")}
	// ErrFaceOtherPerson: the face verified was that of another ID number.
	ErrFaceOtherPerson = &DomainError{Code: "face_other_person", Msg: i18n.T("error.face_other_person")}
	// ErrFaceOtherPurpose: the verification was made for another service.
	ErrFaceOtherPurpose = &DomainError{Code: "face_other_purpose", Msg: i18n.T("error.face_other_purpose")}
)

// FaceEvidence is what a passed face verification gives the screen to hand
// to a use case. Only FaceService makes it: it carries a keyed hash of the
// ID number and a MAC over the subject, the purpose, the verdict (method,
// score, reference) and the time, both keyed with a secret the screens
// never see, so the screen can neither forge evidence nor move it to
// another person or purpose. Use cases check it with FaceService.Check and
// record Method and Ref (never the frames, never PII) in the audit log.
type FaceEvidence struct {
	Method  string    // FaceHTTP, FaceCounter or FaceDemo
	Score   float64   // similarity reported by the authority, informational
	Ref     string    // the authority's request id, or the staff username for FaceCounter
	At      time.Time // when the verdict was given
	Purpose string    // FaceForRegister, FaceForPerson…
	subject string    // keyed hash of the ID number, hex
	mac     string    // HMAC-SHA256 of all of the above, hex
}

// IsZero reports whether no face verification happened.
func (f FaceEvidence) IsZero() bool { return f.Method == "" && f.At.IsZero() && f.mac == "" }

// FaceRequest is one automatic verification.
type FaceRequest struct {
	Name     string // PII: never logged
	IDNumber string // PII: never logged
	Purpose  string // what the evidence will be good for
	Frames   []image.Image
}

// FaceConfirmation is a staff member's decision at the counter.
type FaceConfirmation struct {
	IDNumber string // whose identity the staff member checked
	Purpose  string
	Username string // staff credentials
	Password string
	Approve  bool
}

// FaceVerdict is a verifier's answer, passed on to the screen.
type FaceVerdict struct {
	Match   bool
	Method  string    // set by FaceService: FaceHTTP, FaceDemo or FaceCounter
	Score   float64   // similarity in [0, 1], informational
	Ref     string    // a reference for the audit log (staff username, request id); no PII
	Outcome string    // the verifier's own result code, for the screen's next step
	Reason  i18n.Text // sentence for the screen
}

// FaceDevice is the automatic face verifier as the model sees it
// (devices/face.Device adapts a face.Verifier). Errors pass through
// FaceService unchanged.
type FaceDevice interface {
	VerifyFace(ctx context.Context, name, idNumber string, frames []image.Image) (FaceVerdict, error)
	// Simulated verdicts become FaceDemo evidence.
	Simulated() bool
}

// FaceStaff is the counter: a staff member confirms a person in person
// with staff credentials (devices/face/counter.Verifier).
type FaceStaff interface {
	ConfirmFace(ctx context.Context, username, password string, approve bool) (FaceVerdict, error)
}

// MinFaceSecretLen is the shortest key NewFaceService accepts.
const MinFaceSecretLen = 16

// FaceService runs face verification for the screens and seals the passed
// verdicts into FaceEvidence; the use cases check that evidence with the
// same service. main builds one, with the devices and a secret derived from
// the store keys; its fields are private so that nothing outside model can
// seal evidence with another device or key.
type FaceService struct {
	subjectKey, macKey []byte
	clock              Clock
	device             FaceDevice
	staff              FaceStaff
}

// NewFaceService returns the service. device and staff may be nil when the
// kiosk has no such verifier; clock nil means the system clock.
func NewFaceService(secret []byte, clock Clock, device FaceDevice, staff FaceStaff) (*FaceService, error) {
	if len(secret) < MinFaceSecretLen {
		return nil, errors.New("face service: secret too short")
	}
	if clock == nil {
		clock = SystemClock{}
	}
	return &FaceService{subjectKey: subKey(secret, "face-subject-v1"), macKey: subKey(secret, "face-mac-v1"),
		clock: clock, device: device, staff: staff}, nil
}

func subKey(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Simulated reports whether automatic verdicts come from a simulation.
func (s *FaceService) Simulated() bool { return s != nil && s.device != nil && s.device.Simulated() }

// HasStaff reports whether a staff member can confirm a person at the counter.
func (s *FaceService) HasStaff() bool { return s != nil && s.staff != nil }

var (
	errNoFaceDevice = errors.New("face service: no face verifier configured")
	errNoFaceStaff  = errors.New("face service: no counter verifier configured")
	errNoFaceID     = errors.New("face service: empty ID number")
)

// Verify asks the device about the person in req.Frames. A match comes
// with evidence for req.IDNumber and req.Purpose; any other verdict, and
// any error of the device (unchanged), with none.
func (s *FaceService) Verify(ctx context.Context, req FaceRequest) (FaceVerdict, FaceEvidence, error) {
	if s == nil || s.device == nil {
		return FaceVerdict{}, FaceEvidence{}, errNoFaceDevice
	}
	if normID(req.IDNumber) == "" {
		return FaceVerdict{}, FaceEvidence{}, errNoFaceID
	}
	v, err := s.device.VerifyFace(ctx, req.Name, req.IDNumber, req.Frames)
	if err != nil {
		return FaceVerdict{}, FaceEvidence{}, err
	}
	v.Method = FaceHTTP
	if s.device.Simulated() {
		v.Method = FaceDemo
	}
	return v, s.sealIf(v, req.IDNumber, req.Purpose), nil
}

// Confirm records a staff member's decision (credentials checked by the
// counter); an approval comes with evidence for c.IDNumber and c.Purpose
// that names the staff member.
func (s *FaceService) Confirm(ctx context.Context, c FaceConfirmation) (FaceVerdict, FaceEvidence, error) {
	if s == nil || s.staff == nil {
		return FaceVerdict{}, FaceEvidence{}, errNoFaceStaff
	}
	if normID(c.IDNumber) == "" {
		return FaceVerdict{}, FaceEvidence{}, errNoFaceID
	}
	v, err := s.staff.ConfirmFace(ctx, c.Username, c.Password, c.Approve)
	if err != nil {
		return FaceVerdict{}, FaceEvidence{}, err
	}
	v.Method = FaceCounter
	if strings.TrimSpace(v.Ref) == "" {
		v.Ref = strings.TrimSpace(c.Username)
	}
	return v, s.sealIf(v, c.IDNumber, c.Purpose), nil
}

func (s *FaceService) sealIf(v FaceVerdict, idNumber, purpose string) FaceEvidence {
	if !v.Match {
		return FaceEvidence{}
	}
	e := FaceEvidence{Method: v.Method, Score: v.Score, Ref: v.Ref, At: s.clock.Now(), Purpose: purpose,
		subject: s.subject(idNumber)}
	e.mac = s.mac(e)
	return e
}

// FaceUse is what a use case expects of face evidence.
type FaceUse struct {
	IDNumber  string        // the person of the form
	Purpose   string        // the use case's own FaceFor… purpose
	MaxAge    time.Duration // how old the verdict may be
	AllowDemo bool          // accept FaceDemo (demo mode only)
}

// Check accepts evidence this service made for u.IDNumber and u.Purpose
// no longer than u.MaxAge before now. It refuses with ErrFaceRequired (no
// evidence), ErrFaceInvalid (forged or altered, unknown method, the demo
// verdict when not allowed, a counter verdict without staff, a time in the
// future), ErrFaceOtherPerson, ErrFaceOtherPurpose or ErrFaceStale.
func (s *FaceService) Check(f FaceEvidence, u FaceUse, now time.Time) error {
	if f.IsZero() {
		return ErrFaceRequired
	}
	if s == nil || f.mac == "" || !hmac.Equal([]byte(f.mac), []byte(s.mac(f))) {
		return ErrFaceInvalid
	}
	switch f.Method {
	case FaceHTTP:
	case FaceCounter:
		if strings.TrimSpace(f.Ref) == "" { // who confirmed the person must be on record
			return ErrFaceInvalid
		}
	case FaceDemo:
		if !u.AllowDemo {
			return ErrFaceInvalid
		}
	default:
		return ErrFaceInvalid
	}
	if normID(u.IDNumber) == "" || !hmac.Equal([]byte(f.subject), []byte(s.subject(u.IDNumber))) {
		return ErrFaceOtherPerson
	}
	if u.Purpose == "" || f.Purpose != u.Purpose {
		return ErrFaceOtherPurpose
	}
	age := now.Sub(f.At)
	switch {
	case f.At.IsZero() || age < -time.Minute: // a verdict from the future is forged or a broken clock
		return ErrFaceInvalid
	case age > u.MaxAge:
		return ErrFaceStale
	}
	return nil
}

// subject is the keyed hash of an ID number: the evidence names the person
// without carrying the number.
func (s *FaceService) subject(idNumber string) string {
	m := hmac.New(sha256.New, s.subjectKey)
	m.Write([]byte(normID(idNumber)))
	return hex.EncodeToString(m.Sum(nil))
}

// mac covers every field of f but the MAC, each length-prefixed.
func (s *FaceService) mac(f FaceEvidence) string {
	var buf []byte
	for _, v := range []string{"face-evidence-v1", f.subject, f.Purpose, f.Method,
		strconv.FormatFloat(f.Score, 'g', -1, 64), f.Ref, strconv.FormatInt(f.At.UnixNano(), 10)} {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)))
		buf = append(buf, v...)
	}
	m := hmac.New(sha256.New, s.macKey)
	m.Write(buf)
	return hex.EncodeToString(m.Sum(nil))
}

// normID is the ID number as the use cases compare it: trimmed, upper-case X.
func normID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }
