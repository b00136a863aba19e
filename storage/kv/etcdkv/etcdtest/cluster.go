// Package etcdtest starts an etcd cluster inside the test process
// (go.etcd.io/etcd/server/v3/embed) on loopback, so the engine, the store
// and the kiosks' flows are tested against a real cluster in `make test`.
// Members can be stopped and started again (leader failover), and each
// client can be routed through a Proxy that a test cuts (a partition).
package etcdtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	"go.etcd.io/etcd/server/v3/embed"

	"kiosk/storage/kv/etcdkv"
)

// Cluster is a running cluster of in-process members.
type Cluster struct {
	t       testing.TB // nil for a shared cluster
	dir     string
	members []*Member
	initial string
	opts    Options
	prefix  int // keys prefixes handed out by Engine
	mu      sync.Mutex
}

// Member is one etcd server.
type Member struct {
	Name           string
	ClientURL      string
	peerURL        string
	cfgDir         string
	etcd           *embed.Etcd
	c              *Cluster
	fsync, stopped bool
}

// Options tune Start.
type Options struct {
	// Fsync keeps etcd's fsync on (the benchmark's real setting); tests
	// run without it, which changes durability across a machine crash only.
	Fsync bool
	// ClientTLS, when set, serves the client URLs over https with it (and
	// asks clients for certificates when its ClientCertAuth is set).
	ClientTLS *transport.TLSInfo
}

// Start starts an n-member cluster and waits until it has a leader. The
// cluster is stopped when the test ends.
func Start(t testing.TB, n int, opts ...Options) *Cluster {
	t.Helper()
	c, err := start(t.TempDir(), n, opts...)
	if c != nil {
		t.Cleanup(c.stopAll)
	}
	if err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
	c.t = t
	return c
}

// StartShared starts a cluster that outlives one test, for benchmarks that
// share it (go test calls a benchmark function several times). stop stops
// it and removes its data; call it from TestMain.
func StartShared(n int, opts ...Options) (c *Cluster, stop func(), err error) {
	dir, err := os.MkdirTemp("", "etcdtest-")
	if err != nil {
		return nil, nil, err
	}
	c, err = start(dir, n, opts...)
	stop = func() {
		if c != nil {
			c.stopAll()
		}
		_ = os.RemoveAll(dir)
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}

func start(dir string, n int, opts ...Options) (*Cluster, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	c := &Cluster{dir: dir, opts: o}
	// Every port is chosen while the earlier ones are still held, so two
	// members never draw the same one.
	urls, err := freeURLs(2 * n)
	if err != nil {
		return nil, err
	}
	var initial []string
	for i := range n {
		m := &Member{Name: fmt.Sprintf("m%d", i), c: c, fsync: o.Fsync}
		m.ClientURL, m.peerURL = urls[2*i], urls[2*i+1]
		if o.ClientTLS != nil {
			m.ClientURL = "https" + strings.TrimPrefix(m.ClientURL, "http")
		}
		m.cfgDir = filepath.Join(c.dir, m.Name)
		initial = append(initial, m.Name+"="+m.peerURL)
		c.members = append(c.members, m)
	}
	c.initial = strings.Join(initial, ",")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, m := range c.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.start("new")
		}()
	}
	wg.Wait()
	return c, errors.Join(errs...)
}

// freeURLs returns n distinct free loopback URLs.
func freeURLs(n int) ([]string, error) {
	var urls []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		urls = append(urls, "http://"+l.Addr().String())
	}
	return urls, nil
}

func (m *Member) start(state string) error {
	cfg := embed.NewConfig()
	cfg.Name = m.Name
	cfg.Dir = m.cfgDir
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{filepath.Join(m.c.dir, m.Name+".log")}
	cfg.UnsafeNoFsync = !m.fsync
	cu, _ := url.Parse(m.ClientURL)
	pu, _ := url.Parse(m.peerURL)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.InitialCluster = m.c.initial
	cfg.ClusterState = state
	cfg.InitialClusterToken = "kiosk-test"
	if tls := m.c.opts.ClientTLS; tls != nil {
		cfg.ClientTLSInfo = *tls
	}
	// etcd's default timing: a busy 2-core CI machine must not see
	// spurious elections.
	cfg.TickMs, cfg.ElectionMs = 100, 1000
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("start %s: %w", m.Name, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return fmt.Errorf("%s: %w", m.Name, err)
	case <-time.After(30 * time.Second):
		e.Close()
		return fmt.Errorf("%s: not ready after 30s", m.Name)
	}
	m.etcd, m.stopped = e, false
	return nil
}

// Members lists the members.
func (c *Cluster) Members() []*Member { return c.members }

// Endpoints are the client URLs of all members.
func (c *Cluster) Endpoints() []string {
	var eps []string
	for _, m := range c.members {
		eps = append(eps, m.ClientURL)
	}
	return eps
}

// Leader returns the member that is leader now, or nil.
func (c *Cluster) Leader() *Member {
	for _, m := range c.members {
		if !m.stopped && m.etcd != nil && uint64(m.etcd.Server.Leader()) == uint64(m.etcd.Server.MemberID()) {
			return m
		}
	}
	return nil
}

// WaitLeader waits until a running member is leader.
func (c *Cluster) WaitLeader(timeout time.Duration) *Member {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if m := c.Leader(); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	if c.t != nil {
		c.t.Fatalf("etcdtest: no leader after %s", timeout)
	}
	return nil
}

// Stop stops the member gracefully (a leader hands its leadership over
// first); its data dir stays for Restart.
func (m *Member) Stop() {
	if m.stopped || m.etcd == nil {
		return
	}
	m.etcd.Close()
	m.stopped = true
}

// Kill stops the member as a crash would: no leadership transfer, so a
// leader's followers wait out the election timeout before electing another.
func (m *Member) Kill() {
	if m.stopped || m.etcd == nil {
		return
	}
	m.etcd.Server.HardStop()
	m.etcd.Close()
	m.stopped = true
}

// Restart starts a stopped member again on its data.
func (m *Member) Restart() {
	if !m.stopped {
		return
	}
	if err := m.start("existing"); err != nil && m.c.t != nil {
		m.c.t.Fatalf("etcdtest: %v", err)
	}
}

func (c *Cluster) stopAll() {
	for _, m := range c.members {
		m.Stop()
	}
}

// Engine opens an etcdkv engine on the cluster under a fresh key prefix
// (so engines of different tests never see one another's keys) and closes
// it when the test ends. Give the same prefix to share one store between
// several engines ("kiosks"): EngineAt.
func (c *Cluster) Engine(t testing.TB) *etcdkv.Engine {
	c.mu.Lock()
	c.prefix++
	p := fmt.Sprintf("/t%d/", c.prefix)
	c.mu.Unlock()
	return c.EngineAt(t, p, c.Endpoints())
}

// Prefix returns a fresh key prefix for engines that share one store.
func (c *Cluster) Prefix() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prefix++
	return fmt.Sprintf("/s%d/", c.prefix)
}

// EngineAt opens an engine with the given prefix and endpoints; tune may
// change its options.
func (c *Cluster) EngineAt(t testing.TB, prefix string, endpoints []string, tune ...func(*etcdkv.Options)) *etcdkv.Engine {
	o := etcdkv.Options{
		Endpoints: endpoints, Prefix: prefix,
		DialTimeout: 2 * time.Second, RequestTimeout: 2 * time.Second,
	}
	for _, f := range tune {
		f(&o)
	}
	e, err := etcdkv.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// Ping waits until the engine answers, for tests that restart members.
func Ping(t testing.TB, e *etcdkv.Engine, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		if err := e.Ping(ctx); err == nil {
			return
		} else if ctx.Err() != nil {
			t.Fatalf("etcdtest: engine not answering after %s: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
