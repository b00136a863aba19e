package smscode

import (
	"testing"
	"time"

	"kiosk/model/clocktest"
)

// FuzzProofTamper: a proof with any field changed, or any bit of its MAC
// flipped, is refused; only the untouched proof passes.
func FuzzProofTamper(f *testing.F) {
	f.Add(PurposeReset, "13800138000", int64(0), uint16(0))
	f.Add(PurposeRegister, "13800138000", int64(0), uint16(0))
	f.Add(PurposeReset, " 13800138000", int64(0), uint16(0))
	f.Add(PurposeReset, "13800138000", int64(1), uint16(0))
	f.Add(PurposeReset, "13800138000", int64(-1), uint16(0))
	f.Add(PurposeReset, "13800138000", int64(0), uint16(0x0101))
	f.Add("reset|1380013800", "0", int64(0), uint16(0))
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s := &Service{Clock: clocktest.New(now), Secret: []byte("0123456789abcdef-fuzz")}
	orig := Proof{purpose: PurposeReset, phone: "13800138000", expires: now.Add(ProofTTL)}
	orig.mac = s.proofMAC(orig)
	if err := s.CheckProof(orig, PurposeReset, "13800138000"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, purpose, phone string, delta int64, flip uint16) {
		q := Proof{purpose: purpose, phone: phone, expires: orig.expires.Add(time.Duration(delta)),
			mac: append([]byte(nil), orig.mac...)}
		if bit := flip >> 8; flip&0xff != 0 {
			q.mac[int(flip&0xff)%len(q.mac)] ^= 1 << (bit % 8)
		}
		err := s.CheckProof(q, purpose, phone)
		same := purpose == orig.purpose && phone == orig.phone && delta == 0 && flip&0xff == 0
		if same != (err == nil) {
			t.Fatalf("CheckProof(%q, %q, %+d ns, flip %#x) = %v", purpose, phone, delta, flip, err)
		}
	})
}
