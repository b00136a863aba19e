package storage_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf16"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/storetest"
)

// TestNoPlaintextPIIInFile writes people with known names, ID numbers and
// phones, and outbound SMS, verification codes and rate windows naming
// those phones (some updated, so old page versions exist too), closes the
// store and searches the raw bbolt file for any of them.
func TestNoPlaintextPIIInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	// Fixed keys: the blind-index keys in the file are hex, and a random
	// one could contain a 6-digit code by chance and make the test flaky.
	s, err := openBolt(t, path, storage.KeysFromSeed("leak-test"))
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	err = s.Update(t.Context(), func(tx model.Tx) error {
		for i := range 5 {
			idn := fmt.Sprintf("4403051990010%04d", 1000+i) + "X"
			repIDN := fmt.Sprintf("44030519850202%04d", 2000+i)
			phone := fmt.Sprintf("1391234%04d", 5000+i)
			agentPhone := fmt.Sprintf("1588765%04d", 6000+i)
			rep, person, staffName := fmt.Sprintf("欧阳法人%d", i), fmt.Sprintf("司马自然人%d", i), fmt.Sprintf("诸葛窗口%d", i)
			code := fmt.Sprintf("%06d", 583921+i*7919)
			text := model.SMSSignature + "您的验证码为" + code + "，5分钟内有效。"
			secrets = append(secrets, idn, repIDN, phone, agentPhone, rep, person, staffName, code, text)

			e := storetest.Enterprise(fmt.Sprint("e", i), fmt.Sprintf("9144030%011d", i), fmt.Sprint("acct", i))
			e.LegalRep.Name, e.LegalRep.ID.Number, e.Phone = rep, repIDN, phone
			a := storetest.Agent(fmt.Sprint("a", i), e.ID, idn)
			a.Name, a.Phone = person, agentPhone
			p := model.NaturalPerson{ID: fmt.Sprint("p", i), Name: person, Phone: agentPhone,
				Document: model.IDDocument{Type: model.IDTypeResident, Number: idn}}
			reg := model.RegistryRecord{USCC: e.USCC, Name: e.Name, LegalRep: e.LegalRep, Phone: phone}
			if err := firstErr(tx.Enterprises().Put(e), tx.Agents().Put(a), tx.Persons().Put(p), tx.Registry().Put(reg),
				tx.Staff().Put(model.Staff{ID: fmt.Sprint("s", i), Username: fmt.Sprint("win", i), Name: staffName}),
				// Lockout keys name principals by ID number and phone.
				tx.Lockouts().Put(model.Lockout{Key: "agent:" + e.ID + ":" + idn, Failures: 2}),
				tx.Lockouts().Put(model.Lockout{Key: "sms:" + phone, Failures: 1}),
				// The outbox holds phones and codes; codes and rates are keyed by phone.
				tx.Outbox().Enqueue(model.OutboundSMS{ID: fmt.Sprint("m", i), To: phone, Text: text,
					Kind: model.SMSKindCode, NextAttempt: leakT0, CreatedAt: leakT0}),
				tx.Outbox().Enqueue(model.NewOutboundSMS(agentPhone, "您的企业账号密码已修改。", model.SMSKindNotice, leakT0)),
				tx.SMSCodes().Put(model.SMSCode{Purpose: "register", Phone: phone, Hash: "h", SentAt: leakT0}),
				tx.Rates().Put(model.RateWindow{Key: "sms-phone:" + phone, Events: []time.Time{leakT0}}),
			); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite some records so superseded pages hold older versions.
	err = s.Update(t.Context(), func(tx model.Tx) error {
		for i := range 5 {
			e, err := tx.Enterprises().Get(fmt.Sprint("e", i))
			if err != nil {
				return err
			}
			e.SessionEpoch++
			if err := tx.Enterprises().Put(e); err != nil {
				return err
			}
			m, err := tx.Outbox().Get(fmt.Sprint("m", i))
			if err != nil {
				return err
			}
			m.State, m.Attempts, m.SentAt = model.OutboxSent, 1, leakT0.Add(time.Second)
			if err := tx.Outbox().Put(m); err != nil {
				return err
			}
		}
		return tx.Agents().Delete("a0")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The search works on this file: layout keys are there in clear.
	if !bytes.Contains(raw, []byte("ent/e3")) || !bytes.Contains(raw, []byte("meta/schema")) {
		t.Fatal("record keys not found in the raw file; is this the store's file?")
	}
	for _, s := range secrets {
		forms := map[string][]byte{
			"utf-8":    []byte(s),
			"utf-16le": utf16LE(s),
			"hex":      []byte(hex.EncodeToString([]byte(s))),
		}
		for form, b := range forms {
			if bytes.Contains(raw, b) {
				t.Errorf("%s of %q found in the database file", form, s)
			}
		}
	}
}

var leakT0 = time.Date(2026, 3, 1, 9, 30, 15, 0, time.UTC)

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
