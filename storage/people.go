package storage

import (
	"cmp"
	"slices"
	"strings"

	"kiosk/model"
)

const (
	agentPrefix     = "agt/"
	idxAgent        = "idx/agent/"     // <entID>/<blind(idnum)> → agent id (unique)
	idxEntAgents    = "idx/ent-agent/" // <entID>/<agentID> → "" (listing)
	personPrefix    = "per/"
	idxPersonIDNum  = "idx/person/idnum/"
	staffPrefix     = "stf/"
	idxStaffUser    = "idx/staff/username/"
	domainAgentIDN  = "agent-idnum"
	domainPersonIDN = "person-idnum"
	domainStaffUser = "staff-username"
)

// ID numbers are compared with the check letter upper-cased (x and X are
// the same card).
func normIDNumber(s string) string { return strings.ToUpper(s) }

type agents struct{ t *tx }

func (r agents) uniqueKey(entID, idNumber string) string {
	if idNumber == "" {
		return ""
	}
	return idxAgent + entID + "/" + r.t.keys.blind(domainAgentIDN, normIDNumber(idNumber))
}

func (r agents) Get(id string) (model.Agent, error) {
	var rec agentRec
	if err := r.t.getByID("agent", agentPrefix, id, &rec); err != nil {
		return model.Agent{}, err
	}
	return rec.model(), nil
}

func (r agents) ByEnterpriseAndIDNumber(enterpriseID, idNumber string) (model.Agent, error) {
	const what = "agent by enterprise and id number"
	if checkID("enterprise", enterpriseID) != nil {
		return model.Agent{}, notFound(what)
	}
	id, err := r.t.lookup(r.uniqueKey(enterpriseID, idNumber), what)
	if err != nil {
		return model.Agent{}, err
	}
	return r.Get(id)
}

// ListByEnterprise returns the enterprise's agents, oldest first (ties by
// id), or nil when it has none.
func (r agents) ListByEnterprise(enterpriseID string) ([]model.Agent, error) {
	if checkID("enterprise", enterpriseID) != nil {
		return nil, nil
	}
	prefix := idxEntAgents + enterpriseID + "/"
	var ids []string
	err := r.t.kv.Scan([]byte(prefix), func(k, _ []byte) (bool, error) {
		ids = append(ids, string(k[len(prefix):]))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	var out []model.Agent
	for _, id := range ids {
		a, err := r.Get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b model.Agent) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (r agents) Put(a model.Agent) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("agent", a.ID); err != nil {
		return err
	}
	if err := checkID("enterprise", a.EnterpriseID); err != nil {
		return err
	}
	key := agentPrefix + a.ID
	var old agentRec
	exists, err := r.t.getRec(key, &old)
	if err != nil {
		return err
	}
	var oldIdx []unique
	if exists {
		oldIdx = []unique{{key: r.uniqueKey(old.EnterpriseID, old.IDNumber), field: "agent"}}
	}
	cur := []unique{{key: r.uniqueKey(a.EnterpriseID, a.IDNumber), field: "agent"}}
	if err := r.t.putIndexed(key, a.ID, agentToRec(a), oldIdx, cur); err != nil {
		return err
	}
	if exists && old.EnterpriseID != a.EnterpriseID {
		if err := r.t.kv.Delete([]byte(idxEntAgents + old.EnterpriseID + "/" + a.ID)); err != nil {
			return err
		}
	}
	if err := r.syncAdmin(old, exists, a); err != nil {
		return err
	}
	return r.t.kv.Put([]byte(idxEntAgents+a.EnterpriseID+"/"+a.ID), nil)
}

// Delete removes the agent and its index entries; ErrNotFound when absent.
func (r agents) Delete(id string) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	a, err := r.Get(id)
	if err != nil {
		return err
	}
	admin := ""
	if a.Admin {
		admin = adminKey(a.EnterpriseID, id)
	}
	return r.t.deleteKeys(r.uniqueKey(a.EnterpriseID, a.IDNumber), idxEntAgents+a.EnterpriseID+"/"+id, admin, agentPrefix+id)
}

type persons struct{ t *tx }

func (r persons) uniqueKey(idNumber string) string {
	if idNumber == "" {
		return ""
	}
	return idxPersonIDNum + r.t.keys.blind(domainPersonIDN, normIDNumber(idNumber))
}

func (r persons) Get(id string) (model.NaturalPerson, error) {
	var rec personRec
	if err := r.t.getByID("person", personPrefix, id, &rec); err != nil {
		return model.NaturalPerson{}, err
	}
	return rec.model(), nil
}

func (r persons) ByIDNumber(idNumber string) (model.NaturalPerson, error) {
	id, err := r.t.lookup(r.uniqueKey(idNumber), "person by id number")
	if err != nil {
		return model.NaturalPerson{}, err
	}
	return r.Get(id)
}

func (r persons) Put(p model.NaturalPerson) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("person", p.ID); err != nil {
		return err
	}
	key := personPrefix + p.ID
	var old personRec
	exists, err := r.t.getRec(key, &old)
	if err != nil {
		return err
	}
	var oldIdx []unique
	if exists {
		oldIdx = []unique{{key: r.uniqueKey(old.Doc.Number), field: "id_number"}}
	}
	return r.t.putIndexed(key, p.ID, personToRec(p), oldIdx, []unique{{key: r.uniqueKey(p.Document.Number), field: "id_number"}})
}

type staff struct{ t *tx }

func (r staff) uniqueKey(username string) string {
	if username == "" {
		return ""
	}
	return idxStaffUser + r.t.keys.blind(domainStaffUser, strings.ToLower(username))
}

// ByUsername finds a staff member case-insensitively.
func (r staff) ByUsername(username string) (model.Staff, error) {
	id, err := r.t.lookup(r.uniqueKey(username), "staff by username")
	if err != nil {
		return model.Staff{}, err
	}
	var rec staffRec
	ok, err := r.t.getRec(staffPrefix+id, &rec)
	if err != nil {
		return model.Staff{}, err
	}
	if !ok {
		return model.Staff{}, notFound("staff " + id)
	}
	return rec.model(), nil
}

func (r staff) Put(s model.Staff) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("staff", s.ID); err != nil {
		return err
	}
	key := staffPrefix + s.ID
	var old staffRec
	exists, err := r.t.getRec(key, &old)
	if err != nil {
		return err
	}
	var oldIdx []unique
	if exists {
		oldIdx = []unique{{key: r.uniqueKey(old.Username), field: "username"}}
	}
	return r.t.putIndexed(key, s.ID, staffToRec(s), oldIdx, []unique{{key: r.uniqueKey(s.Username), field: "username"}})
}

// List returns every staff member, ordered by username (case-insensitively).
// Staff are a handful of people per hall, so a scan is fine.
func (r staff) List() ([]model.Staff, error) {
	var out []model.Staff
	err := r.t.kv.Scan([]byte(staffPrefix), func(k, v []byte) (bool, error) {
		pt, err := r.t.keys.open(k, v)
		if err != nil {
			return false, err
		}
		var rec staffRec
		if err := unmarshalRec(k, pt, &rec); err != nil {
			return false, err
		}
		out = append(out, rec.model())
		return true, nil
	})
	slices.SortFunc(out, func(a, b model.Staff) int {
		return strings.Compare(strings.ToLower(a.Username), strings.ToLower(b.Username))
	})
	return out, err
}
