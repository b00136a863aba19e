package storage

import (
	"fmt"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

// The admin index: the agents with 管理权限 of each enterprise, with what
// their state needs (enabled, window), so the last-admin guard reads one
// short range inside its transaction instead of every agent of the
// enterprise (an enterprise may have hundreds, and an engine that compares
// every key a transaction read bounds how many it may read).
//
//	idx/ent-admin/<entID>/<agentID>   sealed adminRec
const idxEntAdmins = "idx/ent-admin/"

type adminRec struct {
	Enabled bool      `json:"on,omitempty"`
	From    time.Time `json:"from,omitzero"`
	To      time.Time `json:"to,omitzero"`
}

func adminKey(entID, agentID string) string { return idxEntAdmins + entID + "/" + agentID }

// syncAdmin keeps agent a's admin entry, given its stored version old
// (exists says whether there is one).
func (r agents) syncAdmin(old agentRec, exists bool, a model.Agent) error {
	if exists && old.Admin && (!a.Admin || old.EnterpriseID != a.EnterpriseID) {
		if err := r.t.kv.Delete([]byte(adminKey(old.EnterpriseID, a.ID))); err != nil {
			return err
		}
	}
	if !a.Admin {
		return nil
	}
	return r.t.putRec(adminKey(a.EnterpriseID, a.ID), adminRec{Enabled: a.Enabled, From: a.ValidFrom, To: a.ValidTo})
}

// Admins walks the enterprise's admin entries.
func (r agents) Admins(enterpriseID string) ([]model.Agent, error) {
	if checkID("enterprise", enterpriseID) != nil {
		return nil, nil
	}
	prefix := idxEntAdmins + enterpriseID + "/"
	var out []model.Agent
	err := r.t.kv.Scan([]byte(prefix), func(k, v []byte) (bool, error) {
		var rec adminRec
		if err := openRec(r.t.keys, k, v, &rec); err != nil {
			return false, err
		}
		id := string(k[len(prefix):])
		if !validID(id) {
			return false, fmt.Errorf("%w: admin index key %q", ErrCorrupt, k)
		}
		out = append(out, model.Agent{ID: id, EnterpriseID: enterpriseID, Admin: true, Enabled: rec.Enabled,
			ValidFrom: rec.From, ValidTo: rec.To})
		return true, nil
	})
	return out, err
}

// indexAdmins (schema 4 → 5) writes the admin entry of every agent with
// 管理权限.
func (s *Store) indexAdmins(t kv.Tx) error {
	var recs []agentRec
	err := t.Scan([]byte(agentPrefix), func(k, v []byte) (bool, error) {
		var rec agentRec
		if err := openRec(s.keys, k, v, &rec); err != nil {
			return false, err
		}
		if rec.Admin {
			recs = append(recs, rec)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	r := agents{&tx{kv: t, keys: s.keys, writable: true}}
	for _, rec := range recs {
		if err := r.syncAdmin(agentRec{}, false, rec.model()); err != nil {
			return err
		}
	}
	return nil
}
