package account

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"

	"kiosk/model"
)

// ResetTicket is the result of 忘记密码 step 1: which enterprise, and its
// reserved phone masked for display. The phone itself never reaches the
// screen. It is signed, expires, and is bound to the account's state, so
// it cannot be forged, and a password reset, phone change or state change
// since step 1 makes it void (model.ErrTicketExpired).
type ResetTicket struct {
	EnterpriseID string // internal id; never shown
	MaskedPhone  string // 138****5678, for 短信验证
	Expires      time.Time
	stamp, mac   string
}

// ActivationTicket is the result of 账号激活 step 1, like ResetTicket.
type ActivationTicket struct {
	EnterpriseID string
	MaskedPhone  string
	Expires      time.Time
	stamp, mac   string
}

const (
	ticketReset    = "reset"
	ticketActivate = "activate"
)

// ticketKey derives this package's key from the code service's secret
// under its own label.
func (s *Service) ticketKey() []byte {
	m := hmac.New(sha256.New, s.Codes.Secret)
	m.Write([]byte("account-ticket-key-v1"))
	return m.Sum(nil)
}

func (s *Service) ticketMAC(kind, id, masked, stamp string, expires time.Time) string {
	m := hmac.New(sha256.New, s.ticketKey())
	var buf []byte
	for _, f := range []string{"ticket-v1", kind, id, masked, stamp, strconv.FormatInt(expires.UnixNano(), 10)} {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	m.Write(buf)
	return hex.EncodeToString(m.Sum(nil))
}

// stampOf fingerprints what a ticket relies on: the password hash, the
// reserved phone, the account and the state.
func stampOf(e model.Enterprise) string {
	h := sha256.New()
	for _, f := range []string{e.PasswordHash, e.Phone, e.Account, string(e.State), strconv.Itoa(e.SessionEpoch)} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(f))))
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (s *Service) newResetTicket(e model.Enterprise, masked string, now time.Time) ResetTicket {
	t := ResetTicket{EnterpriseID: e.ID, MaskedPhone: masked, Expires: now.Add(s.limits().TicketTTL), stamp: stampOf(e)}
	t.mac = s.ticketMAC(ticketReset, t.EnterpriseID, t.MaskedPhone, t.stamp, t.Expires)
	return t
}

func (s *Service) newActivationTicket(e model.Enterprise, masked string, now time.Time) ActivationTicket {
	t := ActivationTicket{EnterpriseID: e.ID, MaskedPhone: masked, Expires: now.Add(s.limits().TicketTTL), stamp: stampOf(e)}
	t.mac = s.ticketMAC(ticketActivate, t.EnterpriseID, t.MaskedPhone, t.stamp, t.Expires)
	return t
}

// checkTicket verifies a ticket's signature and age; the stamp is compared
// with the record by the caller (checkStamp) once it has read it.
func (s *Service) checkTicket(kind, id, masked, stamp, mac string, expires time.Time) error {
	want := s.ticketMAC(kind, id, masked, stamp, expires)
	if mac == "" || !hmac.Equal([]byte(mac), []byte(want)) || !s.Clock.Now().Before(expires) {
		return refuse(FieldForm, model.ErrTicketExpired)
	}
	return nil
}

func checkStamp(e model.Enterprise, stamp string) error {
	if stampOf(e) != stamp {
		return refuse(FieldForm, model.ErrTicketExpired)
	}
	return nil
}
