package assets

import _ "embed"

//go:generate go run ./internal/gen -out .

// SampleRegistryCSV is the synthetic business registry of demo mode: 220
// fictional enterprises in 吉林省 in the format of registry/FORMAT.md.
//
//go:embed registry/sample.csv
var SampleRegistryCSV []byte

// DemoSeedJSON is what demo mode puts into an empty store: the registered,
// pending and closed enterprises, natural persons, agents and staff (see
// demo/ACCOUNTS.md). Its passwords are public demo passwords in plaintext,
// hashed at seed time.
//
//go:embed demo/seed.json
var DemoSeedJSON []byte
