package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Hot records (enterprises, read on every login and registration check)
// are stored in a compact binary form instead of JSON: decoding JSON was
// most of the cost of a look-up. The form is a format byte, then the
// fields in a fixed order:
//
//	string  uvarint length, then the bytes
//	int     zig-zag varint
//	bool    one byte, 0 or 1
//	time    one length byte, 0 for the zero time, else time.MarshalBinary
//	        (a zero offset is stored as UTC, as JSON's "Z" did)
//
// A decoded record's strings are substrings of one copy of the plaintext,
// so a look-up allocates once for all of them. Decoding is strict: a
// missing field, a length past the end or trailing bytes is ErrCorrupt.

// binV1 is the format byte of the binary records. JSON records start with
// '{', so the two can never be confused.
const binV1 = 0x01

// A record type stored in the binary form has both: putRec and getRec
// pick the form by them.
type (
	binaryEncoder interface {
		appendBinary(b []byte) ([]byte, error)
	}
	binaryDecoder interface {
		decodeBinary(r *binReader)
	}
)

type binWriter struct {
	b   []byte
	err error
}

func (w *binWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *binWriter) int(n int) { w.b = binary.AppendVarint(w.b, int64(n)) }

func (w *binWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *binWriter) time(t time.Time) {
	if t.IsZero() {
		w.b = append(w.b, 0)
		return
	}
	if _, off := t.Zone(); off == 0 {
		t = t.UTC() // as JSON does ("Z"), whatever the zone's name
	}
	at := len(w.b)
	w.b = append(w.b, 0)
	var err error
	if w.b, err = t.AppendBinary(w.b); err != nil && w.err == nil {
		w.err = err
	}
	w.b[at] = byte(len(w.b) - at - 1)
}

// binReader reads fields from b; strings are cut from s, a string copy of
// b. The first error sticks and every later read returns a zero value.
type binReader struct {
	b   []byte
	s   string
	off int
	err error
}

var errBinTruncated = errors.New("truncated binary record")

func (r *binReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *binReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail(errBinTruncated)
		return 0
	}
	r.off += n
	return v
}

func (r *binReader) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)-r.off) {
		r.fail(errBinTruncated)
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

func (r *binReader) int() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 || v < math.MinInt || v > math.MaxInt {
		r.fail(errBinTruncated)
		return 0
	}
	r.off += n
	return int(v)
}

func (r *binReader) bool() bool {
	if r.err != nil {
		return false
	}
	if r.off >= len(r.b) || r.b[r.off] > 1 {
		r.fail(errors.New("bad bool"))
		return false
	}
	r.off++
	return r.b[r.off-1] == 1
}

func (r *binReader) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	if r.off >= len(r.b) {
		r.fail(errBinTruncated)
		return time.Time{}
	}
	n := int(r.b[r.off])
	r.off++
	if n == 0 {
		return time.Time{}
	}
	if n > len(r.b)-r.off {
		r.fail(errBinTruncated)
		return time.Time{}
	}
	var t time.Time
	p := r.b[r.off : r.off+n]
	if err := t.UnmarshalBinary(p); err != nil {
		r.fail(err)
		return time.Time{}
	}
	// One spelling per time: UnmarshalBinary takes, e.g., nanoseconds past
	// 1e9 and builds a Time no other path can.
	var buf [16]byte
	if again, err := t.AppendBinary(buf[:0]); t.IsZero() || err != nil || string(again) != string(p) {
		r.fail(errors.New("non-canonical time"))
		return time.Time{}
	}
	r.off += n
	if _, off := t.Zone(); off == 0 {
		t = t.UTC() // JSON read every zero offset as UTC
	}
	return t
}

// decodeBinaryRec decodes pt, the binary form of a record stored under
// key, into rec.
func decodeBinaryRec(key, pt []byte, rec binaryDecoder) error {
	r, err := newBinReader(key, pt)
	if err != nil {
		return err
	}
	rec.decodeBinary(&r)
	return r.finish(key)
}

// newBinReader starts reading pt, the binary form of the record at key.
func newBinReader(key, pt []byte) (binReader, error) {
	if len(pt) == 0 || pt[0] != binV1 {
		return binReader{}, fmt.Errorf("%w: %s: not a binary record", ErrCorrupt, key)
	}
	return binReader{b: pt, s: string(pt), off: 1}, nil
}

// finish reports the first error, or bytes left over.
func (r *binReader) finish(key []byte) error {
	if r.err == nil && r.off != len(r.b) {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, key, r.err)
	}
	return nil
}

func (d idDocRec) appendTo(w *binWriter) {
	w.str(d.Type)
	w.str(d.Number)
	w.str(d.Period)
	w.time(d.From)
	w.time(d.To)
}

func (d *idDocRec) readFrom(r *binReader) {
	d.Type, d.Number, d.Period = r.str(), r.str(), r.str()
	d.From, d.To = r.time(), r.time()
}

func (x extendedRec) appendTo(w *binWriter) {
	w.str(x.Address)
	w.str(x.Capital)
	w.time(x.RegDate)
	w.str(x.Scope)
	w.str(x.CodeType)
	w.str(x.Industry)
	w.time(x.Approved)
	w.str(x.Authority)
	w.str(x.Status)
	w.time(x.Established)
	w.str(x.License)
}

func (x *extendedRec) readFrom(r *binReader) {
	x.Address, x.Capital, x.RegDate = r.str(), r.str(), r.time()
	x.Scope, x.CodeType, x.Industry = r.str(), r.str(), r.str()
	x.Approved, x.Authority, x.Status = r.time(), r.str(), r.str()
	x.Established, x.License = r.time(), r.str()
}

func (e enterpriseRec) appendBinary(b []byte) ([]byte, error) {
	w := binWriter{b: append(b, binV1)}
	w.str(e.ID)
	w.str(e.USCC)
	w.str(e.Name)
	w.str(e.LegalType)
	w.str(e.LegalRep.Name)
	e.LegalRep.ID.appendTo(&w)
	e.Extended.appendTo(&w)
	w.str(e.Account)
	w.str(e.Password)
	w.str(e.Phone)
	w.str(e.State)
	w.int(e.Epoch)
	w.time(e.Created)
	w.time(e.Updated)
	return w.b, w.err
}

func (e *enterpriseRec) decodeBinary(r *binReader) {
	e.ID, e.USCC, e.Name, e.LegalType = r.str(), r.str(), r.str(), r.str()
	e.LegalRep.Name = r.str()
	e.LegalRep.ID.readFrom(r)
	e.Extended.readFrom(r)
	e.Account, e.Password, e.Phone, e.State = r.str(), r.str(), r.str(), r.str()
	e.Epoch = r.int()
	e.Created, e.Updated = r.time(), r.time()
}
