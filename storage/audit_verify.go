package storage

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"kiosk/storage/kv"
)

// AuditBreakKind names how a chain is broken.
type AuditBreakKind string

const (
	BreakGap        AuditBreakKind = "gap"        // records missing before Seq
	BreakUnreadable AuditBreakKind = "unreadable" // the record does not open or decode: changed bytes
	BreakSeq        AuditBreakKind = "seq"        // the stored Seq differs from the key's
	BreakKiosk      AuditBreakKind = "kiosk"      // the stored kiosk is not the chain's
	BreakLink       AuditBreakKind = "link"       // the previous-record HMAC does not match
	BreakHead       AuditBreakKind = "head"       // the head is missing, unreadable or not the last record
	BreakKey        AuditBreakKind = "key"        // a key under audit/ that the layout does not have
	BreakCheckpoint AuditBreakKind = "checkpoint" // the chain does not extend an exported checkpoint
)

// AuditBreak is the first place a chain stops verifying.
type AuditBreak struct {
	Seq    uint64 // the record (or head) where it breaks
	Kind   AuditBreakKind
	Detail string
}

func (b AuditBreak) String() string { return fmt.Sprintf("seq %d: %s: %s", b.Seq, b.Kind, b.Detail) }

// AuditChain is one kiosk's chain as VerifyAudit found it.
type AuditChain struct {
	Kiosk   string
	Count   uint64      // records present
	Seq     uint64      // the last record verified: the head of an intact chain
	MAC     string      // its HMAC, hex
	Break   *AuditBreak // the first break; nil when the chain verifies
	Since   uint64      // records at or after the walk's since time
	SinceAt uint64      // Seq of the first of them, 0 when none
}

// AuditReport lists every kiosk chain, in key order.
type AuditReport struct {
	Chains []AuditChain
}

// OK reports whether every chain verifies.
func (r AuditReport) OK() bool {
	for _, c := range r.Chains {
		if c.Break != nil {
			return false
		}
	}
	return true
}

// VerifyAudit walks every kiosk's audit chain and reports the first break
// of each. Against an attacker who can write the store's file but has no
// key file: a changed record no longer opens (sealed) or breaks the next
// link; a removed record leaves a gap; dropping the newest ones leaves the
// sealed head pointing past them, and the head cannot be forged or moved
// back, only deleted (reported too). Replacing the head and the records by
// older copies of themselves (a rollback to an earlier file) is only seen
// against a checkpoint exported before: VerifyAuditAgainst.
func (s *Store) VerifyAudit(ctx context.Context) (AuditReport, error) {
	return s.walkAudit(ctx, time.Time{}, nil)
}

// VerifyAuditAgainst is VerifyAudit that also checks each chain extends
// the given checkpoints (signatures already checked by the caller, see
// ParseAuditCheckpoint): its record at the checkpoint's Seq must still
// have the checkpoint's HMAC.
func (s *Store) VerifyAuditAgainst(ctx context.Context, cps []AuditCheckpoint) (AuditReport, error) {
	return s.walkAudit(ctx, time.Time{}, cps)
}

// chainWalk is the running state of one chain during walkAudit.
type chainWalk struct {
	AuditChain
	id      string
	next    uint64 // Seq expected next
	prevMAC []byte
	cp      *AuditCheckpoint
	cpSeen  bool
}

func (w *chainWalk) fail(seq uint64, kind AuditBreakKind, format string, args ...any) {
	if w.Break == nil {
		w.Break = &AuditBreak{Seq: seq, Kind: kind, Detail: fmt.Sprintf(format, args...)}
	}
}

// walkAudit verifies every chain in one read transaction, counting the
// records at or after since on the way.
func (s *Store) walkAudit(ctx context.Context, since time.Time, cps []AuditCheckpoint) (AuditReport, error) {
	var rep AuditReport
	err := s.engine.View(ctx, func(t kv.Tx) error {
		rep = AuditReport{} // View may be re-run
		macs := newChainMAC(s.keys)
		heads, err := s.auditHeads(t)
		if err != nil {
			return err
		}
		byKiosk := map[string]*AuditCheckpoint{}
		for i := range cps {
			byKiosk[cps[i].Kiosk] = &cps[i]
		}
		var w *chainWalk
		finish := func() {
			if w != nil {
				s.finishChain(w, heads)
				rep.Chains = append(rep.Chains, w.AuditChain)
			}
		}
		err = t.Scan([]byte(auditPrefix), func(k, v []byte) (bool, error) {
			id, seq, ok := parseAuditKey(k)
			if w == nil || id != w.id {
				finish()
				kiosk, valid := auditChainKiosk(id)
				w = &chainWalk{AuditChain: AuditChain{Kiosk: kiosk}, id: id, next: 1, prevMAC: macs.genesis(kiosk)}
				if valid {
					w.cp, byKiosk[kiosk] = byKiosk[kiosk], nil
				} else {
					w.Kiosk = id
					w.fail(0, BreakKey, "chain id %q names no kiosk", id)
				}
			}
			w.Count++
			if w.Break != nil {
				return true, nil
			}
			if !ok {
				w.fail(w.next, BreakKey, "unexpected key %q", k)
				return true, nil
			}
			s.checkRecord(w, macs, since, k, v, seq)
			return true, nil
		})
		if err != nil {
			return err
		}
		finish()
		// Heads whose chain has no record left at all.
		for _, c := range rep.Chains {
			delete(heads, auditChainID(c.Kiosk))
		}
		for id, h := range heads {
			kiosk, _ := auditChainKiosk(id)
			w := &chainWalk{AuditChain: AuditChain{Kiosk: kiosk}, id: id}
			w.fail(h.Seq, BreakHead, "head at seq %d but no record is left", h.Seq)
			rep.Chains = append(rep.Chains, w.AuditChain)
			byKiosk[kiosk] = nil
		}
		// Checkpointed chains that are gone altogether.
		for kiosk, cp := range byKiosk {
			if cp != nil {
				w := &chainWalk{AuditChain: AuditChain{Kiosk: kiosk}}
				w.fail(0, BreakCheckpoint, "no record and no head, the checkpoint of %s had seq %d",
					cp.At.Format(time.RFC3339), cp.Seq)
				rep.Chains = append(rep.Chains, w.AuditChain)
			}
		}
		slices.SortFunc(rep.Chains, func(a, b AuditChain) int {
			return strings.Compare(auditChainID(a.Kiosk), auditChainID(b.Kiosk))
		})
		return nil
	})
	return rep, err
}

// checkRecord verifies the record k=v (Seq seq from its key) of w's chain.
func (s *Store) checkRecord(w *chainWalk, macs chainMAC, since time.Time, k, v []byte, seq uint64) {
	switch {
	case seq < w.next:
		w.fail(seq, BreakKey, "key %q out of order", k) // only when the key's id is not canonical
		return
	case seq > w.next:
		w.fail(w.next, BreakGap, "records %d to %d are missing", w.next, seq-1)
		return
	}
	pt, err := s.keys.open(k, v)
	var rec auditRec
	if err == nil {
		err = unmarshalRec(k, pt, &rec)
	}
	switch {
	case err != nil:
		w.fail(seq, BreakUnreadable, "record does not open: changed or not written by this store")
	case rec.Seq != seq:
		w.fail(seq, BreakSeq, "record says seq %d", rec.Seq)
	case auditChainID(rec.Kiosk) != w.id:
		w.fail(seq, BreakKiosk, "record says kiosk %q", rec.Kiosk)
	case rec.Prev != hex.EncodeToString(w.prevMAC):
		w.fail(seq, BreakLink, "does not link to record %d: that record was changed or replaced", seq-1)
	}
	if w.Break != nil {
		return
	}
	w.prevMAC = macs.record(k, pt)
	w.Seq, w.MAC, w.next = seq, hex.EncodeToString(w.prevMAC), seq+1
	if !rec.Time.Before(since) {
		w.Since++
		if w.SinceAt == 0 {
			w.SinceAt = seq
		}
	}
	if w.cp != nil && w.cp.Seq == seq {
		w.cpSeen = true
		if w.cp.Head != w.MAC {
			w.fail(seq, BreakCheckpoint, "record differs from the one checkpointed at %s", w.cp.At.Format(time.RFC3339))
		}
	}
}

// finishChain compares a walked chain with its stored head and checkpoint.
func (s *Store) finishChain(w *chainWalk, heads map[string]headResult) {
	if w.Break != nil {
		return
	}
	last := w.next - 1
	h, ok := heads[w.id]
	switch {
	case !ok:
		w.fail(last, BreakHead, "head is missing")
	case h.err != nil:
		w.fail(last, BreakHead, "head does not open: changed or not written by this store")
	case h.Seq != last:
		w.fail(last, BreakHead, "head is at seq %d, the last record is %d (newest records removed?)", h.Seq, last)
	case h.MAC != w.MAC || h.Kiosk != w.Kiosk:
		w.fail(last, BreakHead, "head does not match the last record")
	case w.cp != nil && !w.cpSeen:
		w.fail(last, BreakCheckpoint, "chain ends at seq %d, before the checkpoint's seq %d of %s",
			last, w.cp.Seq, w.cp.At.Format(time.RFC3339))
	}
}

// headResult is one stored head, or why it cannot be read.
type headResult struct {
	auditHeadRec
	err error
}

// auditHeads reads every chain head, keyed by chain id.
func (s *Store) auditHeads(t kv.Tx) (map[string]headResult, error) {
	heads := map[string]headResult{}
	err := t.Scan([]byte(auditHeadPrefix), func(k, v []byte) (bool, error) {
		id := string(bytes.TrimPrefix(k, []byte(auditHeadPrefix)))
		var h headResult
		h.err = openRec(s.keys, k, v, &h.auditHeadRec)
		heads[id] = h
		return true, nil
	})
	return heads, err
}
