package screens

import (
	"testing"

	"github.com/charmbracelet/x/exp/teatest"
)

// Golden files of the final View() at 120×40 with the ASCII profile; run
// `go test ./screens -run Golden -update` to regenerate them after an
// intended change, and review the diff.

func TestGoldenHome(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}

func TestGoldenEnterpriseLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}

func TestGoldenAgentLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor("经办人身份证号")
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}

func TestGoldenEnterpriseCenter(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("修改手机号码")
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}

func TestGoldenAgentCenter(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor("经办人身份证号")
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.waitFor("授权有效期")
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}
