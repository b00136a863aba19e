package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// AuditCheckpointFormat names the checkpoint format (docs/audit.md).
const AuditCheckpointFormat = "kiosk-audit-checkpoint/1"

const auditCheckpointLabel = "audit-checkpoint" // Keys.Derive label of the signing key

// ErrAuditBroken is returned when an audit chain does not verify.
var ErrAuditBroken = errors.New("storage: audit chain does not verify")

// ErrBadCheckpoint is returned for a checkpoint that is malformed, of
// another store, or whose signature does not match.
var ErrBadCheckpoint = errors.New("storage: invalid audit checkpoint")

// AuditCheckpoint is a signed statement of one kiosk chain's state: kept
// outside the kiosk, it lets a later verification tell a chain that grew
// from one that was rolled back or rewritten (VerifyAuditAgainst).
type AuditCheckpoint struct {
	Format     string    `json:"format"`
	Store      string    `json:"store"` // key id of the store (Keys.ID)
	Kiosk      string    `json:"kiosk"`
	Seq        uint64    `json:"seq"`   // the head: last record's Seq
	Head       string    `json:"head"`  // the head record's chain HMAC, hex
	Count      uint64    `json:"count"` // records in the chain
	Since      time.Time `json:"since,omitzero"`
	SinceCount uint64    `json:"since_count"`           // records with Time at or after Since
	SinceFirst uint64    `json:"since_first,omitempty"` // Seq of the first of them
	At         time.Time `json:"at"`                    // when the checkpoint was made
	Sig        string    `json:"sig"`                   // hex HMAC-SHA256 of the line without sig
}

// AuditCheckpoints verifies every chain and returns a signed checkpoint
// for each, counting the records at or after since (zero: all). When a
// chain is broken it returns the report and ErrAuditBroken, and no
// checkpoint: a checkpoint must never vouch for a tampered chain.
func (s *Store) AuditCheckpoints(ctx context.Context, since, now time.Time) ([]AuditCheckpoint, AuditReport, error) {
	rep, err := s.walkAudit(ctx, since, nil)
	if err != nil {
		return nil, rep, err
	}
	if !rep.OK() {
		return nil, rep, ErrAuditBroken
	}
	cps := make([]AuditCheckpoint, 0, len(rep.Chains))
	for _, c := range rep.Chains {
		cp := AuditCheckpoint{Format: AuditCheckpointFormat, Store: s.keys.ID(), Kiosk: c.Kiosk, Seq: c.Seq, Head: c.MAC,
			Count: c.Count, SinceCount: c.Since, SinceFirst: c.SinceAt, At: now.UTC()}
		if !since.IsZero() {
			cp.Since = since.UTC()
		}
		if cp.Sig, err = s.signCheckpoint(cp); err != nil {
			return nil, rep, err
		}
		cps = append(cps, cp)
	}
	return cps, rep, nil
}

// signCheckpoint is the hex HMAC of cp's JSON with an empty signature.
func (s *Store) signCheckpoint(cp AuditCheckpoint) (string, error) {
	cp.Sig = ""
	b, err := json.Marshal(cp)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, s.keys.Derive(auditCheckpointLabel))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil)), nil
}

// ParseAuditCheckpoint reads one exported line and checks that it is a
// checkpoint of this store with a valid signature.
func (s *Store) ParseAuditCheckpoint(line []byte) (AuditCheckpoint, error) {
	var cp AuditCheckpoint
	if err := json.Unmarshal(line, &cp); err != nil {
		return cp, fmt.Errorf("%w: %v", ErrBadCheckpoint, err)
	}
	if cp.Format != AuditCheckpointFormat {
		return cp, fmt.Errorf("%w: format %q", ErrBadCheckpoint, cp.Format)
	}
	if cp.Store != s.keys.ID() {
		return cp, fmt.Errorf("%w: made for store key %s, this store has %s", ErrBadCheckpoint, cp.Store, s.keys.ID())
	}
	want, err := s.signCheckpoint(cp)
	if err != nil {
		return cp, err
	}
	if !hmac.Equal([]byte(want), []byte(cp.Sig)) {
		return cp, fmt.Errorf("%w: signature does not match (kiosk %q, seq %d)", ErrBadCheckpoint, cp.Kiosk, cp.Seq)
	}
	return cp, nil
}
