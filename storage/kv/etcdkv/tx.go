package etcdkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/storage/kv"
)

// scanPage is how many keys one range request of a scan fetches.
const scanPage = 256

type write struct {
	value   []byte
	deleted bool
	lease   clientv3.LeaseID
}

// span is a walked range of user keys: [start, end), end "" = unbounded.
type span struct{ start, end string }

type tx struct {
	e        *Engine
	ctx      context.Context
	writable bool
	done     bool

	rev    int64            // revision every read is made at; 0 before the first
	reads  map[string]int64 // key → mod revision seen (0: absent)
	cache  map[string][]byte
	spans  []span
	writes map[string]write
	// creates are the keys written by Create without being read: the
	// commit requires each still absent (kv.Creator), a compare each.
	creates map[string]struct{}
	// present are the keys that the previous attempt created without
	// reading and that its failed commit found present: Create reads them
	// on this run (and answers kv.ErrExists if they are still there).
	present map[string]bool
	// found is set by a failed commit: the keys of creates it found
	// present, the next attempt's present.
	found map[string]bool
	// lost is the error of a request that could not reach the cluster;
	// the closure may be re-run when it answers again.
	lost error
	// behind: the first read came from a member behind this engine's own
	// writes; they are read from e.own instead (see ownWrites).
	behind bool
	// linear makes every read linearizable (an attempt after redo or
	// after a conflict); serial: a read was answered serializably or from
	// e.own.
	linear, serial bool
	// owned are the keys read from e.own (fromOwn).
	owned []string
	// redo: a read of this attempt could not be answered from e.own (a
	// leased key, or writes older than it keeps); the closure runs again,
	// reading linearizable, whatever it returned.
	redo bool
}

// errRedo is what reads answer once the attempt is to be run again.
var errRedo = errors.New("etcdkv: read again at the cluster's revision")

var (
	_ kv.Tx      = (*tx)(nil)
	_ kv.LeaseTx = (*tx)(nil)
	_ kv.Creator = (*tx)(nil)
	_ kv.Batcher = (*tx)(nil)
)

func (t *tx) get(ctx context.Context, key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	var resp *clientv3.GetResponse
	err := t.read(ctx, func(ctx context.Context, at []clientv3.OpOption) (rev int64, err error) {
		if resp, err = t.e.cli.Get(ctx, key, append(slices.Clip(opts), at...)...); err != nil {
			return 0, err
		}
		return resp.Header.Revision, nil
	})
	return resp, err
}

// read makes one read request: do sends it with the options at, which
// say at which revision and how. An Update reads serializably, from the
// member it reaches, without the leader's confirmation a linearizable read
// waits for: its commit compares every key and range it read, so a stale
// answer only costs a conflict. A first read answered from before this
// engine's newest revision is read with the engine's own writes laid over
// it (ownWrites, behind), or made again linearizable when they are not
// all known; a read at the transaction's revision that the member has not
// reached is made again linearizable. A View reads linearizable, as what
// it returns is never checked.
func (t *tx) read(ctx context.Context, do func(ctx context.Context, at []clientv3.OpOption) (rev int64, err error)) error {
	if t.redo {
		return errRedo
	}
	serial := t.writable && !t.linear
	for {
		var at []clientv3.OpOption
		rev := t.rev
		if serial && rev == 0 && t.e.lag > 0 {
			rev = max(1, t.e.seen.Load()-t.e.lag) // a member that far behind (tests)
		}
		if rev > 0 {
			at = append(at, clientv3.WithRev(rev))
		}
		if serial {
			at = append(at, clientv3.WithSerializable())
		}
		rctx, cancel := context.WithTimeout(ctx, t.e.opts.RequestTimeout)
		answered, err := do(rctx, at)
		cancel()
		if t.rev == 0 && rev > 0 {
			answered = rev
		}
		// Behind: a first read older than what this engine saw, that its
		// own writes cannot make up for, or a read at a revision the member
		// has not reached.
		if serial && err == nil && t.rev == 0 && answered < t.e.seen.Load() {
			if t.e.own.covers(answered) {
				t.behind = true
			} else {
				err = rpctypes.ErrFutureRev
			}
		}
		if serial && errors.Is(err, rpctypes.ErrFutureRev) {
			t.e.stats.rereads.Add(1)
			t.behind = false
			serial = false
			continue
		}
		if err != nil {
			return t.readErr(ctx, err)
		}
		if t.rev == 0 {
			t.rev = answered
		}
		t.serial = t.serial || serial
		t.e.saw(answered)
		return nil
	}
}

// readErr maps the error of a read; one that could not reach the cluster
// lets the closure run again.
func (t *tx) readErr(ctx context.Context, err error) error {
	err = t.e.callErr(ctx, err)
	if errors.Is(err, kv.ErrUnavailable) {
		t.lost = err
	}
	return err
}

// known answers key from the transaction's own writes and reads; ok is
// false when it has to be read from the cluster.
func (t *tx) known(k string) (v []byte, ok bool) {
	if w, ok := t.writes[k]; ok {
		if w.deleted {
			return nil, true
		}
		return kv.Clone(w.value), true
	}
	if _, ok := t.reads[k]; ok {
		if v := t.cache[k]; v != nil {
			return kv.Clone(v), true
		}
		return nil, true
	}
	return nil, false
}

// fromOwn reads k from what this engine last wrote to it, when that is
// remembered (ownWrites), else from what a View of this engine read of it
// lately (viewReads): an Update takes these to be current, which its
// commit checks (or, if it commits nothing, validate), so a key that only
// this kiosk writes, its audit chain's head, or one it looked up a step
// before, costs no request. A conflict forgets the keys so read
// (dropOwned), and the attempt after it reads linearizable.
func (t *tx) fromOwn(k string) bool {
	if !t.writable || t.linear {
		return false
	}
	if w, ok := t.e.own.last(k); ok {
		if w.deleted {
			t.remember(k, 0, nil)
		} else {
			t.remember(k, w.rev, w.value)
		}
	} else if r, ok := t.e.views.get(k); ok {
		t.remember(k, r.rev, r.value)
	} else {
		return false
	}
	t.owned = append(t.owned, k)
	t.serial = true
	return true
}

// note records what the cluster answered for key k (kvs empty: absent).
// In an attempt read from behind, an answer from before this engine's own
// last write to k (one fromOwn could not take: leased, big, or committed
// meanwhile) makes the attempt run again.
func (t *tx) note(k string, kvs []*mvccpb.KeyValue) error {
	if t.behind {
		if newer, ok := t.e.own.after(k, t.rev); !ok || newer {
			t.redo = true
			return errRedo
		}
	}
	var rev int64
	var v []byte
	if len(kvs) > 0 {
		rev, v = kvs[0].ModRevision, kvs[0].Value
		if v == nil {
			v = []byte{}
		}
	}
	t.remember(k, rev, v)
	if !t.writable {
		t.e.views.put(k, rev, v)
	}
	return nil
}

// remember records that k was read at mod revision rev with value v (rev
// 0: absent).
func (t *tx) remember(k string, rev int64, v []byte) {
	if t.reads == nil {
		t.reads, t.cache = make(map[string]int64), make(map[string][]byte)
	}
	t.reads[k] = rev
	if rev != 0 {
		t.cache[k] = v
	}
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, kv.ErrTxDone
	}
	k := string(key)
	if v, ok := t.known(k); ok {
		return v, nil
	}
	if t.fromOwn(k) {
		v, _ := t.known(k)
		return v, nil
	}
	resp, err := t.get(t.ctx, t.e.pfx.data+k)
	if err != nil {
		return nil, err
	}
	if err := t.note(k, resp.Kvs); err != nil {
		return nil, err
	}
	v, _ := t.known(k)
	return v, nil
}

// GetMany implements kv.Batcher: the keys the transaction has neither read
// nor written are read in one read-only Txn of range requests (several if
// they are more than the cluster takes in one Txn), at the transaction's
// revision, and recorded as Get records them.
func (t *tx) GetMany(keys [][]byte) ([][]byte, error) {
	if t.done {
		return nil, kv.ErrTxDone
	}
	var miss []string
	for _, key := range keys {
		k := string(key)
		if _, ok := t.known(k); !ok && !t.fromOwn(k) && !slices.Contains(miss, k) {
			miss = append(miss, k)
		}
	}
	for len(miss) > 0 {
		n := min(len(miss), t.e.opts.MaxTxnOps)
		if err := t.readMany(miss[:n]); err != nil {
			return nil, err
		}
		miss = miss[n:]
	}
	vals := make([][]byte, len(keys))
	for i, key := range keys {
		vals[i], _ = t.known(string(key))
	}
	return vals, nil
}

// readMany reads keys in one round trip and records them.
func (t *tx) readMany(keys []string) error {
	if len(keys) == 1 {
		resp, err := t.get(t.ctx, t.e.pfx.data+keys[0])
		if err != nil {
			return err
		}
		return t.note(keys[0], resp.Kvs)
	}
	// A Txn without compares or writes is a read, at one revision, like
	// the Gets it replaces.
	var resp *clientv3.TxnResponse
	err := t.read(t.ctx, func(ctx context.Context, at []clientv3.OpOption) (rev int64, err error) {
		ops := make([]clientv3.Op, len(keys))
		for i, k := range keys {
			ops[i] = clientv3.OpGet(t.e.pfx.data+k, at...)
		}
		if resp, err = t.e.cli.Txn(ctx).Then(ops...).Commit(); err != nil {
			return 0, err
		}
		return resp.Header.Revision, nil
	})
	if err != nil {
		return err
	}
	if len(resp.Responses) != len(keys) {
		return fmt.Errorf("%w: etcdkv: %d answers to %d reads", kv.ErrUnavailable, len(resp.Responses), len(keys))
	}
	for i, r := range resp.Responses {
		if err := t.note(keys[i], r.GetResponseRange().GetKvs()); err != nil {
			return err
		}
	}
	return nil
}

// Create implements kv.Creator. A key the transaction has read or written,
// or that the previous attempt's commit found present, is read (a Get and
// a Put). Any other is not: it is written, and the commit requires it
// still absent (created at revision 0); a failed commit notes which such
// keys were present, so that the closure's next run reads them and gets
// kv.ErrExists.
func (t *tx) Create(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	k := string(key)
	if _, ok := t.known(k); ok || t.present[k] {
		return kv.CreateByGet(t, key, value)
	}
	if t.creates == nil {
		t.creates = make(map[string]struct{})
	}
	t.creates[k] = struct{}{}
	t.writes[k] = write{value: kv.Clone(value)}
	return nil
}

func (t *tx) Put(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{value: kv.Clone(value)}
	return nil
}

// PutLeased implements kv.LeaseTx.
func (t *tx) PutLeased(key, value []byte, l kv.Lease) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	el, ok := l.(*lease)
	if !ok || el.e != t.e {
		return kv.ErrLeaseExpired
	}
	t.writes[string(key)] = write{value: kv.Clone(value), lease: el.id}
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{deleted: true}
	return nil
}

func (t *tx) checkWrite(key []byte) error {
	switch {
	case t.done:
		return kv.ErrTxDone
	case !t.writable:
		return kv.ErrReadOnly
	case len(key) == 0:
		return kv.ErrInvalidKey
	}
	if t.writes == nil {
		t.writes = make(map[string]write)
	}
	return nil
}

func (t *tx) Scan(prefix []byte, fn func(k, v []byte) (bool, error)) error {
	return t.ScanFrom(prefix, nil, fn)
}

// ScanFrom walks the store's keys at the transaction's revision merged with
// its own writes, page by page.
func (t *tx) ScanFrom(prefix, from []byte, fn func(k, v []byte) (bool, error)) error {
	if t.done {
		return kv.ErrTxDone
	}
	start := prefix
	if bytes.Compare(from, prefix) > 0 {
		start = from
	}
	p, s := string(prefix), string(start)
	end := string(kv.PrefixEnd(prefix)) // "" = to the end of the keyspace
	walked := span{start: s, end: end}
	defer func() { t.spans = append(t.spans, walked) }()

	// The transaction's own writes in the range, in order.
	var own []string
	for k := range t.writes {
		if k >= s && strings.HasPrefix(k, p) {
			own = append(own, k)
		}
	}
	sort.Strings(own)

	stop := func(k string) { walked.end = k + "\x00" }
	// emit merges the store's page with own writes below limit; more is
	// false when fn stopped the walk.
	emit := func(k string, v []byte) (bool, error) {
		if w, ok := t.writes[k]; ok {
			if w.deleted {
				return true, nil
			}
			v = w.value
		}
		more, err := fn([]byte(k), kv.Clone(v))
		if err != nil || !more {
			stop(k)
			return false, err
		}
		return true, nil
	}
	flushOwn := func(below string, bounded bool) (bool, error) {
		for len(own) > 0 && (!bounded || own[0] < below) {
			k := own[0]
			own = own[1:]
			if more, err := emit(k, nil); err != nil || !more {
				return false, err
			}
		}
		return true, nil
	}

	dEnd := t.e.pfx.data + end
	if end == "" {
		dEnd = string(kv.PrefixEnd([]byte(t.e.pfx.data)))
	}
	cur := t.e.pfx.data + s
	for {
		resp, err := t.get(t.ctx, cur, clientv3.WithRange(dEnd), clientv3.WithLimit(scanPage))
		if err != nil {
			return err
		}
		if t.behind && t.e.own.anyIn(s, end, t.rev) {
			// A range with own writes the member had not applied: merging
			// them into its pages is not worth it, as rare as it is.
			t.redo = true
			return errRedo
		}
		for _, item := range resp.Kvs {
			k := strings.TrimPrefix(string(item.Key), t.e.pfx.data)
			if more, err := flushOwn(k, true); err != nil || !more {
				return err
			}
			if len(own) > 0 && own[0] == k {
				own = own[1:]
			}
			v := item.Value
			if v == nil {
				v = []byte{}
			}
			if more, err := emit(k, v); err != nil || !more {
				return err
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		cur = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	_, err := flushOwn("", false)
	return err
}

// Cost is what committing a transaction takes: compares (its reads, its
// creates, two per walked range, and the marker) and writes (a delete also
// puts a tombstone; the marker). etcd refuses a Txn where either exceeds
// --max-txn-ops.
type Cost struct{ Compares, Writes int }

func (t *tx) cost() Cost {
	c := Cost{Compares: 1 + len(t.reads) + len(t.creates) + 2*len(t.spans), Writes: 1}
	for _, w := range t.writes {
		if w.deleted {
			c.Writes += 2
		} else {
			c.Writes++
		}
	}
	return c
}

// build turns t into the commit's compares and operations, and the
// operations that a failed commit runs instead: one count per key created
// without a read (created, in the same order), so that the next attempt
// knows which of them were present.
func (e *Engine) build(t *tx, marker string, lease clientv3.LeaseID) (cmps []clientv3.Cmp, ops, orElse []clientv3.Op, created []string, err error) {
	c := t.cost()
	if c.Compares > e.opts.MaxTxnOps || c.Writes > e.opts.MaxTxnOps {
		return nil, nil, nil, nil, fmt.Errorf("%w: %d compares and %d writes, the limit is %d each",
			kv.ErrTooLarge, c.Compares, c.Writes, e.opts.MaxTxnOps)
	}
	cmps = make([]clientv3.Cmp, 0, c.Compares)
	cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(marker), "=", 0))
	cmps = append(cmps, e.readCompares(t)...)
	if len(t.creates) > 0 {
		created = make([]string, 0, len(t.creates))
		for k := range t.creates {
			created = append(created, k)
		}
		slices.Sort(created)
		orElse = make([]clientv3.Op, 0, len(created))
		for _, k := range created {
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(e.pfx.data+k), "=", 0))
			orElse = append(orElse, clientv3.OpGet(e.pfx.data+k, clientv3.WithCountOnly()))
		}
	}
	size := len(marker)
	ops = make([]clientv3.Op, 0, c.Writes)
	ops = append(ops, clientv3.OpPut(marker, markApplied, clientv3.WithLease(lease)))
	keys := make([]string, 0, len(t.writes))
	for k := range t.writes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := t.writes[k]
		size += 2*len(k) + len(w.value) + 16
		switch {
		case w.deleted:
			ops = append(ops, clientv3.OpDelete(e.pfx.data+k),
				clientv3.OpPut(e.pfx.tomb+k, "", clientv3.WithLease(lease)))
		case w.lease != 0:
			ops = append(ops, clientv3.OpPut(e.pfx.data+k, string(w.value), clientv3.WithLease(w.lease)))
		default:
			ops = append(ops, clientv3.OpPut(e.pfx.data+k, string(w.value)))
		}
	}
	if size > e.opts.MaxRequestBytes-4096 {
		return nil, nil, nil, nil, fmt.Errorf("%w: about %d bytes, the limit is %d", kv.ErrTooLarge, size, e.opts.MaxRequestBytes)
	}
	return cmps, ops, orElse, created, nil
}

// readCompares are the compares that hold while nothing t read has
// changed: each key read by its mod revision (0 when it was absent), each
// range walked by the mod revisions in it and in its tombstones' range.
func (e *Engine) readCompares(t *tx) []clientv3.Cmp {
	cmps := make([]clientv3.Cmp, 0, len(t.reads)+2*len(t.spans))
	keys := make([]string, 0, len(t.reads))
	for k := range t.reads {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a stable request, easier to read in a trace
	for _, k := range keys {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(e.pfx.data+k), "=", t.reads[k]))
	}
	for _, s := range t.spans {
		for _, pfx := range []string{e.pfx.data, e.pfx.tomb} {
			end := pfx + s.end
			if s.end == "" {
				end = string(kv.PrefixEnd([]byte(pfx)))
			}
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(pfx+s.start), "<", t.rev+1).WithRange(end))
		}
	}
	return cmps
}
