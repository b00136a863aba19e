package model

import "time"

// OutboxState is where an outbound SMS is in its life.
type OutboxState string

const (
	OutboxPending OutboxState = "pending" // waiting to be sent (possibly after a backoff)
	OutboxSent    OutboxState = "sent"    // handed to the network exactly once
	OutboxDead    OutboxState = "dead"    // moved aside after repeated failure; staff can see it
)

// OutboundSMS is one message in the durable outbox. It is written in the
// same transaction as the action that causes it, and sent by a background
// worker, so no notice is lost across restarts or modem faults.
type OutboundSMS struct {
	ID          string
	To          string // mobile number (PII: sealed at rest)
	Text        string // may contain a one-time code: sealed at rest, never logged
	Kind        string // "code", "notice"… for staff views and statistics
	State       OutboxState
	Attempts    int
	NextAttempt time.Time // not before this time
	LastError   string    // English, technical, no PII
	CreatedAt   time.Time
	SentAt      time.Time
}

// SMSSignature is the platform signature carriers require at the start of
// every message. It is the sender's registered name, the same in every
// language (carriers match it verbatim), so it is not in the catalog; its
// 10 characters count against the SMS length in every language.
const SMSSignature = "【统一身份认证平台】" // i18n:data, the carriers' registered signature

// Kinds of outbound SMS.
const (
	SMSKindCode   = "code"   // a verification code
	SMSKindNotice = "notice" // a notice about an account (password changed, appeal result…)
)

// NewOutboundSMS returns a pending message with a fresh NewID, due at once.
// body is the message without the signature, which is prepended, rendered
// in the language of the visit. Enqueue it in the transaction of the action
// that causes it:
//
//	body := i18n.Sentence(ctx, i18n.T("notice.password_reset", "Account", account))
//	tx.Outbox().Enqueue(model.NewOutboundSMS(phone, body, model.SMSKindNotice, now))
func NewOutboundSMS(to, body, kind string, now time.Time) OutboundSMS {
	return OutboundSMS{ID: NewID(), To: to, Text: SMSSignature + body, Kind: kind, State: OutboxPending,
		NextAttempt: now, CreatedAt: now}
}

// OutboxRepo stores outbound SMS.
type OutboxRepo interface {
	// Enqueue adds a new pending message (ID set by the caller; an empty
	// State means pending). An existing ID gives *DuplicateError{"id"}.
	Enqueue(m OutboundSMS) error
	// Get returns one message.
	Get(id string) (OutboundSMS, error)
	// Put updates an enqueued message (state, attempts, next attempt,
	// error); ErrNotFound when it was never enqueued.
	Put(m OutboundSMS) error
	// Due lists up to limit pending messages with NextAttempt <= now
	// that no live claim holds (Claim), oldest first.
	Due(now time.Time, limit int) ([]OutboundSMS, error)
	// Claim takes message id for the holder of l, so that no other kiosk's
	// worker sends it meanwhile: it writes a claim under l only when no
	// claim exists, and reports whether it did. The claim ends with
	// Release, or with l (the holder died or lost the store). It returns
	// ErrNoLeases on a store without leases.
	Claim(id string, l Lease) (bool, error)
	// Release deletes the claim on id if l holds it, and reports whether
	// it did: false means the claim ended with l and another may hold it.
	Release(id string, l Lease) (bool, error)
	// List lists up to limit messages in a state, newest first.
	List(state OutboxState, limit int) ([]OutboundSMS, error)
	// PurgeSent deletes sent messages (number and text with them) whose
	// SentAt (CreatedAt when unset) is before before. It looks at no more
	// than limit sent messages, starting at cursor ("" for the first
	// batch), and returns how many it deleted and the cursor of the next
	// batch, "" when there is none.
	PurgeSent(before time.Time, cursor string, limit int) (deleted int, next string, err error)
}

// SMSCode is the one outstanding verification code for a phone and purpose.
type SMSCode struct {
	Purpose string // "register", "reset", "activate", "phone", "appeal", "person"
	Phone   string
	Hash    string // keyed hash of the code, never the code itself
	SentAt  time.Time
	Expires time.Time
	Tries   int  // wrong answers so far; 5 kill the code
	Used    bool // single use
}

// SMSCodeRepo keeps outstanding codes, one per purpose and phone.
type SMSCodeRepo interface {
	Get(purpose, phone string) (SMSCode, error) // ErrNotFound when none
	Put(c SMSCode) error
	Delete(purpose, phone string) error
}

// RateWindow is the recent event times of one rate-limited key (a phone, a
// kiosk…), pruned by the use case to the longest window it enforces.
type RateWindow struct {
	Key    string
	Events []time.Time
}

// RateRepo stores rate windows. Get of an unknown key returns an empty
// window with that key and no error; Put of an empty window removes it.
// Keys may contain PII; stores hash them.
type RateRepo interface {
	Get(key string) (RateWindow, error)
	Put(w RateWindow) error
}
