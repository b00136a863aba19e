package screens

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// What the journeys of 我的经办人 share. The fixture's enterprise
// (xinghe_2024) has two agents: 李晓明 (agent-li, valid, no 管理权限) and
// 赵一鸣 (agent-zhao, expired); they list in that order (same creation
// time, then by id). The demo data's natural person 姜军东 is nobody's
// agent and can be added.
const (
	agentsJiangName  = "姜军东"
	agentsJiangID    = "220105199904308518" // 20年 from 2025-09-12
	agentsJiangFrom  = "2025-09-12"
	agentsJiangPhone = "13932004979"
	agentsNewPass    = "Agent#New2026"
	agentsLiMasked   = "李**"
	agentsZhaoMasked = "赵**"
)

// agentsRecord reads an agent; false when it is gone.
func (f *fixture) agentsRecord(id string) (model.Agent, bool) {
	f.t.Helper()
	return findRecord(f.t, f.store, func(tx model.Tx) (model.Agent, error) { return tx.Agents().Get(id) })
}

// agentsIndexed reads the enterprise's agent by ID number (the unique index).
func (f *fixture) agentsIndexed(idNumber string) (model.Agent, bool) {
	f.t.Helper()
	return findRecord(f.t, f.store, func(tx model.Tx) (model.Agent, error) {
		return tx.Agents().ByEnterpriseAndIDNumber(f.ent.ID, idNumber)
	})
}

// agentsUpdate changes a stored agent (the test's setup, as another kiosk).
func (f *fixture) agentsUpdate(id string, change func(a *model.Agent)) model.Agent {
	f.t.Helper()
	var a model.Agent
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		var err error
		if a, err = tx.Agents().Get(id); err != nil {
			return err
		}
		change(&a)
		return tx.Agents().Put(a)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// agentsAudit is the audit log's records of action.
func (f *fixture) agentsAudit(action string) []model.AuditRecord {
	var out []model.AuditRecord
	for _, r := range f.audit() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// agentsOpen logs the enterprise in with keys and opens 我的经办人 from its
// center's tile; the list is read.
func (k *kiosk) agentsOpen() {
	k.t.Helper()
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(k.text("center.agents"))
	k.click(center.TileZone("center.agents"))
	k.waitFor(k.text("agents.title"), agentsLiMasked, agentsZhaoMasked)
}

// agentsAnswer answers the dialog the caller saw open: 取消 has the
// focus, → reaches the other answer.
func (k *kiosk) agentsAnswer(ok bool) {
	k.t.Helper()
	if ok {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyEnter)
}

// agentsRetype replaces the value of the form's field key: a tap on it
// (the cursor stands at the end of what was typed or pre-filled), the old
// text rubbed out, the new one typed.
func (k *kiosk) agentsRetype(formID, key, value string) {
	k.t.Helper()
	k.click(form.FieldZone(formID, key))
	for range 24 {
		k.key(tea.KeyBackspace)
	}
	k.typeText(value)
}

// agentsFillAdd fills 添加经办人 with keys from its first field (姓名): the
// ID card (period: presses of → on 证件有效期), the window end (the start
// is today, pre-filled), 管理权限 (pre-set 否; admin presses ← to 是) and
// the initial password twice, then presses 添加.
func (k *kiosk) agentsFillAdd(name, id string, period int, idFrom, to string, admin bool) {
	k.typeFields(name)
	k.key(tea.KeyTab) // 证件类型 is preset
	k.typeFields(id)
	for range period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeFields(idFrom)
	k.key(tea.KeyTab) // 结束日期 is derived
	k.key(tea.KeyTab) // 授权开始日期: today
	k.typeFields(to)
	if admin {
		k.key(tea.KeyLeft)
	}
	k.key(tea.KeyTab)
	k.typeFields(agentsNewPass)
	k.typeText(agentsNewPass)
	k.key(tea.KeyEnter)
}

// agentsRoot is a root fed by hand at w×h in l with the enterprise logged
// in and 我的经办人 read.
func agentsRoot(t *testing.T, f *fixture, w, h int, l i18n.Lang) *Root {
	t.Helper()
	r := newRoot(t, f.deps, w, h)
	inLang(r, l)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 企业登录
	for _, v := range []string{entAccount, entPassword} {
		typeInto(r, v)
		feed(r, tea.KeyMsg{Type: tea.KeyTab})
	}
	typeInto(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.app.Session() == nil {
		t.Fatalf("not logged in:\n%s", r.View())
	}
	feed(r, route.Agents.Nav(kit.None{}))
	if r.Current() != route.Agents.ID() {
		t.Fatalf("我的经办人 not opened: at %s", r.Current())
	}
	return r
}

// agentsHead is the start of a sentence: enough to know it is on screen,
// short enough not to be wrapped where it is drawn.
func agentsHead(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 8)])
}

// agentsSeed adds n agents to the fixture's enterprise (natural persons
// are not needed for the list), created a second apart.
func agentsSeed(t testing.TB, st model.Store, entID string, n int, now time.Time) {
	t.Helper()
	err := st.Update(context.Background(), func(tx model.Tx) error {
		for i := range n {
			id := agentsSeedID(t, i)
			a := model.Agent{ID: "agent-bulk-" + id, EnterpriseID: entID, PersonID: "person-bulk-" + id,
				Name: "测试" + string(rune('甲'+i%10)), IDNumber: id, Phone: "139" + id[10:18],
				ValidFrom: now.AddDate(0, 0, -10), ValidTo: now.AddDate(1, 0, 0), Admin: i%7 == 0, Enabled: i%5 != 0,
				CreatedAt: now.Add(time.Duration(i+1) * time.Second), UpdatedAt: now}
			if err := tx.Agents().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// agentsSeedID is the i-th valid ID number of the bulk agents.
func agentsSeedID(t testing.TB, i int) string {
	first := fmt.Sprintf("11010519800101%03d", i%1000)
	c, err := rules.IDCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}
