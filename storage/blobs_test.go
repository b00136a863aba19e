package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/memkv"
)

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

var blobT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// engines are a fresh memkv and a fresh bbolt engine.
func engines(t *testing.T) map[string]kv.Engine {
	b, err := bboltkv.Open(filepath.Join(t.TempDir(), "kiosk.db"), bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return map[string]kv.Engine{"mem": memkv.New(), "bolt": b}
}

// TestChunkCorruptionDetected: a chunk whose stored bytes were damaged,
// replaced by other sealed bytes, or moved from another chunk's key is
// refused on read, and so is the material holding it.
func TestChunkCorruptionDetected(t *testing.T) {
	for name, e := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			keys := NewKeysForTest()
			s, err := Open(e, keys)
			if err != nil {
				t.Fatal(err)
			}
			data := bytes.Repeat([]byte("0123456789abcdef"), (model.MaxChunkSize*4)/16)
			for i := range data {
				data[i] ^= byte(i / model.MaxChunkSize) // four different chunks
			}
			m, err := model.WriteMaterial(ctx, s, fixedClock(blobT0), bytes.NewReader(data), 10<<20)
			if err != nil || len(m.Chunks) != 4 {
				t.Fatalf("%d chunks, %v", len(m.Chunks), err)
			}
			check := func(what string) {
				t.Helper()
				err := s.View(ctx, func(tx model.Tx) error { _, err := tx.Blobs().GetChunk(m.Chunks[2]); return err })
				if !errors.Is(err, ErrCorrupt) || !errors.Is(err, model.ErrMaterialCorrupt) {
					t.Errorf("%s: GetChunk = %v, want ErrCorrupt and ErrMaterialCorrupt", what, err)
				}
				if _, err := model.ReadMaterial(ctx, s, m); !errors.Is(err, model.ErrMaterialCorrupt) {
					t.Errorf("%s: ReadMaterial = %v, want ErrMaterialCorrupt", what, err)
				}
			}
			key := []byte(blobPrefix + m.Chunks[2])
			var orig []byte
			rawUpdate(t, e, func(tx kv.Tx) error {
				v, err := tx.Get(key)
				orig = bytes.Clone(v)
				v[len(v)/2] ^= 1
				return errors.Join(err, tx.Put(key, v))
			})
			check("a flipped bit")
			rawUpdate(t, e, func(tx kv.Tx) error { // sealed right, but other bytes
				return tx.Put(key, keys.seal(key, []byte("not the chunk")))
			})
			check("other bytes")
			rawUpdate(t, e, func(tx kv.Tx) error { // another chunk's sealed value
				v, err := tx.Get([]byte(blobPrefix + m.Chunks[1]))
				return errors.Join(err, tx.Put(key, v))
			})
			check("another chunk's value")
			rawUpdate(t, e, func(tx kv.Tx) error { return tx.Put(key, orig) })
			if back, err := model.ReadMaterial(ctx, s, m); err != nil || !bytes.Equal(back, data) {
				t.Fatalf("restored: %v", err)
			}
		})
	}
}

// scanCounter counts the index and record entries a transaction visits.
type scanCounter struct {
	kv.Tx
	visits int
}

func (c *scanCounter) Scan(prefix []byte, fn func(k, v []byte) (bool, error)) error {
	return c.Tx.Scan(prefix, func(k, v []byte) (bool, error) { c.visits++; return fn(k, v) })
}

func (c *scanCounter) ScanFrom(prefix, from []byte, fn func(k, v []byte) (bool, error)) error {
	return c.Tx.ScanFrom(prefix, from, func(k, v []byte) (bool, error) { c.visits++; return fn(k, v) })
}

// TestAppealScansStopEarly: a page of the queue, the appeals due for a
// purge and the orphan chunks cost what they return, not the number of
// appeals or chunks in the store.
func TestAppealScansStopEarly(t *testing.T) {
	e, keys := memkv.New(), NewKeysForTest()
	w := &tx{keys: keys, writable: true}
	rawUpdate(t, e, func(k kv.Tx) error {
		w.kv = k
		var used []string
		for i := range 100 {
			id, err := blobs{w}.PutChunk([]byte(fmt.Sprint("chunk ", i)), blobT0.Add(time.Duration(i)*time.Second))
			if err != nil {
				return err
			}
			if i >= 3 { // the first three stay orphans
				used = append(used, id)
			}
		}
		for i := range 300 {
			a := model.Appeal{ID: fmt.Sprintf("a%03d", i), Ref: fmt.Sprintf("R%03d", i), Kind: model.AppealKindRegister,
				State: model.AppealApproved, CreatedAt: blobT0.Add(time.Duration(i) * time.Minute), DecidedAt: blobT0.Add(time.Hour)}
			if i >= 200 {
				a.State, a.DecidedAt = model.AppealPending, time.Time{}
			}
			a.Materials = []model.Material{{Kind: model.MaterialLicense, Size: 1, Chunks: []string{used[i%len(used)]}}}
			if err := (appeals{w}).Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	err := e.View(context.Background(), func(k kv.Tx) error {
		for name, tc := range map[string]struct {
			run  func(r *tx) (int, error)
			want int
		}{
			"pending page": {func(r *tx) (int, error) {
				l, _, err := appeals{r}.List(model.AppealFilter{State: model.AppealPending}, "", 5)
				return len(l), err
			}, 5},
			"newest page of a kind": {func(r *tx) (int, error) {
				l, _, err := appeals{r}.List(model.AppealFilter{Kind: model.AppealKindRegister, NewestFirst: true}, "", 5)
				return len(l), err
			}, 5},
			"closed before": {func(r *tx) (int, error) {
				l, _, err := appeals{r}.ClosedBefore(blobT0.Add(2*time.Hour), "", 5)
				return len(l), err
			}, 5},
			"orphans": {func(r *tx) (int, error) {
				l, _, err := blobs{r}.Unreferenced(blobT0.Add(time.Hour), "", 10)
				return len(l), err
			}, 3},
		} {
			c := &scanCounter{Tx: k}
			n, err := tc.run(&tx{kv: c, keys: keys})
			if err != nil || n != tc.want || c.visits > tc.want+1 {
				t.Errorf("%s: %d results (want %d), %d entries visited, %v", name, n, tc.want, c.visits, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoPlaintextMaterialInFile: neither a material's bytes nor the
// appeal's personal data reach the bbolt file in clear.
func TestNoPlaintextMaterialInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	e, err := bboltkv.Open(path, bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(e, KeysFromSeed("material-leak"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	marker := "ID-CARD-PHOTO-PIXELS-5f3a9c"
	m, err := model.WriteMaterial(ctx, s, fixedClock(blobT0), bytes.NewReader(bytes.Repeat([]byte(marker), 20000)), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	m.Kind, m.Name, m.MIME = model.MaterialRepIDFront, "欧阳法人的身份证.jpg", "image/jpeg"
	a := model.Appeal{ID: "a1", Ref: model.NewAppealRef("K-1", blobT0), Kind: model.AppealKindRegister, State: model.AppealPending,
		EnterpriseName: "长白山测试有限公司", USCC: "91220101MA0Y7B8C9D", Account: "ouyang_corp",
		LegalRep: model.LegalRep{Name: "欧阳法人", ID: model.IDDocument{Number: "220102198502021234"}}, Phone: "13912345678",
		Remark: "法人手机号已停用", Materials: []model.Material{m}, CreatedAt: blobT0}
	if err := s.Update(ctx, func(tx model.Tx) error { return tx.Appeals().Put(a) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("apl/a1")) {
		t.Fatal("appeal key not found in the raw file")
	}
	for _, secret := range []string{marker, a.Ref, a.EnterpriseName, a.USCC, a.Account, a.LegalRep.Name,
		a.LegalRep.ID.Number, a.Phone, a.Remark, m.Name, m.SHA256} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%q found in the database file", secret)
		}
	}
}
