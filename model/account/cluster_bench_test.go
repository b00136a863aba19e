package account_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
	"kiosk/storage/kv/memkv"
)

// Registrations per second through the kiosk's use case (Register: all
// validation, the transaction, audit, outbox) with 1 and 20 kiosks, on
// bbolt and on a 3-member etcd cluster with fsync on, beside their floors
// in the same run: the raw engine writing what one registration writes
// (issue 13). .ci/benchtable.awk pairs them. The password hash is left
// out (argon2Apart); BenchmarkArgon2Default is the production hash's
// cost, to add.
//
// Everything runs in this one process on the machine's cores: the kiosks'
// own work (validation, sealing, gRPC clients) competes with the three
// members, which a hall of real kiosks would not. cpu-ms is the process's
// CPU time (all kiosks and members) per operation.

// Every benchmark of this file shares one cluster, started by the first
// that needs it and stopped after m.Run, so the tests never pay for it.
var shared struct {
	once sync.Once
	c    *etcdtest.Cluster
	stop func()
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

func sharedCluster(b testing.TB) *etcdtest.Cluster {
	b.Helper()
	shared.once.Do(func() {
		// etcdtest picks free ports by closing probe listeners, so two
		// members may draw the same one ("duplicate url"): try again.
		for range 3 {
			shared.c, shared.stop, shared.err = etcdtest.StartShared(3, etcdtest.Options{Fsync: true})
			if shared.err == nil {
				return
			}
		}
	})
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.c
}

// The floors write what the issue counts for one registration: five puts
// on fresh keys, here of floorValue bytes each, about the 1.2 KB a
// registration commits (enterprise 377 B, audit record 309 B, outbox
// message 366 B, audit head 122 B, four index keys). The etcd engine's
// commit of a registration actually carries 9 puts (8 keys and its marker)
// and 8 compares (the registry record, read in the one request before it,
// and the audit head, known from the kiosk's own last commit, by mod
// revision; the five keys it creates unread: the two unique index
// entries, the enterprise, its audit record, its notice; the marker).
const floorPuts = 5

var floorValue = make([]byte, 250)

// floorKey is the j-th fresh key of op i, scattered like blinded keys.
func floorKey(i, j int) string {
	x := uint64(i*floorPuts+j)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	x ^= x >> 29
	return fmt.Sprintf("%016x", x)
}

// The etcd floor: one Txn of one compare (the first key is absent, as the
// engine's marker is) and five puts on fresh keys. Each goroutine has its
// own client, as each kiosk of BenchmarkRegisterEtcd20 is its own engine
// with its own connections: the floor has the figure's topology (one
// shared client would multiplex 20 streams on one HTTP/2 connection, which
// no hall of kiosks does).
func BenchmarkEtcdTxnFloor1(b *testing.B)  { benchEtcdTxnFloor(b, 1) }
func BenchmarkEtcdTxnFloor20(b *testing.B) { benchEtcdTxnFloor(b, 20) }

func benchEtcdTxnFloor(b *testing.B, clients int) {
	f := newEtcdFloor(b, sharedCluster(b), clients)
	cpu0 := processCPU()
	b.ResetTimer()
	elapsed := f.run(b, b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "txn/s")
	reportCPU(b, cpu0, b.N, "cpu-ms/op")
}

// etcdFloor is the etcd floor's clients, connected, on a fresh prefix.
type etcdFloor struct {
	clis   []*clientv3.Client
	prefix string
	next   int // the first op number not yet used
}

func newEtcdFloor(b testing.TB, c *etcdtest.Cluster, clients int) *etcdFloor {
	f := &etcdFloor{prefix: c.Prefix(), clis: make([]*clientv3.Client, clients)}
	for i := range f.clis {
		f.clis[i] = c.EngineAt(b, f.prefix, c.Endpoints()).Client()
	}
	for w, cli := range f.clis { // connect
		if err := floorTxn(cli, func(j int) string { return fmt.Sprintf("%swarm/%d/%d", f.prefix, w, j) }); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// run makes n floor transactions on fresh keys, every client in its own
// goroutine taking the next, and returns the wall time.
func (f *etcdFloor) run(b testing.TB, n int) time.Duration {
	base := f.next
	f.next += n
	return drive(b, len(f.clis), n, func(w, i int) error {
		return floorTxn(f.clis[w], func(j int) string { return f.prefix + "f/" + floorKey(base+i, j) })
	})
}

// floorTxn is one compare (the first key absent) and floorPuts puts.
func floorTxn(cli *clientv3.Client, key func(j int) string) error {
	ops := make([]clientv3.Op, floorPuts)
	for j := range ops {
		ops[j] = clientv3.OpPut(key(j), string(floorValue))
	}
	resp, err := cli.Txn(context.Background()).
		If(clientv3.Compare(clientv3.CreateRevision(key(0)), "=", 0)).Then(ops...).Commit()
	if err == nil && !resp.Succeeded {
		err = fmt.Errorf("compare failed on fresh key %s", key(0))
	}
	return err
}

// The bbolt floor: one Update putting five fresh keys, fsync on, the
// goroutines sharing the one file as the kiosks of BenchmarkRegisterBolt20
// share it.
func BenchmarkBoltTxnFloor1(b *testing.B)  { benchBoltTxnFloor(b, 1) }
func BenchmarkBoltTxnFloor20(b *testing.B) { benchBoltTxnFloor(b, 20) }

func benchBoltTxnFloor(b *testing.B, workers int) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "floor.db"), 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType}) // as bboltkv
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	bucket := []byte("floor")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucket); return err }); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	elapsed := drive(b, workers, b.N, func(_, i int) error {
		return db.Update(func(tx *bolt.Tx) error {
			bk := tx.Bucket(bucket)
			for j := range floorPuts {
				if err := bk.Put([]byte(floorKey(i, j)), floorValue); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "txn/s")
}

// BenchmarkArgon2Default is one production password hash, which Register
// computes before its transaction on the kiosk's own cores; the benchmarks
// below leave it out (argon2Apart), so add this to a registration's
// latency.
func BenchmarkArgon2Default(b *testing.B) {
	h := pwhash.New(pwhash.Default)
	for b.Loop() {
		if _, err := h.Hash("Farm#2026ok"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegisterEtcd1(b *testing.B)  { benchRegister(b, etcdRig(b, 1)) }
func BenchmarkRegisterEtcd20(b *testing.B) { benchRegisterBesideFloor(b, 20) }
func BenchmarkRegisterBolt1(b *testing.B)  { benchRegister(b, boltRig(b, 1)) }
func BenchmarkRegisterBolt20(b *testing.B) { benchRegister(b, boltRig(b, 20)) }

// rig is a set of kiosks on one fresh store, one goroutine each.
type rig struct {
	ks      []*fixture
	clk     *clocktest.Clock
	engines []*etcdkv.Engine // etcd only
	counts  *kvCounts        // etcd only
	// loader puts the registry records: on etcd an engine of its own, so
	// that no kiosk has them among its own recent writes.
	loader model.Store
}

// argon2Apart is the registration benchmarks' password hasher: argon2 is
// measured apart (BenchmarkArgon2Default), so every registration stores
// the one hash made with pwhash.Fast when the rig was built.
type argon2Apart struct {
	phc string
	h   *pwhash.Hasher
}

func newArgon2Apart(b *testing.B) argon2Apart {
	h := pwhash.New(pwhash.Fast)
	phc, err := h.Hash("Farm#2026ok")
	if err != nil {
		b.Fatal(err)
	}
	return argon2Apart{phc: phc, h: h}
}

func (a argon2Apart) Hash(string) (string, error)         { return a.phc, nil }
func (a argon2Apart) Verify(phc, pw string) (bool, error) { return a.h.Verify(phc, pw) }

// etcdRig is n kiosks, each its own engine (client), on one fresh prefix
// of the shared cluster, with one key file as a hall's kiosks have.
func etcdRig(b *testing.B, n int) rig {
	c := sharedCluster(b)
	prefix := c.Prefix()
	keys := storage.NewKeysForTest()
	r := rig{clk: clocktest.New(start), counts: new(kvCounts)}
	for i := range n {
		e := c.EngineAt(b, prefix, c.Endpoints())
		// Count the requests, wrapping KV as clientv3's namespace package does.
		e.Client().KV = countKV{KV: e.Client().KV, n: r.counts}
		st, err := storage.Open(e, keys)
		if err != nil {
			b.Fatal(err)
		}
		r.engines = append(r.engines, e)
		r.ks = append(r.ks, newKiosk(b, st, r.clk, fmt.Sprintf("K-%02d", i+1)))
	}
	r.hashApart(b)
	st, err := storage.Open(c.EngineAt(b, prefix, c.Endpoints()), keys)
	if err != nil {
		b.Fatal(err)
	}
	r.loader = st
	return r
}

// hashApart gives every kiosk of r the argon2Apart hasher.
func (r rig) hashApart(b *testing.B) {
	h := newArgon2Apart(b)
	for _, k := range r.ks {
		k.svc.Hasher = h
	}
}

// boltRig is n kiosks on one bbolt file with fsync on: one file cannot be
// opened twice, so they share the engine and the store.
func boltRig(b *testing.B, n int) rig {
	e, err := bboltkv.Open(filepath.Join(b.TempDir(), "kiosk.db"), bboltkv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	st, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		b.Fatal(err)
	}
	r := rig{clk: clocktest.New(start), loader: st}
	for i := range n {
		r.ks = append(r.ks, newKiosk(b, st, r.clk, fmt.Sprintf("K-%02d", i+1)))
	}
	r.hashApart(b)
	return r
}

// warmUp has every kiosk register one enterprise (connections, lease,
// audit chain) and returns the rest of ins.
func (r rig) warmUp(b *testing.B, ins []account.RegistrationInput) []account.RegistrationInput {
	for w, k := range r.ks {
		if _, err := k.svc.Register(context.Background(), ins[w]); err != nil {
			b.Fatal(err)
		}
	}
	return ins[len(r.ks):]
}

// benchRegister registers b.N fresh enterprises, every kiosk in its own
// goroutine taking the next one.
func benchRegister(b *testing.B, r rig) {
	ctx := context.Background()
	ins := r.warmUp(b, benchInputs(b, r.loader, r.clk, len(r.ks)+b.N))
	before := r.snapshot()
	b.ResetTimer()
	elapsed := drive(b, len(r.ks), b.N, func(w, i int) error {
		_, err := r.ks[w].svc.Register(ctx, ins[i])
		return err
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "reg/s")
	r.report(b, before, b.N)
}

// floorRounds is how many times benchRegisterBesideFloor alternates at
// most; a round has at least roundOps of the figure's operations. Each
// round ends with its workers running out of work one by one, about half
// an operation's latency of each lost, and a registration's latency is
// twice a floor transaction's: short rounds would charge the figure more
// of that than the floor.
const (
	floorRounds = 8
	roundOps    = 300
)

// lookUp has kiosk i mod n of r's n look registration i's enterprise up
// in the registry, as step 2 of its visit (CheckLegalRep) does before the
// last step registers it: the kiosk keeps what its View read (see
// etcdkv's viewReads), so Register's Update reads nothing (driveOwn gives
// each kiosk its own visits). Untimed, like the rest of the visit.
func (r rig) lookUp(b *testing.B, ins []account.RegistrationInput) {
	drive(b, len(r.ks), len(r.ks), func(w, _ int) error {
		for i := w; i < len(ins); i += len(r.ks) {
			if _, err := r.ks[w].svc.Registry.LookupUSCC(context.Background(), ins[i].Enterprise.USCC); err != nil {
				return err
			}
		}
		return nil
	})
}

// benchRegisterBesideFloor is benchRegister on an etcd rig of n kiosks,
// alternating with the etcd floor of n clients on the same cluster: the
// b.N registrations in floorRounds rounds, each after a round of the
// floor of about the same length. A shared machine's speed drifts by a
// factor of two within a minute here (other tenants, the disk's fsync
// latency), so a floor measured in its own benchmark, a minute before
// or after, does not say what the cluster could do while the kiosks
// registered; the rounds put both under the same conditions. ns/op is
// the registrations' (their wall time over b.N), floor-ns/op the floor's
// (its wall time over its transactions), and the table's ratio for this
// figure is their quotient; cpu-ms/reg and the engines' counts are the
// registration rounds'. Each kiosk registers the enterprises it looked up
// (rig.lookUp, driveOwn) and then helps the others: reads/reg counts
// those it registers for another kiosk, which it reads.
func benchRegisterBesideFloor(b *testing.B, n int) {
	ctx := context.Background()
	c := sharedCluster(b)
	r := etcdRig(b, n)
	f := newEtcdFloor(b, c, n)
	ins := r.warmUp(b, benchInputs(b, r.loader, r.clk, n+b.N))
	r.lookUp(b, ins)
	var sum rigStats // what the registration rounds cost
	b.ResetTimer()
	m := besideFloor(b, f, func(base, regs int) time.Duration {
		s0 := r.snapshot()
		d := driveOwn(b, n, base, regs, func(w, i int) error {
			_, err := r.ks[w].svc.Register(ctx, ins[i])
			return err
		})
		sum = sum.plus(r.snapshot().minus(s0))
		return d
	})
	b.StopTimer()
	m.report(b, "reg/s", false) // reportDelta has the CPU
	r.reportDelta(b, sum, b.N)
}

// BenchmarkRegisterEtcd20Requests is what the etcd engine sends the
// cluster for one registration, sent raw by 20 clients, beside the same
// floor in the same alternating rounds: one Txn of its eight compares (the
// registry record and its audit head by mod revision; its two index
// entries, the enterprise, its audit record and its notice, created
// unread, and its marker by create revision) and nine puts (eight keys
// and the marker, under a lease) of about the 1.2 KB it commits. Nothing
// is read: the registry record is as the kiosk's look-up at step 2 read it
// (rig.lookUp), the audit head as the kiosk last wrote it, both from the
// engine's memory. Nothing of the kiosk's own work (validation, sealing, the use
// case): the part of BenchmarkRegisterEtcd20's ratio that the cluster's
// work for these requests accounts for.
func BenchmarkRegisterEtcd20Requests(b *testing.B) {
	const n = 20
	c := sharedCluster(b)
	f := newEtcdFloor(b, c, n)
	lease, err := f.clis[0].Grant(context.Background(), 600)
	if err != nil {
		b.Fatal(err)
	}
	// The sizes of one registration's values: enterprise, USCC and account
	// indexes, audit record and head, outbox message and its two indexes.
	sizes := []int{377, 32, 32, 309, 122, 366, 0, 0}
	req := func(cli *clientv3.Client, i int) error {
		key := func(j int) string { return f.prefix + "r/" + floorKey(i*4, j) }
		cmps := []clientv3.Cmp{clientv3.Compare(clientv3.CreateRevision(key(19)), "=", 0)}
		for _, j := range []int{10, 4} { // registry record, audit head
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(key(j)), "=", 0))
		}
		for _, j := range []int{0, 1, 2, 3, 5} { // created unread
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(key(j)), "=", 0))
		}
		ops := []clientv3.Op{clientv3.OpPut(key(19), "applied", clientv3.WithLease(lease.ID))}
		for j, size := range sizes {
			ops = append(ops, clientv3.OpPut(key(j), string(make([]byte, size))))
		}
		resp, err := cli.Txn(context.Background()).If(cmps...).Then(ops...).Commit()
		if err == nil && !resp.Succeeded {
			err = errors.New("compare failed on fresh keys")
		}
		return err
	}
	b.ResetTimer()
	m := besideFloor(b, f, func(base, count int) time.Duration {
		return drive(b, n, count, func(w, i int) error { return req(f.clis[w], base+i) })
	})
	b.StopTimer()
	m.report(b, "reg/s", true)
}

// floorRun is what besideFloor measured: the figure's wall and CPU time
// over b.N operations, the floor's over floorOps transactions.
type floorRun struct {
	n                                    int
	figTime, figCPU, floorTime, floorCPU time.Duration
	floorOps                             int
}

// besideFloor runs b.N operations of the figure (fig(base, n) runs
// operations base..base+n-1 and returns their wall time) in floorRounds
// rounds, each after a round of f's floor of about the same length. The
// heap is collected before each round, untimed, so that a round does not
// pay for the garbage of the one before (the figure makes about five
// times the floor's per operation).
func besideFloor(b *testing.B, f *etcdFloor, fig func(base, n int) time.Duration) floorRun {
	m := floorRun{n: b.N}
	for done := 0; done < b.N; {
		n := min(b.N-done, max((b.N+floorRounds-1)/floorRounds, roundOps))
		// The floor is about 2.5 times as fast: as many transactions as
		// that takes about as long as the figure's round.
		ops := max(n*5/2, len(f.clis))
		runtime.GC()
		cpu0 := processCPU()
		m.floorTime += f.run(b, ops)
		m.floorCPU += processCPU() - cpu0
		m.floorOps += ops
		runtime.GC()
		cpu1 := processCPU()
		m.figTime += fig(done, n)
		m.figCPU += processCPU() - cpu1
		done += n
	}
	return m
}

// report reports ns/op (the figure's wall time over b.N), the figure's
// rate in unit, its CPU per operation if cpu, and floor-ns/op, floor-txn/s
// and the floor's CPU per transaction; the table takes floor-ns/op as the
// figure's floor.
func (m floorRun) report(b *testing.B, unit string, cpu bool) {
	b.ReportMetric(float64(m.figTime)/float64(m.n), "ns/op")
	b.ReportMetric(float64(m.n)/m.figTime.Seconds(), unit)
	b.ReportMetric(float64(m.floorTime)/float64(m.floorOps), "floor-ns/op")
	b.ReportMetric(float64(m.floorOps)/m.floorTime.Seconds(), "floor-txn/s")
	if processCPU() > 0 {
		if cpu {
			b.ReportMetric(float64(m.figCPU)/float64(m.n)/1e6, "cpu-ms/op")
		}
		b.ReportMetric(float64(m.floorCPU)/float64(m.floorOps)/1e6, "floor-cpu-ms/op")
	}
}

// BenchmarkRegisterEtcdPaced100: 20 kiosks on the cluster, registrations
// released at 100 a second (one every 10 ms, to a kiosk that is free; a
// registration waiting for one counts the wait) and timed from their
// release: p50-ms and p99-ms of at least 200. ns/op, B/op and allocs/op
// are per registration, ns/op its mean latency.
func BenchmarkRegisterEtcdPaced100(b *testing.B) {
	const kiosks, every = 20, 10 * time.Millisecond
	ctx := context.Background()
	r := etcdRig(b, kiosks)
	n := max(b.N, 200)
	ins := r.warmUp(b, benchInputs(b, r.loader, r.clk, kiosks+n))
	type job struct {
		i  int
		at time.Time
	}
	jobs := make(chan job) // unbuffered: a job goes to a free kiosk
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	for _, k := range r.ks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if _, err := k.svc.Register(ctx, ins[j.i]); err != nil {
					b.Error(err)
				}
				lat[j.i] = time.Since(j.at)
			}
		}()
	}
	before := r.snapshot()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	t0 := time.Now()
	for i := range n {
		at := t0.Add(time.Duration(i) * every)
		time.Sleep(time.Until(at))
		jobs <- job{i, at}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	runtime.ReadMemStats(&m1)

	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(float64(sum)/float64(n), "ns/op")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(n), "B/op")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(n), "allocs/op")
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(float64(n)/elapsed.Seconds(), "reg/s")
	r.report(b, before, n)
}

// percentile is the nearest-rank p-th percentile of sorted d.
func percentile(d []time.Duration, p int) time.Duration {
	i := (len(d)*p + 99) / 100
	return d[max(i-1, 0)]
}

// drive runs fn(worker, i) for i in [0, n) on workers goroutines, each
// taking the next i, and returns the wall time. Failures fail b.
func drive(b testing.TB, workers, n int, fn func(w, i int) error) time.Duration {
	var next atomic.Int64
	return driveTaking(b, workers, func(int) (int, bool) {
		i := int(next.Add(1)) - 1
		return i, i < n
	}, fn)
}

// driveOwn runs fn(worker, i) for i in [base, base+n) on workers
// goroutines and returns the wall time, as drive does, except that worker
// w first takes the i ≡ w (mod workers), in order (the visits at its own
// kiosk: rig.lookUp), and then helps with what the others have left.
func driveOwn(b testing.TB, workers, base, n int, fn func(w, i int) error) time.Duration {
	taken := make([]atomic.Int64, workers) // how many of each worker's own
	return driveTaking(b, workers, func(w int) (int, bool) {
		for k := range workers {
			v := (w + k) % workers
			first := base + (v-base%workers+workers)%workers
			if i := first + int(taken[v].Add(1)-1)*workers; i < base+n {
				return i, true
			}
		}
		return 0, false
	}, fn)
}

// driveTaking runs workers goroutines, each calling fn(w, i) for the i
// that take(w) gives it until it has none, and returns the wall time.
// Failures fail b.
func driveTaking(b testing.TB, workers int, take func(w int) (int, bool), fn func(w, i int) error) time.Duration {
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i, ok := take(w)
				if !ok {
					return
				}
				if err := fn(w, i); err != nil {
					b.Errorf("worker %d, op %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(t0)
}

// rigStats is what the process and the engines had counted when a run
// started.
type rigStats struct {
	cpu                                time.Duration
	conflicts, reads, readNs, commitNs int64
}

func (r rig) snapshot() rigStats {
	s := rigStats{cpu: processCPU()}
	for _, e := range r.engines {
		s.conflicts += e.Stats().Conflicts
	}
	if r.counts != nil {
		s.reads, s.readNs, s.commitNs = r.counts.reads.Load(), r.counts.readNs.Load(), r.counts.commitNs.Load()
	}
	return s
}

// report adds per registration since before: see reportDelta.
func (r rig) report(b *testing.B, before rigStats, regs int) {
	r.reportDelta(b, r.snapshot().minus(before), regs)
}

func (s rigStats) minus(o rigStats) rigStats {
	return rigStats{cpu: s.cpu - o.cpu, conflicts: s.conflicts - o.conflicts, reads: s.reads - o.reads,
		readNs: s.readNs - o.readNs, commitNs: s.commitNs - o.commitNs}
}

func (s rigStats) plus(o rigStats) rigStats {
	return s.minus(rigStats{}.minus(o))
}

// reportDelta reports what d counted, per registration: CPU time (where
// the process's can be read), and on etcd the attempts re-run after a
// conflict, the reads (each one round trip to the cluster) and the time
// spent waiting for reads and for commits.
func (r rig) reportDelta(b *testing.B, d rigStats, regs int) {
	per := func(v int64) float64 { return float64(v) / float64(regs) }
	if processCPU() > 0 {
		b.ReportMetric(per(int64(d.cpu))/1e6, "cpu-ms/reg")
	}
	if r.engines == nil {
		return
	}
	b.ReportMetric(per(d.conflicts), "conflicts/reg")
	b.ReportMetric(per(d.reads), "reads/reg")
	b.ReportMetric(per(d.readNs)/1e6, "read-ms/reg")
	b.ReportMetric(per(d.commitNs)/1e6, "commit-ms/reg")
}

// kvCounts counts the engines' reads (every tx.Get not answered from the
// transaction's own cache, every page of a scan, every kv.GetMany batch: a
// read-only Txn; one round trip each) and the time spent waiting for them
// and for commits.
type kvCounts struct{ reads, readNs, commitNs atomic.Int64 }

type countKV struct {
	clientv3.KV
	n *kvCounts
}

func (c countKV) Get(ctx context.Context, key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	t0 := time.Now()
	defer func() { c.n.reads.Add(1); c.n.readNs.Add(int64(time.Since(t0))) }()
	return c.KV.Get(ctx, key, opts...)
}

func (c countKV) Txn(ctx context.Context) clientv3.Txn {
	return countTxn{Txn: c.KV.Txn(ctx), n: c.n}
}

// countTxn times a Txn: a commit (it has compares) or a read (none: the
// engine's kv.GetMany).
type countTxn struct {
	clientv3.Txn
	n       *kvCounts
	guarded bool
}

func (t countTxn) If(cs ...clientv3.Cmp) clientv3.Txn {
	return countTxn{Txn: t.Txn.If(cs...), n: t.n, guarded: t.guarded || len(cs) > 0}
}

func (t countTxn) Then(ops ...clientv3.Op) clientv3.Txn {
	return countTxn{Txn: t.Txn.Then(ops...), n: t.n, guarded: t.guarded}
}

func (t countTxn) Else(ops ...clientv3.Op) clientv3.Txn {
	return countTxn{Txn: t.Txn.Else(ops...), n: t.n, guarded: t.guarded}
}

func (t countTxn) Commit() (*clientv3.TxnResponse, error) {
	t0 := time.Now()
	defer func() {
		if t.guarded {
			t.n.commitNs.Add(int64(time.Since(t0)))
		} else {
			t.n.reads.Add(1)
			t.n.readNs.Add(int64(time.Since(t0)))
		}
	}()
	return t.Txn.Commit()
}

// processCPU is the CPU time of the process (user and system), from
// /proc/self/stat; 0 where there is none.
func processCPU() time.Duration {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// reportCPU reports the process's CPU time since cpu0 per op in ms, where
// it can be read.
func reportCPU(b *testing.B, cpu0 time.Duration, ops int, unit string) {
	if cpu := processCPU(); cpu > 0 {
		b.ReportMetric(float64(cpu-cpu0)/float64(ops)/1e6, unit)
	}
}

// benchInputs returns n proved registrations of fresh registry enterprises
// (benchRegistration), their registry records put into st 100 to a
// transaction (within etcd's 128 operations). Their SMS proofs are minted
// by a codes service with the kiosks' secret on a store of its own, so
// minting costs the cluster nothing, under a new kiosk id every 20 sends
// (the per-kiosk caps); the face evidence is sealed with the kiosks' key.
func benchInputs(b *testing.B, st model.Store, clk *clocktest.Clock, n int) []account.RegistrationInput {
	b.Helper()
	ctx := context.Background()
	mst, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		b.Fatal(err)
	}
	mint := &smscode.Service{Store: mst, Clock: clk, Secret: secret, Rand: zeros{}, Captcha: captcha.New(clk, nil)}
	faces := newFaces(b, faceSecret, clk, demoDevice)
	ins := make([]account.RegistrationInput, n)
	recs := make([]model.RegistryRecord, 0, 100)
	flush := func() {
		err := st.Update(ctx, func(tx model.Tx) error {
			for _, rec := range recs {
				if err := tx.Registry().Put(rec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		recs = recs[:0]
	}
	for i := range ins {
		rec, in := benchRegistration(b, i)
		mint.Kiosk = fmt.Sprintf("MINT-%d", i/20)
		if _, err := mint.Send(ctx, passFor(mint), smscode.PurposeRegister, in.LegalRep.Phone); err != nil {
			b.Fatal(err)
		}
		if in.PhoneProof, err = mint.Verify(ctx, smscode.PurposeRegister, in.LegalRep.Phone, code); err != nil {
			b.Fatal(err)
		}
		in.Face = faceFor(faces, in.LegalRep.IDDoc.Number, model.FaceForRegister)
		ins[i] = in
		if recs = append(recs, rec); len(recs) == cap(recs) {
			flush()
		}
	}
	if len(recs) > 0 {
		flush()
	}
	return ins
}

// benchRegistration is enterprise i of a benchmark (i < 3·10⁶): its
// registry record and the registration form for it, unproved. Legal
// representatives are born from 1980 on, a thousand a day, so their cards
// issued in 2015 are the 20-year kind.
func benchRegistration(b *testing.B, i int) (model.RegistryRecord, account.RegistrationInput) {
	org := fmt.Sprintf("%08d", i)
	oc, err := rules.OrgCodeCheckChar(org)
	if err != nil {
		b.Fatal(err)
	}
	body := "91220502" + org + string(oc)
	cc, err := rules.USCCCheckChar(body)
	if err != nil {
		b.Fatal(err)
	}
	uscc := body + string(cc)
	born := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000)
	idBody := fmt.Sprintf("220502%s%03d", born.Format("20060102"), i%1000)
	ic, err := rules.IDCheckChar(idBody)
	if err != nil {
		b.Fatal(err)
	}
	doc := model.IDDocument{Type: model.IDTypeResident, Number: idBody + string(ic), Period: model.Validity20Years,
		ValidFrom: date(2015, 1, 1), ValidTo: date(2035, 1, 1)}
	phone := fmt.Sprintf("139%08d", i)
	name := "通化第" + chineseDigits(i) + "农业有限公司"
	rec := model.RegistryRecord{USCC: uscc, Name: name, LegalType: "企业法人", Phone: phone,
		LegalRep: model.LegalRep{Name: "王建", ID: doc}}
	in := account.RegistrationInput{Enterprise: account.EnterpriseInput{LegalType: "企业法人", Name: name, USCC: uscc},
		LegalRep: account.LegalRepInput{Name: "王建", IDDoc: doc, Phone: phone},
		Account:  fmt.Sprintf("Bench_%08d", i), Password: "Farm#2026ok"}
	return rec, in
}

func chineseDigits(i int) string {
	digits := []rune("零一二三四五六七八九")
	var out []rune
	for _, d := range fmt.Sprint(i) {
		out = append(out, digits[d-'0'])
	}
	return string(out)
}
