package smscode

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// ProofTTL is how long a Proof stays valid after the code was answered:
// long enough to finish the remaining steps of a form, short enough that a
// forgotten screen is useless.
const ProofTTL = 15 * time.Minute

// Errors of CheckProof. Use cases show them next to the code field.
var (
	ErrProofMissing = &model.DomainError{Code: "sms_proof_missing", Msg: i18n.T("sms.proof_missing")}
	ErrProofInvalid = &model.DomainError{Code: "sms_proof_invalid", Msg: i18n.T("sms.proof_invalid")}
	ErrProofExpired = &model.DomainError{Code: "sms_proof_expired", Msg: i18n.T("sms.proof_expired")}
)

// Proof says that whoever holds it answered a code for purpose and phone
// before Expires. It is stateless and tamper-evident: an HMAC under a key
// derived from Service.Secret covers every field, so kiosks sharing the
// Secret accept each other's proofs and nothing needs storing. The fields
// are unexported so that a screen can carry a proof but never forge one,
// and never read the phone it covers (a reserved phone stays hidden).
//
// A proof may be presented more than once until it expires; the code it
// was made from is single use, and use cases bind the proof to the phone
// they act on, so a replay can only repeat what the phone's owner proved.
type Proof struct {
	purpose string
	phone   string
	expires time.Time
	mac     []byte
}

// Purpose is what the proof was issued for.
func (p Proof) Purpose() string { return p.purpose }

// Expires is when the proof stops being accepted.
func (p Proof) Expires() time.Time { return p.expires }

// IsZero reports whether p is the zero Proof (no code answered yet).
func (p Proof) IsZero() bool { return p.mac == nil && p.purpose == "" && p.phone == "" }

// Verify checks a code like Check and, on success, returns a Proof valid
// for ProofTTL that later steps present instead of trusting the screen.
func (s *Service) Verify(ctx context.Context, purpose, phone, code string) (Proof, error) {
	if err := s.Check(ctx, purpose, phone, code); err != nil {
		return Proof{}, err
	}
	p := Proof{purpose: purpose, phone: rules.NormalizeInput(phone), expires: s.now().Add(ProofTTL)}
	p.mac = s.proofMAC(p)
	return p, nil
}

// CheckProof accepts p only if this service issued it for purpose and
// phone and it has not expired. Failures: ErrProofMissing (zero proof),
// ErrProofExpired, ErrProofInvalid (anything else: other purpose, other
// phone, forged or altered).
func (s *Service) CheckProof(p Proof, purpose, phone string) error {
	if p.IsZero() {
		return ErrProofMissing
	}
	if len(s.Secret) < MinSecretLen {
		return ErrProofInvalid
	}
	if !hmac.Equal(p.mac, s.proofMAC(p)) || p.purpose != purpose || p.phone != rules.NormalizeInput(phone) {
		return ErrProofInvalid
	}
	if !s.now().Before(p.expires) {
		return ErrProofExpired
	}
	return nil
}

// proofMAC authenticates every field of p. The key is derived from Secret
// with its own label, so a proof MAC can never be confused with a code hash.
// Fields are length-prefixed, so no two field tuples share an encoding.
func (s *Service) proofMAC(p Proof) []byte {
	k := hmac.New(sha256.New, s.Secret)
	k.Write([]byte("smscode-proof-key-v1"))
	m := hmac.New(sha256.New, k.Sum(nil))
	var buf []byte
	for _, f := range []string{"proof-v1", p.purpose, p.phone} {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(p.expires.UnixNano()))
	m.Write(buf)
	return m.Sum(nil)
}
