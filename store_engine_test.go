package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/storage/kv"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// testPKI writes a CA, a server certificate for 127.0.0.1 and a client
// certificate into dir, as an operator would make them for a hall.
type testPKI struct{ ca, serverCert, serverKey, clientCert, clientKey string }

func newTestPKI(t *testing.T, dir string) testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kiosk test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTpl, caTpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	issue := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(key)
		return write(name+".crt", "CERTIFICATE", der), write(name+".key", "EC PRIVATE KEY", kder)
	}
	p := testPKI{ca: write("ca.crt", "CERTIFICATE", caDER)}
	p.serverCert, p.serverKey = issue("server", 2, x509.ExtKeyUsageServerAuth)
	p.clientCert, p.clientKey = issue("kiosk", 3, x509.ExtKeyUsageClientAuth)
	return p
}

// TestEtcdStoreOverTLSWithAuth: a kiosk configured as the README says
// ([store] engine = "etcd", the CA, its client certificate, a user and a
// password file) reaches a cluster that requires client certificates and
// auth, and reads and writes under its prefix; without its certificate, or
// with a wrong password, it is refused.
func TestEtcdStoreOverTLSWithAuth(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an etcd cluster")
	}
	dir := t.TempDir()
	pki := newTestPKI(t, dir)
	c := etcdtest.Start(t, 1, etcdtest.Options{ClientTLS: &transport.TLSInfo{
		CertFile: pki.serverCert, KeyFile: pki.serverKey, TrustedCAFile: pki.ca, ClientCertAuth: true}})
	ctx := context.Background()

	cfg := DefaultConfig()
	cfg.DataDir = dir
	cfg.Store.Engine = "etcd"
	cfg.Store.Endpoints = c.Endpoints()
	cfg.Store.CAFile, cfg.Store.CertFile, cfg.Store.CertKeyFile = pki.ca, pki.clientCert, pki.clientKey
	cfg.Store.RequestTimeout.Duration = 2 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}

	// Auth on: a root user, and a kiosk user allowed the kiosk's prefix only.
	admin := openEtcd(t, cfg)
	cli := admin.Client()
	for _, step := range []func() error{
		func() error { _, err := cli.RoleAdd(ctx, "root"); return err },
		func() error { _, err := cli.UserAdd(ctx, "root", "root-pass"); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := cli.RoleAdd(ctx, "kiosk-rw"); return err },
		func() error {
			_, err := cli.RoleGrantPermission(ctx, "kiosk-rw", "/kiosk/", string(kv.PrefixEnd([]byte("/kiosk/"))),
				clientv3.PermissionType(clientv3.PermReadWrite))
			return err
		},
		func() error { _, err := cli.UserAdd(ctx, "kiosk", "kiosk-pass"); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "kiosk", "kiosk-rw"); return err },
		func() error { _, err := cli.AuthEnable(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	pw := filepath.Join(dir, "etcd-password")
	if err := os.WriteFile(pw, []byte("kiosk-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Store.Username, cfg.Store.PasswordFile = "kiosk", pw
	e := openEtcd(t, cfg)
	if err := e.Update(ctx, func(tx kv.Tx) error { return tx.Put([]byte("hello"), []byte("hall")) }); err != nil {
		t.Fatalf("write over TLS with auth: %v", err)
	}
	var got []byte
	if err := e.View(ctx, func(tx kv.Tx) (err error) { got, err = tx.Get([]byte("hello")); return }); err != nil || string(got) != "hall" {
		t.Fatalf("read back %q, %v", got, err)
	}

	// A wrong password is refused (not mistaken for an outage).
	if err := os.WriteFile(pw, []byte("guess\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if bad, err := openEngine(cfg); err == nil {
		err = bad.(*etcdkv.Engine).Ping(ctx)
		bad.Close()
		if err == nil {
			t.Fatal("a wrong etcd password was accepted")
		}
	}
	// Without the client certificate the handshake fails.
	cfg.Store.CertFile, cfg.Store.CertKeyFile, cfg.Store.Username, cfg.Store.PasswordFile = "", "", "", ""
	if bad, err := openEngine(cfg); err == nil {
		err = bad.(*etcdkv.Engine).Ping(ctx)
		bad.Close()
		if err == nil || !errors.Is(err, kv.ErrUnavailable) {
			t.Fatalf("no client certificate: %v", err)
		}
	}
}

func openEtcd(t *testing.T, cfg Config) *etcdkv.Engine {
	t.Helper()
	e, err := openEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e.(*etcdkv.Engine)
}
