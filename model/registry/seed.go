package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Seed is the demo seed (assets/demo/seed.json): which registry enterprises
// already have accounts, the natural persons, agents and staff of a fresh
// demo store. Passwords are plaintext on purpose: this is public demo data,
// listed in assets/demo/ACCOUNTS.md, hashed when the store is seeded.
type Seed struct {
	Note        string           `json:"note,omitempty"`
	Enterprises []SeedEnterprise `json:"enterprises"`
	Persons     []SeedPerson     `json:"persons"`
	Agents      []SeedAgent      `json:"agents"`
	Staff       []SeedStaff      `json:"staff"`
}

// SeedEnterprise gives an account to a registry enterprise. State is
// "active" (account and password required) or "pending" (待激活: neither,
// they are chosen at activation). Everything else comes from the registry.
type SeedEnterprise struct {
	USCC     string `json:"uscc"`
	State    string `json:"state"`
	Account  string `json:"account,omitempty"`
	Password string `json:"password,omitempty"`
}

// SeedPerson is a registered natural person (自然人). Key names the person
// inside the seed file only; the store gets a random ID.
type SeedPerson struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	IDPeriod string `json:"id_period"`       // 5y/10y/20y/long
	IDFrom   string `json:"id_from"`         // YYYY-MM-DD
	IDTo     string `json:"id_to,omitempty"` // YYYY-MM-DD, empty for long
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// SeedAgent makes a person an agent of a seeded enterprise. The window is in
// days relative to the day the store is seeded (FromDays ≤ 0 ≤ ToDays is a
// currently valid agent), so the demo keeps its valid, expired and
// not-yet-valid agents whenever it is first started.
type SeedAgent struct {
	Person     string `json:"person"`     // SeedPerson.Key
	Enterprise string `json:"enterprise"` // SeedEnterprise.USCC
	Password   string `json:"password"`
	Admin      bool   `json:"admin"`
	Enabled    bool   `json:"enabled"`
	FromDays   int    `json:"from_days"`
	ToDays     int    `json:"to_days"`
}

// SeedStaff is a counter staff account.
type SeedStaff struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// maxSeedBytes bounds the seed file read into memory.
const maxSeedBytes = 4 << 20

// DecodeSeed reads a seed file strictly: unknown fields and trailing data
// are errors, so a typo in the demo data is caught at start-up.
func DecodeSeed(r io.Reader) (Seed, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSeedBytes+1))
	if err != nil {
		return Seed{}, fmt.Errorf("demo seed: %w", err)
	}
	if len(data) > maxSeedBytes {
		return Seed{}, errors.New("demo seed: file too large")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("demo seed: %w", err)
	}
	if dec.More() {
		return Seed{}, errors.New("demo seed: trailing data after the JSON object")
	}
	return s, nil
}
