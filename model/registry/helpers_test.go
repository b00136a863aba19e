package registry_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/model/rules"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// testNow is the clock of the parser tests.
var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// mkUSCC builds a valid USCC around an 8-digit organisation body.
func mkUSCC(t testing.TB, body string) string {
	t.Helper()
	oc, err := rules.OrgCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	first := "91220104" + body + string(oc)
	c, err := rules.USCCCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// mkID builds a valid resident ID number for a birth date (YYYYMMDD).
func mkID(t testing.TB, birth string, seq int) string {
	t.Helper()
	first := fmt.Sprintf("220102%s%03d", birth, seq)
	c, err := rules.IDCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

const testHeader = "uscc,name,legal_type,rep_name,rep_id_type,rep_id_number,rep_id_period,rep_id_from,rep_id_to,rep_phone," +
	"registered_address,registered_capital,registered_date,business_scope,code_type,industry,approval_date," +
	"approval_authority,registry_status,established_date,electronic_license"

// row is a valid data row for testHeader; set overrides columns by name.
func row(t testing.TB, body string, set map[string]string) string {
	t.Helper()
	v := map[string]string{
		"uscc": mkUSCC(t, body), "name": "长春测试" + body + "科技有限公司", "legal_type": "企业法人",
		"rep_name": "张三", "rep_id_type": "居民身份证", "rep_id_number": mkID(t, "19800512", 123),
		"rep_id_period": "20y", "rep_id_from": "2015-03-02", "rep_id_to": "2035-03-02",
		"rep_phone": "13812345678", "registered_address": "吉林省长春市朝阳区测试路1号",
		"registered_capital": "500万元人民币", "registered_date": "2010-01-05",
		"business_scope": "软件开发", "code_type": "统一社会信用代码", "industry": "软件和信息技术服务业",
		"approval_date": "2020-06-01", "approval_authority": "长春市朝阳区市场监督管理局",
		"registry_status": "存续", "established_date": "2010-01-05", "electronic_license": "2201040001",
	}
	for k, x := range set {
		v[k] = x
	}
	cols := strings.Split(testHeader, ",")
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = v[c]
	}
	return strings.Join(out, ",")
}

func newStore(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// readAsset reads a file of the assets directory.
func readAsset(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
