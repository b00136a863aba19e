package storage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"kiosk/model"
	"kiosk/storage/kv"
)

// The audit log is one hash chain per kiosk (see doc.go): kiosks sharing
// one database never write the same key, and each record carries the HMAC
// of the one before it, so a record changed, removed or reordered breaks
// the chain, and the sealed head catches the newest ones being dropped.
const (
	auditPrefix     = "audit/"      // audit/<chain>/<seq as 16 hex digits>
	auditHeadPrefix = "meta/audit/" // meta/audit/<chain>: sealed head
	auditChainLabel = "audit-chain" // Keys.Derive label of the chain MAC key

	// The layout before schema 3: one global counter and sequence.
	legacyAuditPrefix = "aud/"
	legacyAuditSeq    = "meta/seq/audit"
)

// auditChainID is the key segment of kiosk's chain: the kiosk id with '%',
// '/' and control bytes percent-escaped, so any id makes one valid segment
// and distinct ids never share one. The unnamed kiosk ("") is "%", which
// no escaped id can be.
func auditChainID(kiosk string) string {
	if kiosk == "" {
		return "%"
	}
	var b strings.Builder
	for i := 0; i < len(kiosk); i++ {
		c := kiosk[i]
		if c == '%' || c == '/' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// auditChainKiosk reverses auditChainID.
func auditChainKiosk(id string) (string, bool) {
	if id == "%" {
		return "", true
	}
	if id == "" || strings.Contains(id, "/") {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		if id[i] != '%' {
			b.WriteByte(id[i])
			continue
		}
		if i+2 >= len(id) {
			return "", false
		}
		n, err := strconv.ParseUint(id[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(n))
		i += 2
	}
	return b.String(), auditChainID(b.String()) == id
}

// auditKey is zero-padded hex so that key order is Seq order in a chain.
func auditKey(chain string, seq uint64) string {
	return fmt.Sprintf("%s%s/%016x", auditPrefix, chain, seq)
}

func auditHeadKey(chain string) string { return auditHeadPrefix + chain }

// parseAuditKey splits audit/<chain>/<seq>; ok is false for any other
// shape. chain is returned whenever the key names one, so a malformed key
// can be charged to its chain.
func parseAuditKey(key []byte) (chain string, seq uint64, ok bool) {
	rest, found := strings.CutPrefix(string(key), auditPrefix)
	if !found {
		return "", 0, false
	}
	chain, hexSeq, found := strings.Cut(rest, "/")
	if !found || len(hexSeq) != 16 {
		return chain, 0, false
	}
	seq, err := strconv.ParseUint(hexSeq, 16, 64)
	return chain, seq, err == nil && seq > 0 && fmt.Sprintf("%016x", seq) == hexSeq
}

// auditHeadRec is a chain's head: the last Seq and the HMAC of that
// record. It is sealed like every record, so without the key file it can
// be neither forged nor edited, only deleted or replaced by an older copy.
type auditHeadRec struct {
	Kiosk string `json:"k"`
	Seq   uint64 `json:"seq"`
	MAC   string `json:"mac"` // hex
}

// chainMAC computes the record and genesis links of the audit chains.
type chainMAC struct{ key []byte }

func newChainMAC(k *Keys) chainMAC { return chainMAC{k.Derive(auditChainLabel)} }

// genesis is what the first record of kiosk's chain links to: fixed per
// kiosk, so a chain cannot be passed off as another kiosk's.
func (c chainMAC) genesis(kiosk string) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("kiosk-audit-genesis\x00"))
	m.Write([]byte(kiosk))
	return m.Sum(nil)
}

// record is the HMAC of one record: its key and the exact plaintext that
// was sealed (which holds the Seq, the kiosk and the previous link).
func (c chainMAC) record(key, plaintext []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("kiosk-audit-record\x00"))
	m.Write(key)
	m.Write([]byte{0})
	m.Write(plaintext)
	return m.Sum(nil)
}

type auditLog struct{ t *tx }

// Append stores r as the next record of its kiosk's chain (r.Seq is
// ignored) and returns its Seq. Everything it reads and writes is in the
// transaction (the chain head, the record), so a re-run starts afresh and
// a rolled-back append leaves nothing behind.
func (a auditLog) Append(r model.AuditRecord) (uint64, error) {
	if err := a.t.checkWrite(); err != nil {
		return 0, err
	}
	chain := auditChainID(r.Kiosk)
	macs := newChainMAC(a.t.keys)
	var head auditHeadRec
	ok, err := a.t.getRec(auditHeadKey(chain), &head)
	if err != nil {
		return 0, err
	}
	prev := macs.genesis(r.Kiosk)
	if ok {
		if prev, err = hex.DecodeString(head.MAC); err != nil || head.Kiosk != r.Kiosk {
			return 0, fmt.Errorf("%w: audit head of %q", ErrCorrupt, r.Kiosk)
		}
	}
	r.Seq = head.Seq + 1
	key := []byte(auditKey(chain, r.Seq))
	rec := auditToRec(r)
	rec.Prev = hex.EncodeToString(prev)
	pt, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	// Never overwrite a record: a head that was deleted or rewound must
	// not let new records erase the evidence. The slot is created, not
	// read (kv.Create): the head was read, so the slot is absent but for
	// such an accident, which the commit then catches.
	if err := kv.Create(a.t.kv, key, a.t.keys.seal(key, pt)); errors.Is(err, kv.ErrExists) {
		return 0, fmt.Errorf("%w: audit chain of %q: record %d exists beyond the head", ErrCorrupt, r.Kiosk, r.Seq)
	} else if err != nil {
		return 0, err
	}
	head = auditHeadRec{Kiosk: r.Kiosk, Seq: r.Seq, MAC: hex.EncodeToString(macs.record(key, pt))}
	if err := a.t.putRec(auditHeadKey(chain), head); err != nil {
		return 0, err
	}
	return r.Seq, nil
}

// List returns up to limit records with Seq > after, chain by chain
// (kiosk chains in key order), oldest first within each; none when
// limit <= 0. Seqs count per kiosk, so after is a cursor within a chain:
// paging with it is exact on a store with one kiosk.
func (a auditLog) List(after uint64, limit int) ([]model.AuditRecord, error) {
	if limit <= 0 || after == math.MaxUint64 {
		return nil, nil
	}
	var out []model.AuditRecord
	err := a.t.kv.Scan([]byte(auditPrefix), func(k, v []byte) (bool, error) {
		if _, seq, ok := parseAuditKey(k); ok && seq <= after {
			return true, nil
		}
		var rec auditRec
		if err := openRec(a.t.keys, k, v, &rec); err != nil {
			return false, err
		}
		out = append(out, rec.model())
		return len(out) < limit, nil
	})
	return out, err
}

// openRec opens the sealed JSON record v stored under k into rec.
func openRec(keys *Keys, k, v []byte, rec any) error {
	pt, err := keys.open(k, v)
	if err != nil {
		return err
	}
	return unmarshalRec(k, pt, rec)
}

// chainAudit (schema 2 → 3) moves the records of the global sequence
// (aud/<seq>) into their kiosks' chains, in their order, and drops the
// global counter. Each is appended as it would be today, so the migrated
// chains verify like new ones.
func (s *Store) chainAudit(t kv.Tx) error {
	var old [][2][]byte
	err := t.Scan([]byte(legacyAuditPrefix), func(k, v []byte) (bool, error) {
		old = append(old, [2][]byte{k, v})
		return true, nil
	})
	if err != nil {
		return err
	}
	log := auditLog{&tx{kv: t, keys: s.keys, writable: true}}
	for _, kvp := range old {
		var rec auditRec
		if err := openRec(s.keys, kvp[0], kvp[1], &rec); err != nil {
			return err
		}
		if _, err := log.Append(rec.model()); err != nil {
			return fmt.Errorf("%s: %w", kvp[0], err)
		}
		if err := t.Delete(kvp[0]); err != nil {
			return err
		}
	}
	return t.Delete([]byte(legacyAuditSeq))
}
