package pdu

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkPDUEncode encodes a 200-character Chinese notice (3 UCS2 parts).
func BenchmarkPDUEncode(b *testing.B) {
	text := strings.Repeat("统一身份认证平台短信通知", 20)[:len("统")*200]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode("13800138000", text, Options{Validity: 24 * time.Hour, Ref: 9}); err != nil {
			b.Fatal(err)
		}
	}
}
