package screens

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/clocktest"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// BenchmarkAgentListKeystroke is Update+View for one ↓ (or ↑) on 我的经办人
// with 200 agents at 120×40, in true colour as on a kiosk: the list turns
// its selection (a page at a time) and relabels 停用/启用. Target: under
// 1 ms, printed beside the keystroke floor (.ci/benchtable.awk).
func BenchmarkAgentListKeystroke(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		b.Fatal(err)
	}
	clock := clocktest.New(testNow)
	ent := model.Enterprise{ID: "ent-bench", USCC: makeUSCC(b, "110108", "MA01BN24"), Name: entName, LegalType: "企业法人",
		Account: "bench_corp01", PasswordHash: "-", Phone: "13812345678", State: model.EnterpriseActive,
		CreatedAt: clock.Now(), UpdatedAt: clock.Now()}
	if err := st.Update(context.Background(), func(tx model.Tx) error { return tx.Enterprises().Put(ent) }); err != nil {
		b.Fatal(err)
	}
	agentsSeed(b, st, ent.ID, 200, clock.Now())
	r := New(Deps{Demo: true, KioskID: "KIOSK-B1", Clock: handClock{clock}, Auth: &model.Auth{},
		Accounts: &account.Service{Store: st, Clock: clock}})
	defer r.Close()
	r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	feed(r, kit.SessionStarted{Session: model.Session{Kind: model.SessionEnterprise, EnterpriseID: ent.ID},
		Then: route.Agents.Nav(kit.None{})})
	if v := ansi.Strip(r.View()); r.Current() != route.Agents.ID() || !strings.Contains(v, "第 1/") {
		b.Fatalf("not on a list of pages: at %s\n%s", r.Current(), v)
	}
	benchKeysOf(b, r, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp})
}
