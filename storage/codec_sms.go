package storage

import (
	"time"

	"kiosk/model"
)

// Stored shapes of the SMS records; see codec.go for why they are apart
// from the model structs.

type outboxRec struct {
	ID          string    `json:"id"`
	To          string    `json:"to,omitempty"`
	Text        string    `json:"txt,omitempty"`
	Kind        string    `json:"kind,omitempty"`
	State       string    `json:"st"`
	Attempts    int       `json:"n,omitempty"`
	NextAttempt time.Time `json:"next,omitzero"`
	LastError   string    `json:"err,omitempty"`
	Created     time.Time `json:"c,omitzero"`
	Sent        time.Time `json:"sent,omitzero"`
}

func outboxToRec(m model.OutboundSMS) outboxRec {
	return outboxRec{m.ID, m.To, m.Text, m.Kind, string(m.State), m.Attempts, m.NextAttempt, m.LastError, m.CreatedAt, m.SentAt}
}

func (r outboxRec) model() model.OutboundSMS {
	return model.OutboundSMS{ID: r.ID, To: r.To, Text: r.Text, Kind: r.Kind, State: model.OutboxState(r.State),
		Attempts: r.Attempts, NextAttempt: r.NextAttempt, LastError: r.LastError, CreatedAt: r.Created, SentAt: r.Sent}
}

type smsCodeRec struct {
	Purpose string    `json:"p"`
	Phone   string    `json:"ph"`
	Hash    string    `json:"h,omitempty"`
	SentAt  time.Time `json:"s,omitzero"`
	Expires time.Time `json:"x,omitzero"`
	Tries   int       `json:"n,omitempty"`
	Used    bool      `json:"u,omitempty"`
}

func smsCodeToRec(c model.SMSCode) smsCodeRec {
	return smsCodeRec{c.Purpose, c.Phone, c.Hash, c.SentAt, c.Expires, c.Tries, c.Used}
}

func (r smsCodeRec) model() model.SMSCode {
	return model.SMSCode{Purpose: r.Purpose, Phone: r.Phone, Hash: r.Hash, SentAt: r.SentAt, Expires: r.Expires,
		Tries: r.Tries, Used: r.Used}
}

type rateRec struct {
	Key    string      `json:"k"`
	Events []time.Time `json:"e,omitempty"`
}

func rateToRec(w model.RateWindow) rateRec { return rateRec{w.Key, w.Events} }

func (r rateRec) model() model.RateWindow { return model.RateWindow{Key: r.Key, Events: r.Events} }
