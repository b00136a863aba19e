package material

import (
	"archive/zip"
	"io"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"kiosk/model/i18n"
)

// SniffLen is how much of a file's start the type is named from: the
// amount mimetype reads by default.
const SniffLen = 3072

// detected is what a file's content is.
type detected struct {
	typ     Type   // one of Types, or ""
	kind    string // when typ is "": what it is instead, for the sentence
	corrupt bool   // claims to be one of Types but is broken
}

// label is what the content is, for people.
func (d detected) label() i18n.Text {
	if d.typ != "" {
		return d.typ.Label()
	}
	return i18n.T("material.kind." + d.kind)
}

// Office Open XML: the package's content types and the main part.
const (
	contentTypes = "[Content_Types].xml"
	wordMain     = "word/document.xml"
	excelMain    = "xl/workbook.xml"
)

// detect names the content of r. With whole, r holds the whole file and a
// zip is opened to look for its parts; without, only its start is known
// and mimetype's reading of the first entries is taken as it is.
func detect(r io.ReaderAt, size int64, whole bool) detected {
	head := make([]byte, min(size, SniffLen))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	m := mimetype.Detect(head)
	for _, t := range []Type{PDF, JPEG, PNG, DOC, XLS} {
		if m.Is(t.MIME()) {
			return detected{typ: t}
		}
	}
	for _, t := range []Type{DOCX, XLSX} {
		if m.Is(t.MIME()) {
			if !whole {
				return detected{typ: t}
			}
			if got := ooxml(r, size); got != t {
				return detected{typ: t, corrupt: true}
			}
			return detected{typ: t}
		}
	}
	if m.Is("application/zip") && whole {
		// The parts of a document may lie past the first entries mimetype
		// reads (a large thumbnail first): the zip's directory says. A zip
		// without one is cut short (a DOCX copied in part, say).
		if _, err := zip.NewReader(r, size); err != nil {
			return detected{kind: "archive", corrupt: true}
		}
		if t := ooxml(r, size); t != "" {
			return detected{typ: t}
		}
	}
	return detected{kind: kindOf(m)}
}

// ooxml is DOCX or XLSX when r is a zip holding the package's content
// types and the main part of a Word or Excel document, else "".
func ooxml(r io.ReaderAt, size int64) Type {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "" // not a zip, or one with an unsafe entry name
	}
	var types, word, excel bool
	for _, f := range z.File {
		switch f.Name {
		case contentTypes:
			types = true
		case wordMain:
			word = true
		case excelMain:
			excel = true
		}
	}
	switch {
	case !types || word == excel:
		return ""
	case word:
		return DOCX
	}
	return XLSX
}

// kindOf sorts content that is none of Types into what a person can be
// told it is.
func kindOf(m *mimetype.MIME) string {
	for _, p := range []string{"application/vnd.openxmlformats", "application/vnd.oasis.opendocument",
		"application/vnd.ms-powerpoint", "application/vnd.ms-outlook", "application/rtf", "application/x-ole-storage"} {
		if strings.HasPrefix(m.String(), p) {
			return "office"
		}
	}
	for ; m != nil; m = m.Parent() {
		switch m.String() {
		case "application/vnd.microsoft.portable-executable", "application/x-elf",
			"application/x-mach-binary", "application/x-ms-installer",
			"application/x-java-applet", "application/wasm", "application/x-ms-shortcut",
			"application/x-msdownload", "application/x-dosexec":
			return "exe"
		case "application/zip", "application/x-7z-compressed", "application/x-rar-compressed",
			"application/gzip", "application/x-tar", "application/x-bzip2", "application/x-xz",
			"application/zstd", "application/vnd.ms-cab-compressed":
			return "archive"
		}
		switch s := m.String(); {
		case strings.HasPrefix(s, "image/"):
			return "image"
		case strings.HasPrefix(s, "text/"):
			return "text"
		}
	}
	return "unknown"
}
