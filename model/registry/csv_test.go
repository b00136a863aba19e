package registry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"kiosk/model"
	"kiosk/model/registry"
	"kiosk/model/rules"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseCSVValidRow(t *testing.T) {
	in := testHeader + "\n" + row(t, "10000001", nil) + "\n"
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(in), testNow)
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("err=%v rowErrs=%v", err, rowErrs)
	}
	want := model.RegistryRecord{
		USCC: mkUSCC(t, "10000001"), Name: "长春测试10000001科技有限公司", LegalType: "企业法人",
		LegalRep: model.LegalRep{Name: "张三", ID: model.IDDocument{
			Type: model.IDTypeResident, Number: mkID(t, "19800512", 123), Period: model.Validity20Years,
			ValidFrom: day(2015, 3, 2), ValidTo: day(2035, 3, 2),
		}},
		Phone: "13812345678",
		Extended: model.Extended{
			RegisteredAddress: "吉林省长春市朝阳区测试路1号", RegisteredCapital: "500万元人民币",
			RegisteredDate: day(2010, 1, 5), BusinessScope: "软件开发", CodeType: "统一社会信用代码",
			Industry: "软件和信息技术服务业", ApprovalDate: day(2020, 6, 1),
			ApprovalAuthority: "长春市朝阳区市场监督管理局", RegistryStatus: "存续",
			EstablishedDate: day(2010, 1, 5), ElectronicLicense: "2201040001",
		},
	}
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], want) {
		t.Fatalf("got %+v\nwant %+v", recs, want)
	}
}

func TestParseCSVNormalises(t *testing.T) {
	id := mkID(t, "19600101", 456) // long-term card holder
	tests := []struct {
		name  string
		set   map[string]string
		check func(t *testing.T, r model.RegistryRecord)
	}{
		{"lower-case uscc", map[string]string{"uscc": " " + strings.ToLower(mkUSCC(t, "2000000A")) + " "},
			func(t *testing.T, r model.RegistryRecord) {
				if r.USCC != mkUSCC(t, "2000000A") {
					t.Errorf("uscc %q", r.USCC)
				}
			}},
		{"chinese period, long term", map[string]string{"rep_id_number": id, "rep_id_period": "长期有效", "rep_id_to": ""},
			func(t *testing.T, r model.RegistryRecord) {
				if r.LegalRep.ID.Period != model.ValidityLongTerm || !r.LegalRep.ID.ValidTo.IsZero() {
					t.Errorf("doc %+v", r.LegalRep.ID)
				}
			}},
		{"expired card is registry fact", map[string]string{"rep_id_period": "10y",
			"rep_id_number": mkID(t, "19900101", 1), "rep_id_from": "2010-05-01", "rep_id_to": "2020-05-01"},
			func(t *testing.T, r model.RegistryRecord) {
				if !r.LegalRep.ID.ValidTo.Equal(day(2020, 5, 1)) {
					t.Errorf("doc %+v", r.LegalRep.ID)
				}
			}},
		{"escape sequences stripped", map[string]string{"registered_address": "吉林省\x1b[31m长春市\x07 ",
			"rep_id_type": ""},
			func(t *testing.T, r model.RegistryRecord) {
				if r.Extended.RegisteredAddress != "吉林省长春市" || r.LegalRep.ID.Type != model.IDTypeResident {
					t.Errorf("address %q type %q", r.Extended.RegisteredAddress, r.LegalRep.ID.Type)
				}
			}},
		{"optional empties", map[string]string{"rep_phone": "", "registered_date": "", "electronic_license": ""},
			func(t *testing.T, r model.RegistryRecord) {
				if r.Phone != "" || !r.Extended.RegisteredDate.IsZero() {
					t.Errorf("rec %+v", r)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := testHeader + "\n" + row(t, "2000000A", tc.set) + "\n"
			recs, rowErrs, err := registry.ParseCSV(strings.NewReader(in), testNow)
			if err != nil || len(rowErrs) != 0 || len(recs) != 1 {
				t.Fatalf("recs=%d err=%v rowErrs=%v", len(recs), err, rowErrs)
			}
			tc.check(t, recs[0])
		})
	}
}

func TestParseCSVHeader(t *testing.T) {
	good := row(t, "30000003", nil)
	reordered := "extra,rep_id_to,rep_id_from,rep_id_period,rep_id_number,rep_name,legal_type,name,uscc\n" +
		"ignored,2035-03-02,2015-03-02,20y," + mkID(t, "19800512", 123) + ",张三,企业法人,某某测试有限公司," + mkUSCC(t, "30000003")
	tests := []struct {
		name    string
		in      string
		wantErr string // substring of the file error; "" for success
	}{
		{"plain", testHeader + "\n" + good, ""},
		{"bom", "\ufeff" + testHeader + "\r\n" + good + "\r\n", ""},
		{"case and spaces", strings.ToUpper(strings.ReplaceAll(testHeader, ",", " , ")) + "\n" + good, ""},
		{"reordered, unknown, optional absent", reordered, ""},
		{"empty file", "", "empty file"},
		{"bom only", "\ufeff", "empty file"},
		{"missing required", strings.Replace(testHeader, "rep_id_number", "rep_id", 1) + "\n" + good, "rep_id_number"},
		{"twice", testHeader + ",uscc\n" + good + ",x", "twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, rowErrs, err := registry.ParseCSV(strings.NewReader(tc.in), testNow)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(rowErrs) != 0 || len(recs) != 1 {
				t.Fatalf("recs=%d err=%v rowErrs=%v", len(recs), err, rowErrs)
			}
		})
	}
}

func TestParseCSVReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(testHeader+"\n"+row(t, "40000004", nil)+"\n"), iotest.ErrReader(boom))
	_, _, err := registry.ParseCSV(r, testNow)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the read error", err)
	}
}

func TestParseCSVRowErrors(t *testing.T) {
	first := mkUSCC(t, "50000001")
	bad := mkUSCC(t, "50000002")
	bad = bad[:17] + map[bool]string{true: "1", false: "0"}[bad[17] == '0'] // wrong check char
	lines := []string{
		testHeader,              // 1
		row(t, "50000001", nil), // 2 ok
		row(t, "50000002", map[string]string{"uscc": bad}), // 3
		row(t, "50000003", nil),                            // 4 ok
		row(t, "50000004", map[string]string{"rep_id_number": mkID(t, "19800512", 123)[:17] + "Y"}), // 5
		row(t, "50000005", map[string]string{"rep_id_period": "10y", "rep_id_to": "2025-03-02"}),    // 6 age says 20y
		row(t, "50000006", map[string]string{"rep_id_to": "2035-03-03"}),                            // 7
		row(t, "50000007", map[string]string{"uscc": strings.ToLower(first)}),                       // 8 duplicate of 2
		"only,three,fields", // 9
		row(t, "50000008", map[string]string{"business_scope": "\"软件开发\n技术服务\""}),                          // 10–11 ok
		row(t, "50000009", map[string]string{"rep_phone": "12812345678", "registered_date": "2027-01-01"}), // 12: two problems
		row(t, "5000000A", map[string]string{"legal_type": "外星法人", "rep_name": "Zhang San"}),               // 13: two problems
		row(t, "5000000B", map[string]string{"name": "bare\"quote"}),                                       // 14 malformed
		row(t, "5000000C", map[string]string{"rep_id_from": "2015/03/02"}),                                 // 15
		row(t, "5000000D", nil), // 16 ok
	}
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(strings.Join(lines, "\n")+"\n"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Line   int
		Column string
	}
	want := []got{
		{3, "uscc"}, {5, "rep_id_number"}, {6, "rep_id_period"}, {7, "rep_id_to"}, {8, "uscc"}, {9, ""},
		{12, "rep_phone"}, {12, "registered_date"}, {13, "legal_type"}, {13, "rep_name"}, {14, ""}, {15, "rep_id_from"},
	}
	var have []got
	for _, re := range rowErrs {
		have = append(have, got{re.Line, re.Column})
	}
	if !reflect.DeepEqual(have, want) {
		t.Fatalf("row errors:\n%v\nwant lines/columns:\n%v", rowErrs, want)
	}
	if c := rules.Code(rowErrs[0]); c != "uscc_check" {
		t.Errorf("line 3 code %q, want uscc_check", c)
	}
	if !strings.Contains(rowErrs[4].Error(), "line 8: uscc: duplicate uscc, first on line 2") {
		t.Errorf("duplicate message: %v", rowErrs[4])
	}
	var usccs []string
	for _, r := range recs {
		usccs = append(usccs, r.USCC[8:16])
	}
	if want := []string{"50000001", "50000003", "50000008", "5000000D"}; !reflect.DeepEqual(usccs, want) {
		t.Errorf("accepted %v, want %v", usccs, want)
	}
	// The good rows still import.
	s := newStore(t)
	if n, err := registry.Import(context.Background(), s, recs, 2); err != nil || n != 4 || registryCount(t, s) != 4 {
		t.Errorf("import: n=%d err=%v", n, err)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	in := testHeader + "\n" + row(t, "60000001", nil) + "\n" +
		row(t, "60000002", map[string]string{"rep_id_number": mkID(t, "19600101", 9), "rep_id_period": "long",
			"rep_id_to": "", "rep_phone": "", "approval_date": "", "business_scope": "\"a, \"\"b\"\"\n c\""}) + "\n"
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(in), testNow)
	if err != nil || len(rowErrs) != 0 || len(recs) != 2 {
		t.Fatalf("recs=%d err=%v rowErrs=%v", len(recs), err, rowErrs)
	}
	var buf bytes.Buffer
	if err := registry.WriteCSV(&buf, recs); err != nil {
		t.Fatal(err)
	}
	again, rowErrs, err := registry.ParseCSV(&buf, testNow)
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("err=%v rowErrs=%v", err, rowErrs)
	}
	if !reflect.DeepEqual(again, recs) {
		t.Fatalf("round trip changed records:\n%+v\n%+v", again, recs)
	}
}

// TestFormatExample keeps the example in FORMAT.md parseable.
func TestFormatExample(t *testing.T) {
	doc := readAsset(t, "registry/FORMAT.md")
	_, rest, ok := strings.Cut(string(doc), "```csv\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("FORMAT.md has no csv example block")
	}
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(block), testNow)
	if err != nil || len(rowErrs) != 0 || len(recs) != 1 {
		t.Fatalf("recs=%d err=%v rowErrs=%v", len(recs), err, rowErrs)
	}
}
