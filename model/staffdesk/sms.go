package staffdesk

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// MaxDead is the most dead messages the console lists (newest first).
const MaxDead = 200

// DeadSMS is a dead message as staff see it: never its text (it may hold a
// one-time code) nor its full number.
type DeadSMS struct {
	ID        string
	To        string // masked: 138****5678
	Kind      string // model.SMSKindCode, model.SMSKindNotice…
	Attempts  int
	Error     string // a short code of the last error (ErrorCode)
	CreatedAt time.Time
}

// DeadMessages lists the outbox's dead messages, newest first, for a
// counter staff member (or 管理员).
func (d *Desk) DeadMessages(ctx context.Context, s model.Session) ([]DeadSMS, error) {
	var out []DeadSMS
	err := d.Store.View(ctx, func(tx model.Tx) error {
		out = nil
		if err := model.StaffStands(tx, s, Roles(Outbox)...); err != nil {
			return err
		}
		msgs, err := tx.Outbox().List(model.OutboxDead, MaxDead)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			out = append(out, DeadSMS{ID: m.ID, To: rules.MaskMobile(m.To), Kind: m.Kind, Attempts: m.Attempts,
				Error: ErrorCode(m.LastError), CreatedAt: m.CreatedAt})
		}
		return nil
	})
	return out, err
}

// RetrySMS puts a dead message back in the queue, due at once with its
// attempts counted afresh (as `kiosk outbox retry` does), audited
// ("outbox.retry") with the staff member as actor. ErrNotDead when it is
// not dead any more; ErrStaleCode for a verification code whose code has
// expired (the person asks for a new one instead).
func (d *Desk) RetrySMS(ctx context.Context, s model.Session, id string) error {
	return d.Store.Update(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, s, Roles(Outbox)...); err != nil {
			return err
		}
		m, err := tx.Outbox().Get(id)
		if errors.Is(err, model.ErrNotFound) {
			return ErrNotDead // purged meanwhile
		}
		if err != nil {
			return err
		}
		if m.State != model.OutboxDead {
			return ErrNotDead
		}
		if m.Kind == model.SMSKindCode && !d.Clock.Now().Before(m.CreatedAt.Add(smscode.DefaultLimits().TTL)) {
			return ErrStaleCode // its code has expired: sending it would only mislead
		}
		m.State, m.Attempts, m.NextAttempt, m.LastError = model.OutboxPending, 0, d.Clock.Now(), ""
		if err := tx.Outbox().Put(m); err != nil {
			return err
		}
		_, err = tx.Audit().Append(d.record(s, "outbox.retry", id, "ok", ""))
		return err
	})
}

var (
	atErrorCode = regexp.MustCompile(`\+(CMS|CME) ERROR:?\s*(\d{1,4})`)
	gaveUp      = regexp.MustCompile(`^gave up after \d+ attempts: `)
)

// ErrorCode is a short, fixed code for an outbox LastError: "CMS-500",
// "timeout", "sim", "unconfirmed", "pdu", "port", "unknown" (the worker
// stopped mid-send), "error" for anything else, "" for none. The staff
// view shows the code, never the text: LastError is scrubbed of numbers
// and message text by the worker, but a code is safe by construction.
func ErrorCode(lastError string) string {
	s := gaveUp.ReplaceAllString(strings.TrimSpace(lastError), "")
	if s == "" {
		return ""
	}
	if m := atErrorCode.FindStringSubmatch(s); m != nil {
		return m[1] + "-" + m[2]
	}
	low := strings.ToLower(s)
	for _, c := range []struct{ has, code string }{
		{"outcome unknown", "unknown"},
		{"not confirmed", "unconfirmed"},
		{"no answer", "timeout"},
		{"timeout", "timeout"},
		{"deadline", "timeout"},
		{"sim", "sim"},
		{"pdu", "pdu"},
		{"open", "port"},
		{"closed", "port"},
		{"read", "port"},
		{"write", "port"},
	} {
		if strings.Contains(low, c.has) {
			return c.code
		}
	}
	return "error"
}
