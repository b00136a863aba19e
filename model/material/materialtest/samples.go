// Package materialtest makes small, real files of every material type and
// a few that must be refused, for the tests of model/material, devices/usb
// and the file picker. Each is the smallest file its format allows that
// common readers open, built in Go so that nothing binary is committed.
package materialtest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"time"
	"unicode/utf16"
)

// Picture is a w×h test card: a gradient with a dark frame, sharp enough
// for the camera's quality check and recognisable in a preview.
func Picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(x * 255 / max(w-1, 1)), uint8(y * 255 / max(h-1, 1)), 160, 255}
			if x < 2 || y < 2 || x >= w-2 || y >= h-2 || (x/4+y/4)%7 == 0 {
				c = color.RGBA{20, 20, 40, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// PNG is a w×h PNG picture.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, Picture(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG is a w×h baseline JPEG picture.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Picture(w, h), &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PDF is a one-page PDF 1.4 with a correct cross-reference table.
func PDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
		"<< /Length 0 >>\nstream\n\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// zipTime keeps the samples byte for byte the same on every run.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip writes the named parts, in order, into a zip.
func Zip(parts ...[2]string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			panic(err)
		}
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func contentTypes(main, mainType string) string {
	return xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/` + main + `" ContentType="` + mainType + `"/></Types>`
}

func rels(target string) string {
	return xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="` +
		target + `"/></Relationships>`
}

// DOCX is a Word document with one paragraph.
func DOCX() []byte {
	return Zip(
		[2]string{"[Content_Types].xml", contentTypes("word/document.xml",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")},
		[2]string{"_rels/.rels", rels("word/document.xml")},
		[2]string{"word/document.xml", xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
			`<w:body><w:p><w:r><w:t>test</w:t></w:r></w:p></w:body></w:document>`},
	)
}

// XLSX is an Excel workbook with one empty sheet.
func XLSX() []byte {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	return Zip(
		[2]string{"[Content_Types].xml", contentTypes("xl/workbook.xml",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")},
		[2]string{"_rels/.rels", rels("xl/workbook.xml")},
		[2]string{"xl/workbook.xml", xmlHead + `<workbook ` + ns +
			` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		[2]string{"xl/_rels/workbook.xml.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		[2]string{"xl/worksheets/sheet1.xml", xmlHead + `<worksheet ` + ns + `><sheetData/></worksheet>`},
	)
}

// FakeDOCX is a zip that looks like a Word document to a sniffer (its
// first entries) but lacks the document itself.
func FakeDOCX() []byte {
	return Zip(
		[2]string{"[Content_Types].xml", contentTypes("word/document.xml", "application/xml")},
		[2]string{"word/styles.xml", xmlHead + "<styles/>"},
	)
}

// PlainZip is a zip of one text file.
func PlainZip() []byte { return Zip([2]string{"readme.txt", "hello"}) }

// Compound-file (OLE2) constants.
const (
	secSize    = 512
	endOfChain = 0xFFFFFFFE
	fatSect    = 0xFFFFFFFD
	freeSect   = 0xFFFFFFFF
	noStream   = 0xFFFFFFFF
)

// The root storage's class ids of Word 97 and Excel 97 documents.
var (
	wordCLSID  = []byte{0x06, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}
	excelCLSID = []byte{0x20, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}
)

// DOC is a Word 97–2003 compound file: a root storage with a 4 KiB
// WordDocument stream that starts with the Word file information block's
// magic.
func DOC() []byte {
	return compound("WordDocument", wordCLSID, []byte{0xEC, 0xA5, 0xC1, 0x00})
}

// XLS is an Excel 97–2003 compound file: a Workbook stream that starts
// with a BIFF8 BOF record.
func XLS() []byte {
	return compound("Workbook", excelCLSID, []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00})
}

// compound lays out header, FAT (sector 0), directory (sector 1) and one
// stream of 4096 bytes (sectors 2–9, past the mini-stream cut-off).
func compound(stream string, clsid, start []byte) []byte {
	const streamSecs = 8
	le := binary.LittleEndian
	out := make([]byte, secSize*(1+2+streamSecs))
	h := out[:secSize]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x003E) // minor version
	le.PutUint16(h[26:], 3)      // major version: 512-byte sectors
	le.PutUint16(h[28:], 0xFFFE) // little-endian
	le.PutUint16(h[30:], 9)      // sector shift
	le.PutUint16(h[32:], 6)      // mini sector shift
	le.PutUint32(h[44:], 1)      // FAT sectors
	le.PutUint32(h[48:], 1)      // first directory sector
	le.PutUint32(h[56:], 4096)   // mini-stream cut-off
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	le.PutUint32(h[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(h[76+4*i:], freeSect)
	}
	fat := out[secSize : 2*secSize]
	for i := range secSize / 4 {
		le.PutUint32(fat[4*i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	for i := range streamSecs {
		next := uint32(2 + i + 1)
		if i == streamSecs-1 {
			next = endOfChain
		}
		le.PutUint32(fat[4*(2+i):], next)
	}
	dir := out[2*secSize : 3*secSize]
	entry(dir[0:128], "Root Entry", 5, 1, clsid, endOfChain, 0)
	entry(dir[128:256], stream, 2, noStream, nil, 2, 4096)
	entry(dir[256:384], "", 0, noStream, nil, 0, 0)
	entry(dir[384:512], "", 0, noStream, nil, 0, 0)
	copy(out[3*secSize:], start)
	return out
}

func entry(e []byte, name string, typ byte, child uint32, clsid []byte, first, size uint32) {
	le := binary.LittleEndian
	if name != "" {
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
	}
	e[66] = typ
	e[67] = 1 // black
	le.PutUint32(e[68:], noStream)
	le.PutUint32(e[72:], noStream)
	le.PutUint32(e[76:], child)
	copy(e[80:96], clsid)
	le.PutUint32(e[116:], first)
	le.PutUint32(e[120:], size)
}

// PE is the start of a Windows program: a DOS header pointing at a PE
// header ("an .exe").
func PE() []byte {
	b := make([]byte, 256)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	binary.LittleEndian.PutUint16(b[0x84:], 0x8664) // x86-64
	return b
}

// ELF is the header of a 64-bit Linux executable.
func ELF() []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	binary.LittleEndian.PutUint16(b[16:], 2) // ET_EXEC
	binary.LittleEndian.PutUint16(b[18:], 0x3E)
	binary.LittleEndian.PutUint32(b[20:], 1)
	return b
}

// GIF is a 1×1 GIF picture: an image, but not an accepted one.
func GIF() []byte {
	return []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
}
