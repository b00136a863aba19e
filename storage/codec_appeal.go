package storage

import (
	"time"

	"kiosk/model"
)

// Stored shapes of appeals and chunk descriptions; see codec.go for why
// they are apart from the model structs. Empty lists are stored as absent
// and read back as nil.

type materialRec struct {
	Kind   string   `json:"k"`
	Name   string   `json:"n,omitempty"`
	MIME   string   `json:"m,omitempty"`
	Size   int64    `json:"sz,omitempty"`
	SHA256 string   `json:"h,omitempty"`
	Chunks []string `json:"c,omitempty"`
}

type appealRec struct {
	ID        string        `json:"id"`
	Ref       string        `json:"ref"`
	Kind      string        `json:"kind"`
	Changes   []string      `json:"chg,omitempty"`
	State     string        `json:"st"`
	Kiosk     string        `json:"k,omitempty"`
	LegalType string        `json:"lt,omitempty"`
	EntName   string        `json:"name,omitempty"`
	USCC      string        `json:"uscc,omitempty"`
	LegalRep  legalRepRec   `json:"rep"`
	Account   string        `json:"acct,omitempty"`
	Phone     string        `json:"phone,omitempty"`
	Remark    string        `json:"rm,omitempty"`
	Materials []materialRec `json:"mat,omitempty"`
	Created   time.Time     `json:"c,omitzero"`
	Updated   time.Time     `json:"u,omitzero"`
	Handler   string        `json:"h,omitempty"`
	Reason    string        `json:"why,omitempty"`
	Decided   time.Time     `json:"d,omitzero"`
	Purged    bool          `json:"purged,omitempty"`
	Extended  *extendedRec  `json:"ext,omitempty"`
}

func appealToRec(a model.Appeal) appealRec {
	r := appealRec{ID: a.ID, Ref: a.Ref, Kind: string(a.Kind), State: string(a.State), Kiosk: a.Kiosk,
		LegalType: a.LegalType, EntName: a.EnterpriseName, USCC: a.USCC, LegalRep: legalRepToRec(a.LegalRep),
		Account: a.Account, Phone: a.Phone, Remark: a.Remark, Created: a.CreatedAt, Updated: a.UpdatedAt,
		Handler: a.Handler, Reason: a.Reason, Decided: a.DecidedAt, Purged: a.MaterialsPurged}
	for _, c := range a.Changes {
		r.Changes = append(r.Changes, string(c))
	}
	if a.Extended != (model.Extended{}) {
		x := extendedToRec(a.Extended)
		r.Extended = &x
	}
	for _, m := range a.Materials {
		mr := materialRec{Kind: string(m.Kind), Name: m.Name, MIME: m.MIME, Size: m.Size, SHA256: m.SHA256}
		if len(m.Chunks) > 0 {
			mr.Chunks = append([]string(nil), m.Chunks...)
		}
		r.Materials = append(r.Materials, mr)
	}
	return r
}

func (r appealRec) model() model.Appeal {
	a := model.Appeal{ID: r.ID, Ref: r.Ref, Kind: model.AppealKind(r.Kind), State: model.AppealState(r.State),
		Kiosk: r.Kiosk, LegalType: r.LegalType, EnterpriseName: r.EntName, USCC: r.USCC, LegalRep: r.LegalRep.model(),
		Account: r.Account, Phone: r.Phone, Remark: r.Remark, CreatedAt: r.Created, UpdatedAt: r.Updated,
		Handler: r.Handler, Reason: r.Reason, DecidedAt: r.Decided, MaterialsPurged: r.Purged}
	for _, c := range r.Changes {
		a.Changes = append(a.Changes, model.AppealChange(c))
	}
	if r.Extended != nil {
		a.Extended = r.Extended.model()
	}
	for _, m := range r.Materials {
		a.Materials = append(a.Materials, model.Material{Kind: model.MaterialKind(m.Kind), Name: m.Name, MIME: m.MIME,
			Size: m.Size, SHA256: m.SHA256, Chunks: m.Chunks})
	}
	return a
}

// chunkInfoRec describes a chunk (blobinfo/<id>); the bytes are apart
// (blob/<id>), so that a description is read without them.
type chunkInfoRec struct {
	Size    int       `json:"s"`
	Created time.Time `json:"c,omitzero"`
	Touched time.Time `json:"t,omitzero"`
}

func (r chunkInfoRec) model(id string) model.ChunkInfo {
	return model.ChunkInfo{ID: id, Size: r.Size, CreatedAt: r.Created, TouchedAt: r.Touched}
}
