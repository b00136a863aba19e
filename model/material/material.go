// Package material decides whether a file may be attached to an appeal as
// one of its materials (营业执照, 授权书, 身份证 photos): its type is
// named by its content, never by its name, and its size is within the
// limits. The content is sniffed by github.com/gabriel-vasile/mimetype; the
// Office Open XML kinds are then opened as zips and must hold their parts
// ([Content_Types].xml and word/document.xml or xl/workbook.xml), and the
// legacy ones must be OLE2 compound files with a Word or Excel stream.
//
// A file's name is used only to say a mismatch: "营业执照.pdf" holding a
// PNG image is refused with "该文件实为 PNG 图片", because the person meant
// another file; a name never makes content acceptable.
//
// The package imports only the catalog (model/i18n): model itself may use
// it without an import cycle. Its errors satisfy model.Messager and
// model.Coder.
package material

import (
	"bytes"
	"io"
	"path"
	"strings"

	"kiosk/model/i18n"
)

// Type is a kind of content a material may have.
type Type string

// The types a material may have (SPEC §1, 材料上传).
const (
	PDF  Type = "pdf"
	JPEG Type = "jpeg"
	PNG  Type = "png"
	DOC  Type = "doc"  // Word 97–2003, an OLE2 compound file
	XLS  Type = "xls"  // Excel 97–2003, an OLE2 compound file
	DOCX Type = "docx" // Word 2007+, Office Open XML
	XLSX Type = "xlsx" // Excel 2007+, Office Open XML
)

// Types are all the types, in the order the spec lists them.
var Types = []Type{PDF, JPEG, PNG, DOC, XLS, DOCX, XLSX}

// What each material accepts (SPEC §1, 材料上传).
var (
	// LicenceTypes: 企业营业执照原件.
	LicenceTypes = []Type{PDF, JPEG, PNG}
	// AuthorisationTypes: 企业授权书.
	AuthorisationTypes = []Type{DOC, XLS, DOCX, XLSX, JPEG, PNG, PDF}
	// PhotoTypes: 法人身份证 and 经办人身份证 (front, back), 经办人手持身份证.
	PhotoTypes = []Type{JPEG, PNG}
)

var typeInfo = map[Type]struct {
	mime string
	exts []string // lower case, with the dot; the first is the usual one
}{
	PDF:  {"application/pdf", []string{".pdf"}},
	JPEG: {"image/jpeg", []string{".jpg", ".jpeg", ".jpe", ".jfif"}},
	PNG:  {"image/png", []string{".png"}},
	DOC:  {"application/msword", []string{".doc"}},
	XLS:  {"application/vnd.ms-excel", []string{".xls"}},
	DOCX: {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}},
	XLSX: {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}},
}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool { _, ok := typeInfo[t]; return ok }

// MIME is the media type of t ("" for an invalid type).
func (t Type) MIME() string { return typeInfo[t].mime }

// Ext is t's usual extension with the dot (".jpg").
func (t Type) Ext() string {
	if e := typeInfo[t].exts; len(e) > 0 {
		return e[0]
	}
	return ""
}

// Exts are every extension a file of type t is commonly named with.
func (t Type) Exts() []string { return append([]string(nil), typeInfo[t].exts...) }

// IsImage reports whether t is a picture the kiosk can preview.
func (t Type) IsImage() bool { return t == JPEG || t == PNG }

// Label is t's name for people ("PNG 图片").
func (t Type) Label() i18n.Text {
	if !t.Valid() {
		return i18n.T("material.kind.unknown")
	}
	return i18n.T("material.kind." + string(t))
}

// Short is the name of t as the spec writes it in lists ("JPG", "DOCX"):
// Latin letters, the same in every language.
func (t Type) Short() string {
	if t == JPEG {
		return "JPG"
	}
	return strings.ToUpper(string(t))
}

// FromExt is the type a file name's extension claims, if it is one of
// Types ("scan.JPEG" → JPEG). It only ever says what a person meant.
func FromExt(name string) (Type, bool) {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
	if ext == "" {
		return "", false
	}
	for _, t := range Types {
		for _, e := range typeInfo[t].exts {
			if e == ext {
				return t, true
			}
		}
	}
	return "", false
}

// FromExts maps a file field's extensions (".pdf", ".jpg") to the types
// they name, each once, in their order; unknown extensions are left out.
func FromExts(exts []string) []Type {
	var out []Type
	for _, e := range exts {
		if !strings.HasPrefix(e, ".") {
			e = "." + e
		}
		if t, ok := FromExt("x" + e); ok && !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Exts lists every extension of the types (for a file field's Accept).
func Exts(types []Type) []string {
	var out []string
	for _, t := range types {
		out = append(out, typeInfo[t].exts...)
	}
	return out
}

// Shorts is the types as the spec lists them: "PDF/JPG/PNG".
func Shorts(types []Type) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = t.Short()
	}
	return strings.Join(s, "/")
}

func contains(types []Type, t Type) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// Check names the type of a whole file's content and decides whether it
// is one of accept (none: any of Types). name is the file's name as the
// person sees it; its extension only chooses between the refusals. The
// errors are *Error: ErrEmpty, ErrCorrupt, a mismatch (errors.Is
// ErrMismatch) or an unsupported type (errors.Is ErrUnsupported).
func Check(data []byte, name string, accept []Type) (Type, error) {
	return CheckReader(bytes.NewReader(data), int64(len(data)), name, accept)
}

// CheckReader is Check on content of size bytes read through r: only the
// first SniffLen bytes and, for a zip, its central directory are read.
func CheckReader(r io.ReaderAt, size int64, name string, accept []Type) (Type, error) {
	if len(accept) == 0 {
		accept = Types
	}
	if size <= 0 {
		return "", ErrEmpty
	}
	d := detect(r, size, true)
	if d.corrupt {
		return "", ErrCorrupt
	}
	if declared, ok := FromExt(name); ok && declared != d.typ {
		return "", mismatch(d)
	}
	if !contains(accept, d.typ) {
		return "", unsupported(accept)
	}
	return d.typ, nil
}

// Sniff names the type of content from its first bytes alone (a listing:
// at most SniffLen are looked at), "" when it is none of Types. A zip
// whose first entries are not within them is not recognised here;
// CheckReader, which can read the zip's directory, is.
func Sniff(head []byte) Type {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	return detect(bytes.NewReader(head), int64(len(head)), false).typ
}
