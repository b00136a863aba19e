package memkv_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

func leaseGet(t *testing.T, e kv.Engine, k string) []byte {
	t.Helper()
	var v []byte
	if err := e.View(context.Background(), func(tx kv.Tx) (err error) { v, err = tx.Get([]byte(k)); return }); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLeaseKeysEndWithTheLease(t *testing.T) {
	e := memkv.New()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := e.Grant(ctx, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	put := func(k string, leased bool) error {
		return e.Update(context.Background(), func(tx kv.Tx) error {
			if leased {
				return tx.(kv.LeaseTx).PutLeased([]byte(k), []byte("v"), l)
			}
			return tx.Put([]byte(k), []byte("plain"))
		})
	}
	if err := put("a", true); err != nil {
		t.Fatal(err)
	}
	if err := put("b", true); err != nil {
		t.Fatal(err)
	}
	if err := put("b", false); err != nil { // b leaves the lease
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if leaseGet(t, e, "a") == nil {
		t.Fatal("lease ended while its context lived")
	}
	cancel()
	select {
	case <-l.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("lease did not end after its context and TTL")
	}
	if v := leaseGet(t, e, "a"); v != nil {
		t.Fatalf("leased key outlived its lease: %q", v)
	}
	if v := leaseGet(t, e, "b"); string(v) != "plain" {
		t.Fatalf("key put again without the lease was deleted: %q", v)
	}
	if err := put("c", true); !errors.Is(err, kv.ErrLeaseExpired) {
		t.Fatalf("put under an ended lease: %v", err)
	}
}

func TestExpireEndsALeaseAtOnce(t *testing.T) {
	e := memkv.New()
	l, err := e.Grant(context.Background(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Update(context.Background(), func(tx kv.Tx) error {
		return tx.(kv.LeaseTx).PutLeased([]byte("claim"), []byte("k1"), l)
	}); err != nil {
		t.Fatal(err)
	}
	e.Expire(l)
	if v := leaseGet(t, e, "claim"); v != nil {
		t.Fatalf("claim survived Expire: %q", v)
	}
}
