package screens

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/account"
	"kiosk/storage"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// TestJourneyPartitionOnCluster: a kiosk on a 3-member etcd cluster loses
// the network to every member in the middle of a registration (a real
// partition: its connections are cut). 注册 shows 服务暂不可用, nothing of
// the registration is in the cluster; the network comes back and the page
// lifts by itself, the form as it was, and the registration goes through
// once.
func TestJourneyPartitionOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster")
	}
	t.Parallel()
	c := etcdtest.Start(t, 3)
	var proxies []*etcdtest.Proxy
	var eps []string
	for _, m := range c.Members() {
		p := etcdtest.NewProxy(t, m.ClientURL)
		proxies = append(proxies, p)
		eps = append(eps, p.URL)
	}
	eng := c.EngineAt(t, c.Prefix(), eps, func(o *etcdkv.Options) {
		o.RequestTimeout, o.RetryFor = time.Second, 1500*time.Millisecond
	})
	st, err := storage.Open(eng, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureOn(t, st)
	f.deps.StoreHealth = st.Ping
	k := startKiosk(t, f.deps)
	e := sampleTonghua

	f.toAccountStep(k, e)
	k.fillAccount(newAccount, newPassword, newPassword)
	k.waitFor("核验对象：冯*")
	for _, p := range proxies {
		p.Cut()
	}
	k.passFace() // the face matches; 注册 meets the partition
	k.waitOutage()
	for _, p := range proxies {
		p.Heal()
	}
	etcdtest.Ping(t, eng, 30*time.Second)
	if _, ok := f.enterpriseByUSCC(e.uscc); ok {
		t.Fatal("an enterprise was stored by a registration the cluster never got")
	}
	if n := f.countAudit(account.AuditRegister); n != 0 {
		t.Fatalf("%d register audit records for a registration the cluster never got", n)
	}

	f.clock.Add(healthRetry) // the next probe answers: the page lifts by itself
	k.waitFor(k.text("error.service_down"), newAccount)
	k.key(tea.KeyEnter)
	k.waitFor("核验对象：冯*")
	k.passFace()
	k.waitFor("✔ 注册成功")
	if r := k.finish(); r.outage.down {
		t.Error("the page is still up")
	}
	ent, ok := f.enterpriseByUSCC(e.uscc)
	if !ok || ent.Account != newAccount || ent.LegalRep.Name != e.rep {
		t.Fatalf("stored after the partition: %+v (found %v)", ent, ok)
	}
	if n := f.countAudit(account.AuditRegister); n != 1 {
		t.Fatalf("%d register audit records, want 1", n)
	}
}
