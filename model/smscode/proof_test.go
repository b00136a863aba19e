package smscode_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/model/smscode"
)

func TestVerifyIssuesProof(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.mustSend(smscode.PurposeReset, phoneA, "123456")
	f.at(30 * time.Second)
	p, err := f.svc.Verify(ctx, smscode.PurposeReset, " "+phoneA+" ", "123456")
	if err != nil {
		t.Fatal(err)
	}
	if p.IsZero() || p.Purpose() != smscode.PurposeReset || !p.Expires().Equal(f.clock.Now().Add(smscode.ProofTTL)) {
		t.Fatalf("proof = %+v", p)
	}
	// The code is used up: a second Verify fails and gives no proof.
	if p2, err := f.svc.Verify(ctx, smscode.PurposeReset, phoneA, "123456"); !errors.Is(err, smscode.ErrInvalidated) || !p2.IsZero() {
		t.Fatalf("second Verify = %+v, %v", p2, err)
	}

	other := f.service("K99") // another kiosk with the same secret accepts it
	tests := []struct {
		name           string
		svc            *smscode.Service
		proof          smscode.Proof
		purpose, phone string
		at             time.Duration
		want           error
	}{
		{"valid", f.svc, p, smscode.PurposeReset, phoneA, time.Minute, nil},
		{"valid, phone with spaces", f.svc, p, smscode.PurposeReset, " " + phoneA, time.Minute, nil},
		{"other kiosk, same secret", other, p, smscode.PurposeReset, phoneA, time.Minute, nil},
		{"last instant", f.svc, p, smscode.PurposeReset, phoneA, 30*time.Second + smscode.ProofTTL - time.Nanosecond, nil},
		{"expired", f.svc, p, smscode.PurposeReset, phoneA, 30*time.Second + smscode.ProofTTL, smscode.ErrProofExpired},
		{"other purpose", f.svc, p, smscode.PurposeRegister, phoneA, time.Minute, smscode.ErrProofInvalid},
		{"other phone", f.svc, p, smscode.PurposeReset, phoneB, time.Minute, smscode.ErrProofInvalid},
		{"zero proof", f.svc, smscode.Proof{}, smscode.PurposeReset, phoneA, time.Minute, smscode.ErrProofMissing},
		{"other secret", &smscode.Service{Store: f.store, Clock: f.clock, Secret: []byte("another-secret-of-16+")}, p,
			smscode.PurposeReset, phoneA, time.Minute, smscode.ErrProofInvalid},
		{"no secret", &smscode.Service{Store: f.store, Clock: f.clock}, p, smscode.PurposeReset, phoneA, time.Minute, smscode.ErrProofInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.at(tt.at)
			err := tt.svc.CheckProof(tt.proof, tt.purpose, tt.phone)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("CheckProof = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyFailuresGiveNoProof(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if p, err := f.svc.Verify(ctx, smscode.PurposeRegister, phoneA, "123456"); !errors.Is(err, smscode.ErrNoCode) || !p.IsZero() {
		t.Fatalf("no code: %+v, %v", p, err)
	}
	f.mustSend(smscode.PurposeRegister, phoneA, "123456")
	if p, err := f.svc.Verify(ctx, smscode.PurposeRegister, phoneA, "654321"); !errors.Is(err, smscode.ErrWrongCode) || !p.IsZero() {
		t.Fatalf("wrong code: %+v, %v", p, err)
	}
	f.at(6 * time.Minute)
	if p, err := f.svc.Verify(ctx, smscode.PurposeRegister, phoneA, "123456"); !errors.Is(err, smscode.ErrExpired) || !p.IsZero() {
		t.Fatalf("expired code: %+v, %v", p, err)
	}
}
