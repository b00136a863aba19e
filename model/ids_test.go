package model_test

import (
	"regexp"
	"testing"
	"time"

	"kiosk/model"
)

func TestNewID(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := model.NewID()
		if !hex32.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestNewOutboundSMS(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	m := model.NewOutboundSMS("13800138000", "您的企业账号密码已修改。", model.SMSKindNotice, now)
	want := model.OutboundSMS{ID: m.ID, To: "13800138000", Text: "【统一身份认证平台】您的企业账号密码已修改。",
		Kind: model.SMSKindNotice, State: model.OutboxPending, NextAttempt: now, CreatedAt: now}
	if m != want || len(m.ID) != 32 {
		t.Fatalf("NewOutboundSMS = %+v", m)
	}
	if other := model.NewOutboundSMS("13800138000", "x", model.SMSKindNotice, now); other.ID == m.ID {
		t.Fatal("two messages share an id")
	}
}
