// Command gen writes the demo data the kiosk embeds: the synthetic business
// registry (registry/sample.csv), the demo seed (demo/seed.json) and its
// account list (demo/ACCOUNTS.md). Output is deterministic: a fixed random
// seed and a fixed "today", so regenerating changes nothing unless this
// program changes.
//
//	go run ./assets/internal/gen            (from the module root)
//	go generate ./assets                    (same, via assets/registry.go)
//
// It builds against package assets (through the validators), which embeds
// its own output: the committed files must exist for it to compile.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"kiosk/model"
	"kiosk/model/registry"
	"kiosk/model/rules"
)

const enterpriseCount = 220

var (
	// today is the generator's fixed "now": every date lies before it.
	today = date(2026, 11, 1)
	// horizon is how long every generated card must stay valid, so the demo
	// data outlives the release by years.
	horizon = date(2031, 12, 31)
)

func main() {
	out := flag.String("out", "assets", "assets directory to write registry/ and demo/ into")
	flag.Parse()
	log.SetFlags(0)

	g := newGen()
	recs := g.enterprises(enterpriseCount)
	seed, plan := g.seed(recs)

	var csvBuf bytes.Buffer
	if err := registry.WriteCSV(&csvBuf, recs); err != nil {
		log.Fatal(err)
	}
	jsonBuf, err := json.MarshalIndent(seed, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	jsonBuf = append(jsonBuf, '\n')
	if err := check(csvBuf.Bytes(), seed); err != nil {
		log.Fatalf("generated data does not validate: %v", err)
	}
	md := accountsMarkdown(recs, seed, plan)

	write(filepath.Join(*out, "registry", "sample.csv"), csvBuf.Bytes())
	write(filepath.Join(*out, "demo", "seed.json"), jsonBuf)
	write(filepath.Join(*out, "demo", "ACCOUNTS.md"), []byte(md))
}

func write(path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", path, len(data))
}

// check re-reads the output the way the kiosk will, on the generator's
// today and at the horizon.
func check(csvData []byte, seed registry.Seed) error {
	recs, rowErrs, err := registry.ParseCSV(bytes.NewReader(csvData), today)
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		return fmt.Errorf("%d row errors, first: %v", len(rowErrs), rowErrs[0])
	}
	for _, r := range recs {
		if err := rules.CheckIDDocument(r.LegalRep.ID, horizon); err != nil {
			return fmt.Errorf("%s: legal rep card at %s: %v", r.USCC, horizon.Format(time.DateOnly), err)
		}
	}
	for _, sp := range seed.Persons {
		doc := model.IDDocument{Type: model.IDTypeResident, Number: sp.IDNumber, Period: model.ValidityPeriod(sp.IDPeriod)}
		doc.ValidFrom, _ = time.Parse(time.DateOnly, sp.IDFrom)
		if sp.IDTo != "" {
			doc.ValidTo, _ = time.Parse(time.DateOnly, sp.IDTo)
		}
		if err := rules.CheckIDDocument(doc, horizon); err != nil {
			return fmt.Errorf("person %s: card at %s: %v", sp.Key, horizon.Format(time.DateOnly), err)
		}
	}
	for _, now := range []time.Time{today, horizon} {
		if err := registry.ValidateSeed(seed, recs, now); err != nil {
			return err
		}
	}
	return nil
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// gen holds the random source and what is already taken, so USCCs, names,
// ID numbers and phones are all unique.
type gen struct {
	rnd   *rand.Rand
	taken map[string]bool
	total int // sum of region weights
}

func newGen() *gen {
	g := &gen{rnd: rand.New(rand.NewPCG(20261101, 2201)), taken: map[string]bool{}}
	for _, r := range regions {
		g.total += r.Weight
	}
	return g
}

// unique draws from f until it yields a value not drawn before.
func (g *gen) unique(f func() string) string {
	for {
		if v := f(); !g.taken[v] {
			g.taken[v] = true
			return v
		}
	}
}

func (g *gen) region() region {
	n := g.rnd.IntN(g.total)
	for _, r := range regions {
		if n -= r.Weight; n < 0 {
			return r
		}
	}
	return regions[0]
}

func (g *gen) pick(s []string) string { return s[g.rnd.IntN(len(s))] }

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rnd.IntN(10))
	}
	return string(b)
}

// day returns a random date in [from, to].
func (g *gen) day(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.rnd.IntN(days+1))
}

func (g *gen) mobile() string {
	return g.unique(func() string { return g.pick(mobilePrefixes) + g.digits(8) })
}

// uscc builds a valid code: registration authority and entity type, the
// region, an 8-digit organisation body with its GB 11714 check, and the
// GB 32100 check character.
func (g *gen) uscc(prefix, regionCode string) string {
	return g.unique(func() string {
		body := g.digits(8)
		oc, err := rules.OrgCodeCheckChar(body)
		must(err)
		first17 := prefix + regionCode + body + string(oc)
		c, err := rules.USCCCheckChar(first17)
		must(err)
		return first17 + string(c)
	})
}

// person is a generated individual with a current resident ID card.
type person struct {
	Name  string
	Birth time.Time
	Doc   model.IDDocument
	Phone string
}

// person draws someone aged minAge–maxAge on today, born in a Jilin region,
// holding the card they would carry today: issued in the past with the
// period their age then implied, and valid until at least the horizon.
func (g *gen) person(minAge, maxAge int) person {
	male := g.rnd.IntN(2) == 0
	given := femaleGiven
	if male {
		given = maleGiven
	}
	name := string(surnames[g.rnd.IntN(len(surnames))])
	for n := 1 + g.rnd.IntN(2); n > 0; n-- {
		name += string(given[g.rnd.IntN(len(given))])
	}
	birth := g.day(today.AddDate(-maxAge-1, 0, 1), today.AddDate(-minAge, 0, 0))
	number := g.unique(func() string {
		seq := g.rnd.IntN(500) * 2 // even: female
		if male {
			seq++
		}
		first17 := g.region().Code + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
		c, err := rules.IDCheckChar(first17)
		must(err)
		return first17 + string(c)
	})
	earliest := birth.AddDate(16, 0, 0)
	if floor := date(2006, 1, 1); earliest.Before(floor) {
		earliest = floor
	}
	var doc model.IDDocument
	for {
		start := g.day(earliest, today.AddDate(0, -1, 0))
		p := rules.ExpectedPeriod(birth, start)
		end := rules.ValidityEnd(start, p)
		if end.IsZero() || end.After(horizon) {
			doc = model.IDDocument{Type: model.IDTypeResident, Number: number, Period: p, ValidFrom: start, ValidTo: end}
			break
		}
	}
	return person{Name: name, Birth: birth, Doc: doc, Phone: g.mobile()}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
