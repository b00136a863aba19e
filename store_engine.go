package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"strings"

	"go.etcd.io/etcd/client/pkg/v3/transport"

	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/etcdkv"
)

// openEngine opens the configured kv engine: the bbolt file, or a client
// of the etcd cluster (which does not wait for the cluster to answer).
func openEngine(cfg Config) (kv.Engine, error) {
	s := cfg.Store
	if s.Engine != "etcd" {
		return bboltkv.Open(cfg.path(s.Path), bboltkv.Options{})
	}
	opts := etcdkv.Options{
		Endpoints:      s.Endpoints,
		Prefix:         s.Prefix,
		Username:       s.Username,
		DialTimeout:    s.DialTimeout.Duration,
		RequestTimeout: s.RequestTimeout.Duration,
	}
	if s.PasswordFile != "" {
		b, err := os.ReadFile(cfg.path(s.PasswordFile))
		if err != nil {
			return nil, fmt.Errorf("store.password_file: %w", err)
		}
		opts.Password = strings.TrimSpace(string(b))
	}
	if s.CAFile != "" || s.CertFile != "" {
		tc, err := etcdTLS(cfg)
		if err != nil {
			return nil, err
		}
		opts.TLS = tc
	}
	return etcdkv.Open(opts)
}

// etcdTLS builds the client TLS configuration from the CA and the kiosk's
// certificate (etcd's own transport package reads them as etcdctl does).
func etcdTLS(cfg Config) (*tls.Config, error) {
	s := cfg.Store
	info := transport.TLSInfo{TrustedCAFile: s.CAFile, CertFile: s.CertFile, KeyFile: s.CertKeyFile}
	if s.CAFile != "" {
		info.TrustedCAFile = cfg.path(s.CAFile)
	}
	if s.CertFile != "" {
		info.CertFile, info.KeyFile = cfg.path(s.CertFile), cfg.path(s.CertKeyFile)
	}
	tc, err := info.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("store TLS: %w", err)
	}
	tc.MinVersion = tls.VersionTLS12
	return tc, nil
}
