package assets_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"kiosk/assets"
	"kiosk/model/material"
)

// The 授权书 template is a real DOCX: a zip with the package's parts,
// well-formed XML, the letter's fields, and model/material takes it as a
// DOCX for the 企业授权书 material.
func TestAuthorizationLetterTemplate(t *testing.T) {
	data, err := assets.Templates.ReadFile(assets.AuthorizationLetter)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 16<<10 {
		t.Errorf("the template is %d bytes; it should stay small", len(data))
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
	}
	if z.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part %s", z.File[0].Name)
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
		if _, ok := parts[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	if !strings.Contains(parts["[Content_Types].xml"], "wordprocessingml.document.main+xml") {
		t.Errorf("document.xml has no main content type")
	}
	doc := parts["word/document.xml"]
	for _, s := range []string{"企业授权书", "授权人", "被授权人（经办人）", "身份证号",
		"代为办理统一身份认证平台企业账号申诉", "授权期限", "盖章", "签字"} {
		if !strings.Contains(doc, s) {
			t.Errorf("the letter lacks %q", s)
		}
	}
	if got, err := material.Check(data, "authorization_letter.docx", material.AuthorisationTypes); got != material.DOCX || err != nil {
		t.Errorf("material.Check: %q, %v", got, err)
	}
	if got := material.Sniff(data); got != material.DOCX {
		t.Errorf("material.Sniff: %q", got)
	}
}
