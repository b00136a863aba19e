package storage

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/memkv"
)

var auditT0 = time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC)

// auditStore is a memkv store with n records in kiosk K-1's chain, one a
// minute from auditT0.
func auditStore(t *testing.T, n int) (*Store, kv.Engine) {
	t.Helper()
	e := memkv.New()
	s, err := Open(e, KeysFromSeed("audit"))
	if err != nil {
		t.Fatal(err)
	}
	appendAudit(t, s, "K-1", n)
	return s, e
}

func appendAudit(t *testing.T, s *Store, kiosk string, n int) {
	t.Helper()
	for i := range n {
		err := s.Update(context.Background(), func(tx model.Tx) error {
			_, err := tx.Audit().Append(model.AuditRecord{Time: auditT0.Add(time.Duration(i) * time.Minute), Kiosk: kiosk,
				Actor: "anonymous", Action: "login.enterprise", Subject: "e1", Outcome: "fail", Detail: strconv.Itoa(i)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func rawUpdate(t *testing.T, e kv.Engine, fn func(kv.Tx) error) {
	t.Helper()
	if err := e.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, s *Store) AuditReport {
	t.Helper()
	rep, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// wantBreak checks that the report has one chain, broken at seq with kind.
func wantBreak(t *testing.T, rep AuditReport, seq uint64, kind AuditBreakKind) {
	t.Helper()
	if len(rep.Chains) != 1 || rep.OK() {
		t.Fatalf("report %+v, want one broken chain", rep)
	}
	if b := rep.Chains[0].Break; b.Seq != seq || b.Kind != kind {
		t.Fatalf("break %v, want %s at seq %d", b, kind, seq)
	}
}

func TestAuditChainIntact(t *testing.T) {
	s, e := auditStore(t, 5)
	rep := verify(t, s)
	if !rep.OK() || len(rep.Chains) != 1 {
		t.Fatalf("intact chain: %+v", rep)
	}
	c := rep.Chains[0]
	if c.Kiosk != "K-1" || c.Count != 5 || c.Seq != 5 || len(c.MAC) != 64 {
		t.Fatalf("chain %+v", c)
	}
	// The layout: per-kiosk keys, a sealed head, no global counter.
	for _, k := range []string{"audit/K-1/0000000000000001", "audit/K-1/0000000000000005", "meta/audit/K-1"} {
		if rawGet(t, e, k) == nil {
			t.Fatalf("%s missing", k)
		}
	}
	if rawGet(t, e, "meta/seq/audit") != nil || rawGet(t, e, "meta/audit/K-1")[0] != sealVersion {
		t.Fatal("a global counter, or a head in clear")
	}
}

// TestAuditNewestRemoved: an attacker with the file but not the key file
// drops the newest records and rewinds what they can of the head.
func TestAuditNewestRemoved(t *testing.T) {
	for _, tc := range []struct {
		name string
		head func(tx kv.Tx) error // what becomes of the head
		want string
	}{
		{"head left", func(kv.Tx) error { return nil }, "head is at seq 5, the last record is 4"},
		{"head deleted", func(tx kv.Tx) error { return tx.Delete([]byte("meta/audit/K-1")) }, "head is missing"},
		{"head rewound in clear", func(tx kv.Tx) error {
			return tx.Put([]byte("meta/audit/K-1"), binary.BigEndian.AppendUint64(nil, 4))
		}, "head does not open"},
		{"head of another kiosk", func(tx kv.Tx) error { return nil }, ""}, // see below
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, e := auditStore(t, 5)
			if tc.want == "" { // another chain's head copied over: sealed under its own key, it does not open
				appendAudit(t, s, "K-2", 4)
				other := rawGet(t, e, "meta/audit/K-2")
				tc.head = func(tx kv.Tx) error { return tx.Put([]byte("meta/audit/K-1"), other) }
				tc.want = "head does not open"
			}
			rawUpdate(t, e, func(tx kv.Tx) error {
				return errors.Join(tx.Delete([]byte(auditKey("K-1", 5))), tc.head(tx))
			})
			rep := verify(t, s)
			var broken []AuditChain
			for _, c := range rep.Chains {
				if c.Break != nil {
					broken = append(broken, c)
				}
			}
			if len(broken) != 1 || broken[0].Kiosk != "K-1" || broken[0].Break.Kind != BreakHead ||
				broken[0].Break.Seq != 4 || !strings.Contains(broken[0].Break.Detail, tc.want) {
				t.Fatalf("report %+v, want a head break at seq 4: %s", rep, tc.want)
			}
			// And the kiosk does not paper over it by writing seq 5 again.
			if tc.name == "head deleted" {
				err := s.Update(context.Background(), func(tx model.Tx) error {
					_, err := tx.Audit().Append(model.AuditRecord{Kiosk: "K-1", Action: "x"})
					return err
				})
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Append over a chain without head: %v, want ErrCorrupt", err)
				}
			}
		})
	}
}

// TestAuditRollbackNeedsCheckpoint: replacing the head by an older copy of
// itself is invisible inside the store; a checkpoint exported before shows
// it, and the records appended after the rollback do not hide it.
func TestAuditRollbackNeedsCheckpoint(t *testing.T) {
	ctx := context.Background()
	s, e := auditStore(t, 4)
	oldHead := rawGet(t, e, "meta/audit/K-1")
	appendAudit(t, s, "K-1", 1)
	cps, _, err := s.AuditCheckpoints(ctx, time.Time{}, auditT0.Add(time.Hour))
	if err != nil || len(cps) != 1 || cps[0].Seq != 5 {
		t.Fatalf("checkpoints %+v, %v", cps, err)
	}
	line, _ := json.Marshal(cps[0])
	cp, err := s.ParseAuditCheckpoint(line)
	if err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, e, func(tx kv.Tx) error {
		return errors.Join(tx.Delete([]byte(auditKey("K-1", 5))), tx.Put([]byte("meta/audit/K-1"), oldHead))
	})
	if rep := verify(t, s); !rep.OK() {
		t.Fatalf("a rollback to an older head is not visible without a checkpoint, yet: %+v", rep)
	}
	rep, err := s.VerifyAuditAgainst(ctx, []AuditCheckpoint{cp})
	if err != nil {
		t.Fatal(err)
	}
	wantBreak(t, rep, 4, BreakCheckpoint)
	// A new record 5 links fine, but it is not the checkpointed one.
	err = s.Update(ctx, func(tx model.Tx) error {
		_, err := tx.Audit().Append(model.AuditRecord{Time: auditT0, Kiosk: "K-1", Action: "after.rollback"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = s.VerifyAuditAgainst(ctx, []AuditCheckpoint{cp})
	if err != nil {
		t.Fatal(err)
	}
	wantBreak(t, rep, 5, BreakCheckpoint)
}

func TestAuditMiddleChanged(t *testing.T) {
	keys := KeysFromSeed("audit")
	// reseal rewrites record 3 as someone holding the encryption key could,
	// without the chain key.
	reseal := func(change func(*auditRec)) func(*testing.T, kv.Engine) {
		return func(t *testing.T, e kv.Engine) {
			k := []byte(auditKey("K-1", 3))
			var rec auditRec
			if err := openRec(keys, k, rawGet(t, e, string(k)), &rec); err != nil {
				t.Fatal(err)
			}
			change(&rec)
			pt, _ := json.Marshal(rec)
			rawUpdate(t, e, func(tx kv.Tx) error { return tx.Put(k, keys.seal(k, pt)) })
		}
	}
	for _, tc := range []struct {
		name   string
		tamper func(*testing.T, kv.Engine)
		seq    uint64
		kind   AuditBreakKind
	}{
		{"bytes flipped", func(t *testing.T, e kv.Engine) {
			k := auditKey("K-1", 3)
			v := rawGet(t, e, k)
			v[len(v)-5] ^= 0x20
			rawUpdate(t, e, func(tx kv.Tx) error { return tx.Put([]byte(k), v) })
		}, 3, BreakUnreadable},
		{"record swapped in", func(t *testing.T, e kv.Engine) {
			v := rawGet(t, e, auditKey("K-1", 2))
			rawUpdate(t, e, func(tx kv.Tx) error { return tx.Put([]byte(auditKey("K-1", 3)), v) })
		}, 3, BreakUnreadable},
		{"removed", func(t *testing.T, e kv.Engine) {
			rawUpdate(t, e, func(tx kv.Tx) error { return tx.Delete([]byte(auditKey("K-1", 3))) })
		}, 3, BreakGap},
		{"resealed with another outcome", reseal(func(r *auditRec) { r.Outcome = "ok" }), 4, BreakLink},
		{"resealed with another seq", reseal(func(r *auditRec) { r.Seq = 7 }), 3, BreakSeq},
		{"resealed for another kiosk", reseal(func(r *auditRec) { r.Kiosk = "K-2" }), 3, BreakKiosk},
		{"resealed with the link of record 2", reseal(func(r *auditRec) { r.Prev = strings.Repeat("0", 64) }), 3, BreakLink},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, e := auditStore(t, 5)
			tc.tamper(t, e)
			wantBreak(t, verify(t, s), tc.seq, tc.kind)
		})
	}
	t.Run("newest resealed", func(t *testing.T) {
		s, e := auditStore(t, 3) // record 3 is the newest: the head's HMAC catches it
		reseal(func(r *auditRec) { r.Outcome = "ok" })(t, e)
		wantBreak(t, verify(t, s), 3, BreakHead)
	})
	t.Run("oldest removed", func(t *testing.T) {
		s, e := auditStore(t, 3)
		rawUpdate(t, e, func(tx kv.Tx) error { return tx.Delete([]byte(auditKey("K-1", 1))) })
		wantBreak(t, verify(t, s), 1, BreakGap)
	})
	t.Run("whole chain removed, head left", func(t *testing.T) {
		s, e := auditStore(t, 2)
		rawUpdate(t, e, func(tx kv.Tx) error {
			return errors.Join(tx.Delete([]byte(auditKey("K-1", 1))), tx.Delete([]byte(auditKey("K-1", 2))))
		})
		wantBreak(t, verify(t, s), 2, BreakHead)
	})
}

// TestAuditKiosksConcurrent: kiosks appending at once on one bbolt file
// each get their own chain, numbered from 1, and both verify.
func TestAuditKiosksConcurrent(t *testing.T) {
	e, err := bboltkv.Open(filepath.Join(t.TempDir(), "kiosk.db"), bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(e, NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const each = 25
	kiosks := []string{"JL-CC-0001", "JL-CC-0002", ""}
	var wg sync.WaitGroup
	errs := make(chan error, len(kiosks)*each)
	for _, k := range kiosks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := s.Update(context.Background(), func(tx model.Tx) error {
					seq, err := tx.Audit().Append(model.AuditRecord{Time: auditT0, Kiosk: k, Action: "a", Detail: strconv.Itoa(i)})
					if err == nil && seq != uint64(i+1) {
						err = fmt.Errorf("kiosk %q: append %d got seq %d", k, i, seq)
					}
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rep := verify(t, s)
	if !rep.OK() || len(rep.Chains) != len(kiosks) {
		t.Fatalf("report %+v", rep)
	}
	for _, c := range rep.Chains {
		if c.Count != each || c.Seq != each {
			t.Fatalf("chain %+v", c)
		}
	}
}

// TestAuditMigration: a schema-2 store, with one global sequence over
// records of two kiosks, opens as per-kiosk chains in the records' order
// that verify; the old keys and counter are gone.
func TestAuditMigration(t *testing.T) {
	keys := KeysFromSeed("audit-mig")
	e := memkv.New()
	if _, err := Open(e, keys); err != nil {
		t.Fatal(err)
	}
	kiosks := []string{"K-1", "K-2", "K-1", "K-1", "K/3", "K-2"}
	rawUpdate(t, e, func(tx kv.Tx) error { // the schema-2 layout, as log.go wrote it
		for i, k := range kiosks {
			key := []byte(fmt.Sprintf("aud/%016x", i+1))
			pt, _ := json.Marshal(auditToRec(model.AuditRecord{Seq: uint64(i + 1), Time: auditT0.Add(time.Duration(i) * time.Second),
				Kiosk: k, Action: "a", Detail: strconv.Itoa(i + 1)}))
			if err := tx.Put(key, keys.seal(key, pt)); err != nil {
				return err
			}
		}
		return errors.Join(tx.Put([]byte("meta/seq/audit"), binary.BigEndian.AppendUint64(nil, uint64(len(kiosks)))),
			tx.Put([]byte(metaSchema), []byte("2")))
	})
	s, err := Open(e, keys)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(context.Background()); v != BaseSchemaVersion {
		t.Fatalf("schema %d", v)
	}
	rep := verify(t, s)
	if !rep.OK() || len(rep.Chains) != 3 {
		t.Fatalf("migrated report %+v", rep)
	}
	var got []string
	err = s.View(context.Background(), func(tx model.Tx) error {
		recs, err := tx.Audit().List(0, 100)
		for _, r := range recs {
			got = append(got, fmt.Sprintf("%s#%d=%s", r.Kiosk, r.Seq, r.Detail))
		}
		return err
	})
	// Chains come in key order, and "K%2F3" < "K-1".
	if want := "K/3#1=5 K-1#1=1 K-1#2=3 K-1#3=4 K-2#1=2 K-2#2=6"; err != nil || strings.Join(got, " ") != want {
		t.Fatalf("migrated records %v (%v), want %s", got, err, want)
	}
	if rawGet(t, e, "meta/seq/audit") != nil || rawGet(t, e, "aud/0000000000000001") != nil {
		t.Fatal("old audit keys left behind")
	}
	if rawGet(t, e, "audit/K%2F3/0000000000000001") == nil {
		t.Fatal("kiosk id with a slash not escaped in its key")
	}
}

// TestAuditSchema1Verifies: the records of the schema-1 fixture (written
// by the old code) form an intact chain after the upgrade.
func TestAuditSchema1Verifies(t *testing.T) {
	s, err := Open(loadFixture(t, schema1Fixture), KeysFromSeed(schema1Seed))
	if err != nil {
		t.Fatal(err)
	}
	rep := verify(t, s)
	if !rep.OK() || len(rep.Chains) != 1 || rep.Chains[0].Kiosk != "K-1" || rep.Chains[0].Count != 2 {
		t.Fatalf("schema-1 audit after upgrade: %+v", rep)
	}
}

func TestAuditCheckpoints(t *testing.T) {
	ctx := context.Background()
	s, _ := auditStore(t, 10) // one a minute from auditT0
	appendAudit(t, s, "K-2", 3)
	now := auditT0.Add(time.Hour)
	cps, _, err := s.AuditCheckpoints(ctx, auditT0.Add(7*time.Minute), now)
	if err != nil || len(cps) != 2 {
		t.Fatalf("%+v, %v", cps, err)
	}
	if c := cps[0]; c.Kiosk != "K-1" || c.Seq != 10 || c.Count != 10 || c.SinceCount != 3 || c.SinceFirst != 8 || !c.At.Equal(now) {
		t.Fatalf("K-1 checkpoint %+v", c)
	}
	if c := cps[1]; c.Kiosk != "K-2" || c.Seq != 3 || c.SinceCount != 0 || c.SinceFirst != 0 {
		t.Fatalf("K-2 checkpoint %+v", c)
	}
	line, _ := json.Marshal(cps[0])
	if _, err := s.ParseAuditCheckpoint(line); err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(line), `"seq":10`, `"seq":9`, 1)
	if _, err := s.ParseAuditCheckpoint([]byte(forged)); !errors.Is(err, ErrBadCheckpoint) {
		t.Fatalf("forged checkpoint: %v", err)
	}
	other, _ := Open(memkv.New(), NewKeysForTest())
	if _, err := other.ParseAuditCheckpoint(line); !errors.Is(err, ErrBadCheckpoint) {
		t.Fatalf("checkpoint of another store: %v", err)
	}
	// A broken chain gets no checkpoint.
	s2, e2 := auditStore(t, 3)
	rawUpdate(t, e2, func(tx kv.Tx) error { return tx.Delete([]byte(auditKey("K-1", 2))) })
	if cps, rep, err := s2.AuditCheckpoints(ctx, time.Time{}, now); !errors.Is(err, ErrAuditBroken) || cps != nil || rep.OK() {
		t.Fatalf("broken chain: %+v %v", cps, err)
	}
}

func TestAuditChainID(t *testing.T) {
	for _, k := range []string{"", "K-1", "a/b", "100%", "%", "%25", "x\x00y", "终端-1"} {
		id := auditChainID(k)
		if strings.Contains(id, "/") || !validID(id) {
			t.Errorf("%q → invalid segment %q", k, id)
		}
		if back, ok := auditChainKiosk(id); !ok || back != k {
			t.Errorf("%q → %q → %q, %v", k, id, back, ok)
		}
	}
	for _, bad := range []string{"", "%2", "%zz", "%2f", "a%2Fb/c"} {
		if _, ok := auditChainKiosk(bad); ok {
			t.Errorf("%q accepted as a chain id", bad)
		}
	}
}

// TestAuditRerun: an append and the schema-3 migration whose transaction
// runs twice, or is re-run after a competing write, leave one intact chain.
func TestAuditRerun(t *testing.T) {
	for name, mode := range map[string]memkv.Option{"RunTwice": memkv.RunTwice(), "Interleave": memkv.Interleave(memkv.Touch)} {
		t.Run(name, func(t *testing.T) { auditRerun(t, memkv.New(mode)) })
	}
}

func auditRerun(t *testing.T, e *memkv.Engine) {
	keys := KeysFromSeed("audit")
	s, err := Open(e, keys)
	if err != nil {
		t.Fatal(err)
	}
	appendAudit(t, s, "K-1", 3)
	rawUpdate(t, e, func(tx kv.Tx) error { // back to the schema-2 layout, by hand
		var recs [][2][]byte
		err := tx.Scan([]byte(auditPrefix), func(k, v []byte) (bool, error) { recs = append(recs, [2][]byte{k, v}); return true, nil })
		for i, kvp := range recs {
			var rec auditRec
			err = errors.Join(err, openRec(keys, kvp[0], kvp[1], &rec), tx.Delete(kvp[0]))
			rec.Prev = ""
			key := []byte(fmt.Sprintf("aud/%016x", i+1))
			pt, _ := json.Marshal(rec)
			err = errors.Join(err, tx.Put(key, keys.seal(key, pt)))
		}
		return errors.Join(err, tx.Delete([]byte(auditHeadKey("K-1"))), tx.Put([]byte(metaSchema), []byte("2")))
	})
	if s, err = Open(e, keys); err != nil {
		t.Fatal(err)
	}
	appendAudit(t, s, "K-1", 1)
	rep := verify(t, s)
	if !rep.OK() || len(rep.Chains) != 1 || rep.Chains[0].Count != 4 || rep.Chains[0].Seq != 4 {
		t.Fatalf("after re-run transactions: %+v", rep)
	}
	if st := e.Stats(); st.Discarded+st.Conflicts != st.Updates {
		t.Fatalf("closures were not re-run: %+v", st)
	}
}
