package main

import (
	"fmt"

	"kiosk/model"
)

// kind is a legal person type with its USCC prefix (registration authority
// + entity type, GB 32100 table) and its naming.
type kind struct {
	LegalType string
	Prefix    string
	Weight    int
}

var kinds = []kind{
	{"企业法人", "91", 80}, // 工商 · 企业
	{"个体工商户", "92", 8}, // 工商 · 个体工商户
	{"非企业法人", "52", 7}, // 民政 · 民办非企业单位
	{"其他组织", "93", 5},  // 工商 · 农民专业合作社
}

func (g *gen) kind() kind {
	n := g.rnd.IntN(100)
	for _, k := range kinds {
		if n -= k.Weight; n < 0 {
			return k
		}
	}
	return kinds[0]
}

// famousBrands are pairs the brand pool can form that name well-known real
// companies; the sample data must stay clearly fictional.
var famousBrands = map[string]bool{"汇丰": true, "恒瑞": true, "安信": true, "宏信": true, "华润": true, "润泰": true}

func (g *gen) brand() string {
	for {
		a := brandChars[g.rnd.IntN(len(brandChars))]
		b := brandChars[g.rnd.IntN(len(brandChars))]
		if s := string([]rune{a, b}); a != b && !famousBrands[s] {
			return s
		}
	}
}

func (g *gen) enterprises(n int) []model.RegistryRecord {
	recs := make([]model.RegistryRecord, 0, n)
	// The first ones become the demo accounts; make them ordinary companies.
	for i := 0; i < n; i++ {
		k := kinds[0]
		if i >= 20 {
			k = g.kind()
		}
		recs = append(recs, g.enterprise(k))
	}
	return recs
}

func (g *gen) enterprise(k kind) model.RegistryRecord {
	reg := g.region()
	var (
		t         trade
		name      string
		capital   string
		authority = reg.City + reg.District + "市场监督管理局"
	)
	switch k.LegalType {
	case "个体工商户":
		t = soleTrades[g.rnd.IntN(len(soleTrades))]
		name = g.unique(func() string { return reg.City + reg.District + g.brand() + t.Word })
		capital = fmt.Sprintf("%d万元人民币", 1+g.rnd.IntN(20))
	case "非企业法人":
		t = nonprofitTrades[g.rnd.IntN(len(nonprofitTrades))]
		name = g.unique(func() string { return reg.City + g.brand() + t.Word })
		capital = fmt.Sprintf("%d万元人民币", 10*(1+g.rnd.IntN(10)))
		authority = reg.City + reg.District + "民政局"
	case "其他组织":
		t = coopTrades[g.rnd.IntN(len(coopTrades))]
		name = g.unique(func() string { return reg.City + reg.District + g.brand() + t.Word })
		capital = fmt.Sprintf("%d万元人民币", 5*(1+g.rnd.IntN(40)))
	default:
		t = trades[g.rnd.IntN(len(trades))]
		name = g.unique(func() string { return cityShort[reg.City] + g.brand() + t.Word + g.pick(companyForms) })
		capital = fmt.Sprintf("%d万元人民币", []int{50, 100, 200, 300, 500, 800, 1000, 2000, 5000}[g.rnd.IntN(9)])
	}

	rep := g.person(24, 70)
	// Founded once the representative was an adult, from 1998 on.
	first := rep.Birth.AddDate(22, 0, 0)
	if floor := date(1998, 1, 1); first.Before(floor) {
		first = floor
	}
	established := g.day(first, date(2025, 12, 31))
	approval := g.day(established, today.AddDate(0, -1, 0))
	status := "存续"
	if g.rnd.IntN(7) == 0 {
		status = "在业"
	}
	address := fmt.Sprintf("吉林省%s%s%s%s%d号", reg.City, reg.District,
		g.pick(streetWords), g.pick(streetKinds), 1+g.rnd.IntN(999))
	if g.rnd.IntN(3) == 0 {
		address += fmt.Sprintf("%s大厦%d层", g.brand(), 2+g.rnd.IntN(20))
	}

	return model.RegistryRecord{
		USCC:      g.uscc(k.Prefix, reg.Code),
		Name:      name,
		LegalType: k.LegalType,
		LegalRep:  model.LegalRep{Name: rep.Name, ID: rep.Doc},
		Phone:     rep.Phone,
		Extended: model.Extended{
			RegisteredAddress: address,
			RegisteredCapital: capital,
			RegisteredDate:    established,
			BusinessScope:     t.Scope,
			CodeType:          "统一社会信用代码",
			Industry:          t.Industry,
			ApprovalDate:      approval,
			ApprovalAuthority: authority,
			RegistryStatus:    status,
			EstablishedDate:   established,
			ElectronicLicense: reg.Code + g.digits(14),
		},
	}
}
