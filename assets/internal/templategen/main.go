// Command templategen writes the 企业授权书 template that 下载模板 offers
// (assets/templates/authorization_letter.docx): a small Word document in
// WordprocessingML, written with archive/zip with fixed timestamps, so
// that running it again changes nothing unless this program changes (a
// test checks the committed file against it byte for byte).
//
//	go run ./assets/internal/templategen -out assets/templates/authorization_letter.docx
//	go generate ./assets                                  (same, via assets/templates.go)
package main

import (
	"flag"
	"log"
	"os"
)

func main() {
	out := flag.String("out", "assets/templates/authorization_letter.docx", "output file")
	flag.Parse()
	if err := os.WriteFile(*out, Letter(), 0o644); err != nil {
		log.Fatal(err)
	}
}
