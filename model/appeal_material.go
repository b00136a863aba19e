package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"kiosk/model/i18n"
	"kiosk/model/material"
)

// MaterialKind is one of the documents an appeal carries (材料上传).
type MaterialKind string

const (
	MaterialLicense        MaterialKind = "license"          // 企业营业执照原件
	MaterialAuthorization  MaterialKind = "authorization"    // 企业授权书
	MaterialRepIDFront     MaterialKind = "rep_id_front"     // 法人身份证 front (人像面)
	MaterialRepIDBack      MaterialKind = "rep_id_back"      // 法人身份证 back (国徽面)
	MaterialAgentIDFront   MaterialKind = "agent_id_front"   // 经办人身份证 front
	MaterialAgentIDBack    MaterialKind = "agent_id_back"    // 经办人身份证 back
	MaterialAgentHoldingID MaterialKind = "agent_holding_id" // 经办人手持身份证照片
)

// MaterialKinds are the kinds in the order of the upload step; every
// appeal carries each of them once.
var MaterialKinds = []MaterialKind{MaterialLicense, MaterialAuthorization, MaterialRepIDFront, MaterialRepIDBack,
	MaterialAgentIDFront, MaterialAgentIDBack, MaterialAgentHoldingID}

// Valid reports whether k is a known kind.
func (k MaterialKind) Valid() bool { return slices.Contains(MaterialKinds, k) }

// Label is the name shown to users.
func (k MaterialKind) Label() i18n.Text {
	if k.Valid() {
		return i18n.T("appeal.material." + string(k))
	}
	return i18n.T("state.unknown")
}

// materialTypes are the file types each kind takes (SPEC §1 Appeal, manual
// §五(二)), as model/material lists them: the licence as PDF, JPG or PNG;
// the authorisation letter as DOC, XLS, DOCX, XLSX, JPG, PNG or PDF; the
// ID photos as pictures (the kiosk camera captures JPEG).
var materialTypes = map[MaterialKind][]material.Type{
	MaterialLicense:        material.LicenceTypes,
	MaterialAuthorization:  material.AuthorisationTypes,
	MaterialRepIDFront:     material.PhotoTypes,
	MaterialRepIDBack:      material.PhotoTypes,
	MaterialAgentIDFront:   material.PhotoTypes,
	MaterialAgentIDBack:    material.PhotoTypes,
	MaterialAgentHoldingID: material.PhotoTypes,
}

// Types are the file types k takes, in the order the upload step lists
// them; none for an unknown kind. material.Check decides a file's type by
// its content.
func (k MaterialKind) Types() []material.Type { return slices.Clone(materialTypes[k]) }

// MIMEs are the media types of k's file types, in the same order.
func (k MaterialKind) MIMEs() []string {
	var out []string
	for _, t := range materialTypes[k] {
		out = append(out, t.MIME())
	}
	return out
}

// Accepts reports whether k takes a file of media type mime (parameters
// such as "; charset" and case are ignored).
func (k MaterialKind) Accepts(mime string) bool {
	mime, _, _ = strings.Cut(mime, ";")
	return slices.Contains(k.MIMEs(), strings.ToLower(strings.TrimSpace(mime)))
}

// Extensions lists k's types as the upload step shows them ("PDF/JPG/PNG"):
// data, the same in every language.
func (k MaterialKind) Extensions() string { return material.Shorts(materialTypes[k]) }

// Material is one uploaded document, stored as content-addressed chunks
// (WriteMaterial) that the appeal references.
type Material struct {
	Kind   MaterialKind
	Name   string   // the file's name as it was called (CleanMaterialName), or the capture's
	MIME   string   // media type of one of Kind.Types()
	Size   int64    // bytes of the whole file
	SHA256 string   // hex SHA-256 of the whole file, checked on every read
	Chunks []string // chunk ids in order; empty once the appeal's materials are purged
}

// CheckMaterial refuses a material that is not fit to be filed: unknown
// kind, a type the kind does not take, no content, or chunks that do not
// add up.
func CheckMaterial(m Material) error {
	switch {
	case !m.Kind.Valid():
		return ErrMaterialKind
	case !m.Kind.Accepts(m.MIME):
		return &MaterialTypeError{Kind: m.Kind}
	case m.Size <= 0 || len(m.Chunks) == 0:
		return material.ErrEmpty
	case int64(len(m.Chunks)) > (m.Size+MaxChunkSize-1)/MaxChunkSize || len(m.SHA256) != 64:
		return ErrMaterialCorrupt
	}
	return nil
}

// CheckAppealMaterials refuses a set of materials that lacks a kind, has
// one twice, or has one that CheckMaterial refuses; the first kind in
// upload order is named.
func CheckAppealMaterials(ms []Material) error {
	for _, k := range MaterialKinds {
		n := 0
		for _, m := range ms {
			if m.Kind != k {
				continue
			}
			if err := CheckMaterial(m); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return &MaterialRequiredError{Kind: k}
		}
		if n > 1 {
			return ErrMaterialKind
		}
	}
	if len(ms) != len(MaterialKinds) {
		return ErrMaterialKind // a kind the upload step does not know
	}
	return nil
}

// MaxMaterialName is the longest file name kept, in runes.
const MaxMaterialName = 100

// CleanMaterialName is a file name as the appeal keeps it: the last path
// element (either slash), without control, format (bidi, zero-width) or
// invalid characters, trimmed, and cut to MaxMaterialName runes keeping
// the extension. The name comes from a stranger's USB stick and is shown
// to staff: it must not be able to draw anything but itself.
func CleanMaterialName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r): // tabs and line breaks too
			return ' '
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), r >= 0xe0000 && r <= 0xe007f:
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) <= MaxMaterialName {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && utf8.RuneCountInString(name[i:]) <= 10 {
		ext = name[i:]
	}
	r := []rune(strings.TrimSuffix(name, ext))
	return strings.TrimSpace(string(r[:MaxMaterialName-utf8.RuneCountInString(ext)])) + ext
}
