// Package etcdkv is the kv engine over an etcd cluster, the store of a
// province of kiosks sharing one database (SPEC §5).
//
// # Transactions
//
// etcd has no interactive transactions, so the engine runs serializable
// optimistic ones: every read of a closure is made at one revision (the
// first read's), its writes are buffered, and at the end one etcd Txn
// commits them only if nothing it read has changed since that revision:
//
//   - a key read with Get is compared by its mod revision (0 when it was
//     absent), so a change, a creation or a deletion fails the commit;
//   - a key written with kv.Create without being read first is compared by
//     its create revision, which must be 0: it must still be absent. A
//     commit that fails also counts those keys (the Txn's else branch),
//     and the next run of the closure reads the ones that were present,
//     so that Create answers kv.ErrExists then;
//   - a range walked by Scan is compared twice: no key in it may have a mod
//     revision after the read revision (catches changes and insertions),
//     and no tombstone in its mirror range may either (catches deletions:
//     every Delete also puts a short-lived tombstone key, so a deleted key
//     leaves a trace that a range compare can see).
//
// kv.GetMany reads keys the closure has not read yet in one read-only Txn
// of range requests, a round trip instead of one per key, at the same
// revision and into the same read set.
//
// An Update reads serializably: the member the request reaches answers
// from what it has applied, without the round of messages through the
// leader that a linearizable read costs, because the commit checks every
// read anyway (a stale answer costs a conflict, never a wrong write).
//
// A key this engine wrote in the last few seconds is not read at all: an
// Update takes it as the engine wrote it (ownWrites), which the commit
// checks like any read, so a key only this kiosk writes (its audit
// chain's head) costs no request. Nor is a key a View of this engine read
// in the last minutes (viewReads): an Update takes it as the View read
// it, so the step that acts on what an earlier step looked up (the
// registration's last step on the registry record of step 2) reads
// nothing again; a key changed since costs a conflict. So that a kiosk
// always reads its own writes, a first read answered from a revision
// older than the newest this engine has seen (its own commits among them)
// is read with the engine's own later writes laid over it, or made again
// linearizable when they are not all remembered; a read at a revision the
// member has not reached is made again linearizable.
//
// An Update that commits nothing has what it read checked by one
// linearizable compare-only request before its result counts, and the run
// after a conflict reads linearizable: every Update stays strictly
// serializable. A View reads linearizable: what it returns is never
// checked.
//
// A failed compare re-runs the closure at a newer revision after a
// jittered backoff, as kv.Engine allows. A commit whose answer is lost
// (the leader died, the network cut) may still have been applied, so each
// attempt also creates a marker key that it requires to be absent; before
// re-running, the engine "fences" the attempt by creating the marker
// itself if it is still absent. Either the fence wins (the attempt can
// never apply any more, so re-running is safe) or the marker is there (the
// attempt applied: the Update succeeded). A commit is thus never applied
// twice, and Update never reports a failure for a commit that was applied
// unless the store cannot be reached long enough to fence it
// (kv.ErrUnknownOutcome).
//
// Markers and tombstones are bound to a lease of LeaseTTL that the engine
// rotates (every LeaseTTL/2, and every LeaseKeys keys, so that no lease's
// end deletes many keys at once), so they vanish by themselves. Keys live
// under Options.Prefix: data under "d/", tombstones under "t/", markers
// under "x/".
//
// One commit is bounded by etcd's --max-txn-ops (compares and writes are
// counted separately) and request size; a closure beyond them gets
// kv.ErrTooLarge and writes nothing. See Cost.
package etcdkv

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"kiosk/storage/kv"
)

// Defaults of Options.
const (
	DefaultDialTimeout     = 5 * time.Second
	DefaultRequestTimeout  = 3 * time.Second
	DefaultRetryFor        = 4 * time.Second
	DefaultMaxTxnOps       = 128         // etcd's --max-txn-ops default
	DefaultMaxRequestBytes = 1536 * 1024 // etcd's --max-request-bytes default
	// LeaseTTL is the lease of markers and tombstones. A new lease is
	// taken at half of it, so each key lives at least LeaseTTL/2 — far
	// longer than any transaction (RetryFor plus a request) — and one
	// lease's expiry deletes only the keys of half a minute, and at most
	// LeaseKeys of them.
	LeaseTTL = time.Minute
	// LeaseKeys bounds the markers and tombstones put under one lease: a
	// new lease is taken once that many are. The cluster deletes a
	// lease's keys in one step when it ends, which holds up every write
	// meanwhile: 20 leases of 1,000 keys ending together stalled the
	// cluster here for 130 ms, a kiosk's commits of half a minute at
	// full speed are thousands.
	LeaseKeys = 256
)

// Options configure Open.
type Options struct {
	Endpoints []string
	// Prefix is put before every key, so several stores (or other
	// applications) can share one cluster; e.g. "/kiosk/".
	Prefix string
	// TLS, when set, is used for the client connections (CA and client
	// certificate); Username and Password for etcd's auth.
	TLS                *tls.Config
	Username, Password string
	// DialTimeout bounds the first connection; RequestTimeout each request.
	DialTimeout, RequestTimeout time.Duration
	// RetryFor bounds how long one View or Update keeps re-running its
	// closure after conflicts or while the cluster cannot be reached
	// (within the caller's context).
	RetryFor time.Duration
	// MaxTxnOps and MaxRequestBytes mirror the cluster's limits.
	MaxTxnOps, MaxRequestBytes int
	// Logger receives the client's logs; nil discards them.
	Logger *zap.Logger
}

// Stats counts what Updates did, for benchmarks and tests.
type Stats struct {
	Commits   int64 // Updates that committed writes
	Conflicts int64 // attempts whose compares failed and were re-run
	Retries   int64 // attempts re-run because the cluster could not be reached
	Fences    int64 // attempts whose answer was lost and that were fenced
	Applied   int64 // of those, attempts found applied by the fence
	Rereads   int64 // serializable reads answered from behind, made again linearizable
}

// Engine is a kv.Engine on an etcd cluster.
type Engine struct {
	cli  *clientv3.Client
	opts Options
	pfx  struct{ data, tomb, mark string }

	closed atomic.Bool

	// seen is the highest revision this engine has read at or committed:
	// an Update's serializable read answered from an older revision is
	// made again, linearizable, so a kiosk always reads its own writes.
	seen  atomic.Int64
	own   ownWrites
	views viewReads

	leaseMu sync.Mutex
	lease   clientv3.LeaseID
	leaseAt time.Time // when lease was granted
	leaseN  int       // the keys put under it, or about to be

	stats struct{ commits, conflicts, retries, fences, applied, rereads atomic.Int64 }

	// loseAnswer, set by tests, sends a commit through send (or not) and
	// may then pretend that its answer was lost.
	loseAnswer func(send func() (*clientv3.TxnResponse, error)) (*clientv3.TxnResponse, error)
	// lag, set by tests, makes an Update's first read answer from that
	// many revisions before the newest this engine saw, as a member
	// behind the leader would.
	lag int64
}

var (
	_ kv.Engine  = (*Engine)(nil)
	_ kv.Pinger  = (*Engine)(nil)
	_ kv.Limiter = (*Engine)(nil)
	_ kv.Leaser  = (*Engine)(nil)
)

// Open connects to the cluster. It does not wait for the cluster to
// answer: a kiosk starts while the cluster is down and shows that the
// service is unavailable until it answers (Ping).
func Open(opts Options) (*Engine, error) {
	if len(opts.Endpoints) == 0 {
		return nil, errors.New("etcdkv: no endpoints")
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = DefaultDialTimeout
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = DefaultRetryFor
	}
	// A transaction must end well within a tombstone's life (LeaseTTL/2),
	// or a deletion in a range it scanned could go unseen.
	opts.RetryFor = min(opts.RetryFor, LeaseTTL/4)
	if opts.MaxTxnOps <= 0 {
		opts.MaxTxnOps = DefaultMaxTxnOps
	}
	if opts.MaxRequestBytes <= 0 {
		opts.MaxRequestBytes = DefaultMaxRequestBytes
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:            opts.Endpoints,
		DialTimeout:          opts.DialTimeout,
		DialKeepAliveTime:    5 * time.Second,
		DialKeepAliveTimeout: opts.RequestTimeout,
		TLS:                  opts.TLS,
		Username:             opts.Username,
		Password:             opts.Password,
		Logger:               log,
		// Leave room above the cluster's limit for the gRPC envelope.
		MaxCallSendMsgSize: opts.MaxRequestBytes + 64*1024,
	})
	if err != nil {
		return nil, fmt.Errorf("etcdkv: %w", mapErr(err))
	}
	e := &Engine{cli: cli, opts: opts}
	e.pfx.data = opts.Prefix + "d/"
	e.pfx.tomb = opts.Prefix + "t/"
	e.pfx.mark = opts.Prefix + "x/"
	return e, nil
}

// Client is the engine's etcd client, for benchmarks that measure the raw
// engine beside the kiosk.
func (e *Engine) Client() *clientv3.Client { return e.cli }

// MaxOps implements kv.Limiter: the most compares, and the most writes, one
// commit may carry, the engine's own marker included.
func (e *Engine) MaxOps() int { return e.opts.MaxTxnOps }

// Stats reports the engine's counters.
func (e *Engine) Stats() Stats {
	return Stats{
		Commits: e.stats.commits.Load(), Conflicts: e.stats.conflicts.Load(),
		Retries: e.stats.retries.Load(), Fences: e.stats.fences.Load(), Applied: e.stats.applied.Load(),
		Rereads: e.stats.rereads.Load(),
	}
}

// Close closes the client. Safe to call more than once.
func (e *Engine) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	return e.cli.Close()
}

// Ping reads one key linearizably: nil when the cluster has a quorum that
// answers within the request timeout.
func (e *Engine) Ping(ctx context.Context) error {
	if e.closed.Load() {
		return kv.ErrClosed
	}
	rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
	defer cancel()
	_, err := e.cli.Get(rctx, e.pfx.data+"meta/schema", clientv3.WithCountOnly())
	return e.callErr(ctx, err)
}

// View runs fn on a snapshot of the store at one revision.
func (e *Engine) View(ctx context.Context, fn func(kv.Tx) error) error {
	return e.run(ctx, fn, false)
}

// Update runs fn and commits its writes if nothing it read changed.
func (e *Engine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	return e.run(ctx, fn, true)
}

func (e *Engine) run(ctx context.Context, fn func(kv.Tx) error, writable bool) error {
	if e.closed.Load() {
		return kv.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline := time.Now().Add(e.opts.RetryFor)
	id := txnID()
	var present map[string]bool // created keys the last failed commit found present
	linear := false
	for attempt := 1; ; attempt++ {
		t := &tx{e: e, ctx: ctx, writable: writable, present: present, linear: linear}
		err := func() error {
			defer func() { t.done = true }()
			return fn(t)
		}()
		if t.redo {
			// Whatever the closure made of errRedo: run it again at once.
			e.stats.rereads.Add(1)
			linear = true
			continue
		}
		switch {
		case err == nil && writable && len(t.writes) > 0:
			err = e.commit(ctx, t, fmt.Sprintf("%s/%d", id, attempt))
		case t.serial && t.lost == nil && ctx.Err() == nil:
			// Nothing to commit, from reads that a member behind may have
			// answered: what the closure concluded stands only if they are
			// still what the cluster holds.
			if ok, verr := e.validate(ctx, t); verr != nil {
				err = verr
			} else if !ok {
				e.stats.rereads.Add(1)
				e.dropOwned(t)
				linear = true
				continue
			}
		}
		var again bool
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errConflict):
			e.stats.conflicts.Add(1)
			e.dropOwned(t)
			present = t.found
			// The closure runs again on what made the commit fail: read it
			// linearizable, as a member behind may not have it yet.
			linear = true
			again = true
		case t.lost != nil && errors.Is(err, kv.ErrUnavailable) && !errors.Is(err, kv.ErrUnknownOutcome):
			// A read or a fenced commit could not reach the cluster: the
			// closure may run again once it answers.
			e.stats.retries.Add(1)
			again = true
		}
		if !again {
			return err
		}
		if e.closed.Load() {
			return kv.ErrClosed
		}
		wait := backoff(attempt)
		if time.Now().Add(wait).After(deadline) {
			if errors.Is(err, errConflict) {
				return kv.ErrConflict
			}
			return err
		}
		select {
		case <-ctx.Done():
			if errors.Is(err, errConflict) {
				return ctx.Err()
			}
			return err
		case <-time.After(wait):
		}
	}
}

// dropOwned forgets what t read from memory (ownWrites, viewReads): it
// was found changed, by another kiosk.
func (e *Engine) dropOwned(t *tx) {
	e.own.drop(t.owned)
	e.views.drop(t.owned)
}

// saw raises e.seen to rev.
func (e *Engine) saw(rev int64) {
	for {
		cur := e.seen.Load()
		if rev <= cur || e.seen.CompareAndSwap(cur, rev) {
			return
		}
	}
}

// validate reports whether everything t read serializably is still what
// the cluster holds: one linearizable, read-only Txn of t's compares. A
// transaction with more compares than one Txn takes is not validated
// (false: it runs again, reading linearizable).
func (e *Engine) validate(ctx context.Context, t *tx) (bool, error) {
	cmps := e.readCompares(t)
	if len(cmps) > e.opts.MaxTxnOps {
		return false, nil
	}
	rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
	defer cancel()
	// A Txn whose operations are all serializable ranges (or that has
	// none) is served by the member alone: one linearizable range makes
	// the cluster answer as of now.
	resp, err := e.cli.Txn(rctx).If(cmps...).Then(clientv3.OpGet(e.pfx.mark+"validate", clientv3.WithCountOnly())).Commit()
	if err != nil {
		t.lost = err
		return false, e.callErr(ctx, err)
	}
	e.saw(resp.Header.Revision)
	return resp.Succeeded, nil
}

// errConflict is a failed compare: some read changed before the commit.
var errConflict = errors.New("etcdkv: conflict")

// backoff is a full-jitter exponential delay: 1 ms doubling to 64 ms.
func backoff(attempt int) time.Duration {
	d := time.Millisecond << min(attempt-1, 6)
	return time.Duration(mrand.Int64N(int64(d))) + 200*time.Microsecond
}

func txnID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// commit sends t's writes guarded by its reads and the attempt's marker.
func (e *Engine) commit(ctx context.Context, t *tx, attempt string) error {
	attached := 1 // the marker, and a tombstone per deleted key
	written := make([]string, 0, len(t.writes))
	for k, w := range t.writes {
		written = append(written, k)
		if w.deleted {
			attached++
		}
	}
	lease, err := e.markLease(ctx, attached)
	if err != nil {
		t.lost = err
		return err
	}
	cmps, ops, orElse, created, err := e.build(t, e.pfx.mark+attempt, lease)
	if err != nil {
		return err
	}
	// What Views read of the keys written is old now, whether the commit
	// applies or not: ownWrites answers them once it has.
	e.views.drop(written)
	var resp *clientv3.TxnResponse
	if lose := e.loseAnswer; lose != nil {
		resp, err = lose(func() (*clientv3.TxnResponse, error) {
			return e.cli.Txn(ctx).If(cmps...).Then(ops...).Else(orElse...).Commit()
		})
	} else {
		rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
		resp, err = e.cli.Txn(rctx).If(cmps...).Then(ops...).Else(orElse...).Commit()
		cancel()
	}
	switch {
	case err == nil && resp.Succeeded:
		e.stats.commits.Add(1)
		e.saw(resp.Header.Revision)
		e.own.record(t, resp.Header.Revision)
		return nil
	case err == nil:
		// The keys created without a read that are present now: the next
		// run reads them (kv.ErrExists unless deleted meanwhile).
		for i, r := range resp.Responses {
			if i < len(created) && r.GetResponseRange().GetCount() > 0 {
				if t.found == nil {
					t.found = make(map[string]bool)
				}
				t.found[created[i]] = true
			}
		}
		return errConflict
	case errors.Is(err, rpctypes.ErrLeaseNotFound) && e.markLeaseGone(ctx, lease):
		e.dropMarkLease(lease) // the cluster forgot it (e.g. down longer than its TTL)
		return errConflict
	case definite(err):
		return e.callErr(ctx, err)
	}
	// The answer is lost: the Txn may have been applied. Fence it.
	e.stats.fences.Add(1)
	applied, rev, ferr := e.fence(ctx, e.pfx.mark+attempt, lease)
	if ferr != nil {
		e.own.forget(math.MaxInt64) // it may apply at any revision yet
		return fmt.Errorf("%w: %w: %w", kv.ErrUnavailable, kv.ErrUnknownOutcome, ferr)
	}
	if applied {
		// At a revision before rev, not known: no answer from before rev
		// can be read with this engine's own writes.
		e.saw(rev)
		e.own.forget(rev)
		e.stats.applied.Add(1)
		e.stats.commits.Add(1)
		return nil
	}
	t.lost = err
	return e.callErr(ctx, err)
}

// fence makes sure attempt's commit can no longer apply: it creates the
// attempt's marker if absent. applied reports that the marker was already
// there, i.e. the commit applied; rev is the cluster's revision then.
func (e *Engine) fence(ctx context.Context, marker string, lease clientv3.LeaseID) (applied bool, rev int64, err error) {
	deadline := time.Now().Add(e.opts.RetryFor)
	for i := 1; ; i++ {
		rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
		resp, err := e.cli.Txn(rctx).
			If(clientv3.Compare(clientv3.CreateRevision(marker), "=", 0)).
			Then(clientv3.OpPut(marker, "fenced", clientv3.WithLease(lease))).
			Else(clientv3.OpGet(marker)).Commit()
		cancel()
		if err == nil {
			if resp.Succeeded {
				return false, resp.Header.Revision, nil
			}
			kvs := resp.Responses[0].GetResponseRange().Kvs
			return len(kvs) == 1 && string(kvs[0].Value) == markApplied, resp.Header.Revision, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return false, 0, e.callErr(ctx, err)
		}
		if errors.Is(err, rpctypes.ErrLeaseNotFound) {
			if lease, err = e.markLease(ctx, 1); err != nil {
				return false, 0, err
			}
		}
		time.Sleep(backoff(i + 3))
	}
}

// markApplied is the value a committed attempt leaves in its marker.
const markApplied = "applied"

// markLease returns the lease that keys more markers and tombstones are
// to be put under, granting a new one when the current one is past half
// its TTL (so a lease never expires under a commit in flight) or would
// hold more than LeaseKeys.
func (e *Engine) markLease(ctx context.Context, keys int) (clientv3.LeaseID, error) {
	e.leaseMu.Lock()
	defer e.leaseMu.Unlock()
	if e.lease != 0 && time.Since(e.leaseAt) < LeaseTTL/2 && (e.leaseN+keys <= LeaseKeys || e.leaseN == 0) {
		e.leaseN += keys
		return e.lease, nil
	}
	rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
	defer cancel()
	resp, err := e.cli.Grant(rctx, int64(LeaseTTL/time.Second))
	if err != nil {
		return 0, e.callErr(ctx, err)
	}
	e.lease, e.leaseAt, e.leaseN = resp.ID, time.Now(), keys
	return e.lease, nil
}

// dropMarkLease forgets a lease the cluster no longer knows.
func (e *Engine) dropMarkLease(id clientv3.LeaseID) {
	e.leaseMu.Lock()
	if e.lease == id {
		e.lease = 0
	}
	e.leaseMu.Unlock()
}

// markLeaseGone reports whether the cluster no longer knows lease.
func (e *Engine) markLeaseGone(ctx context.Context, id clientv3.LeaseID) bool {
	rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
	defer cancel()
	resp, err := e.cli.TimeToLive(rctx, id)
	return err == nil && resp.TTL <= 0
}

// definite reports whether err says the request was refused before it
// could apply, so the Txn certainly did not commit.
func definite(err error) bool {
	for _, d := range []error{
		rpctypes.ErrTooManyOps, rpctypes.ErrRequestTooLarge, rpctypes.ErrLeaseNotFound,
		rpctypes.ErrDuplicateKey, rpctypes.ErrEmptyKey, rpctypes.ErrPermissionDenied,
		rpctypes.ErrAuthNotEnabled, rpctypes.ErrInvalidAuthToken, rpctypes.ErrAuthFailed,
		rpctypes.ErrUserEmpty, rpctypes.ErrCompacted, rpctypes.ErrFutureRev,
	} {
		if errors.Is(err, d) {
			return true
		}
	}
	switch status.Code(err) {
	case codes.InvalidArgument, codes.PermissionDenied, codes.Unauthenticated, codes.FailedPrecondition,
		codes.NotFound, codes.OutOfRange:
		return true
	}
	return false
}

// callErr maps an etcd error of a call made under ctx to the kv errors.
func (e *Engine) callErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr // the caller gave up; not the store's fault
	}
	if e.closed.Load() {
		return kv.ErrClosed
	}
	return mapErr(err)
}

func mapErr(err error) error {
	switch {
	case errors.Is(err, rpctypes.ErrTooManyOps), errors.Is(err, rpctypes.ErrRequestTooLarge),
		status.Code(err) == codes.ResourceExhausted:
		return fmt.Errorf("%w: %w", kv.ErrTooLarge, err)
	case errors.Is(err, rpctypes.ErrLeaseNotFound):
		return fmt.Errorf("%w: %w", kv.ErrLeaseExpired, err)
	case errors.Is(err, rpctypes.ErrCompacted), errors.Is(err, rpctypes.ErrFutureRev):
		return errConflict
	case errors.Is(err, rpctypes.ErrPermissionDenied), errors.Is(err, rpctypes.ErrAuthFailed),
		errors.Is(err, rpctypes.ErrInvalidAuthToken), status.Code(err) == codes.Unauthenticated,
		status.Code(err) == codes.PermissionDenied:
		return fmt.Errorf("etcdkv: access refused by the cluster: %w", err)
	}
	return fmt.Errorf("%w: %w", kv.ErrUnavailable, err)
}
