package registry_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"kiosk/model"
	"kiosk/model/registry"
	"kiosk/model/rules"
)

// FuzzParseCSV: the parser never panics, every row it rejects has a line
// inside the file, and every record it accepts is valid: writing the
// accepted records and parsing them again gives the same records with no
// row errors.
func FuzzParseCSV(f *testing.F) {
	f.Add(testHeader + "\n" + row(f, "70000001", nil) + "\n")
	f.Add("\ufeff" + testHeader + "\r\n" + row(f, "70000002", map[string]string{"business_scope": "\"a\nb\""}) + "\r\n")
	f.Add(testHeader + "\n" + row(f, "70000003", map[string]string{"rep_id_period": "long"}) + "\n\"unterminated")
	f.Add("uscc,name\n1,2\n")
	f.Add("uscc,name,legal_type,rep_name,rep_id_number,rep_id_period,rep_id_from,rep_id_to\n" +
		mkUSCC(f, "70000004") + ",某某公司,企业法人,李四," + mkID(f, "20000229", 3) + ",10y,2016-02-29,2026-02-28\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, rowErrs, err := registry.ParseCSV(strings.NewReader(in), testNow)
		if err != nil {
			if len(recs) != 0 || len(rowErrs) != 0 {
				t.Fatalf("file error %v with %d records and %d row errors", err, len(recs), len(rowErrs))
			}
			return
		}
		lines := strings.Count(in, "\n") + strings.Count(in, "\r") + 1
		for _, re := range rowErrs {
			if re.Line < 2 || re.Line > lines {
				t.Fatalf("row error on line %d of a %d-line file: %v", re.Line, lines, re)
			}
		}
		for _, r := range recs {
			checkRecord(t, r)
		}
		var buf bytes.Buffer
		if err := registry.WriteCSV(&buf, recs); err != nil {
			t.Fatal(err)
		}
		again, rowErrs, err := registry.ParseCSV(&buf, testNow)
		if err != nil || len(rowErrs) != 0 {
			t.Fatalf("accepted records do not re-parse: %v %v\n%q", err, rowErrs, buf.String())
		}
		if len(recs) == 0 {
			recs = nil
		}
		if !reflect.DeepEqual(again, recs) {
			t.Fatalf("re-parse differs:\n%+v\n%+v", again, recs)
		}
	})
}

// checkRecord re-validates an accepted record with the rules directly.
func checkRecord(t *testing.T, r model.RegistryRecord) {
	t.Helper()
	if u, err := rules.NormalizeUSCC(r.USCC); err != nil || u != r.USCC {
		t.Fatalf("accepted bad uscc %q: %v", r.USCC, err)
	}
	if err := rules.ValidEnterpriseName(r.Name); err != nil {
		t.Fatalf("accepted bad name %q: %v", r.Name, err)
	}
	if err := rules.ValidName(r.LegalRep.Name); err != nil {
		t.Fatalf("accepted bad rep name %q: %v", r.LegalRep.Name, err)
	}
	if err := rules.CheckIDDocument(r.LegalRep.ID, testNow); err != nil && rules.Code(err) != rules.CodeExpired {
		t.Fatalf("accepted bad id %+v: %v", r.LegalRep.ID, err)
	}
	if r.Phone != "" {
		if err := rules.ValidMobile(r.Phone); err != nil {
			t.Fatalf("accepted bad phone %q", r.Phone)
		}
	}
	x := r.Extended
	for _, s := range []string{r.Name, r.LegalType, r.LegalRep.Name, x.RegisteredAddress, x.RegisteredCapital,
		x.BusinessScope, x.CodeType, x.Industry, x.ApprovalAuthority, x.RegistryStatus, x.ElectronicLicense} {
		if !utf8.ValidString(s) || rules.Sanitize(s) != s || strings.TrimSpace(s) != s {
			t.Fatalf("accepted unsanitised text %q", s)
		}
	}
}
