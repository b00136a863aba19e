package main

import (
	"archive/zip"
	"bytes"
	"html"
	"strings"
	"time"
)

// modified is every part's time stamp: fixed, so the file is reproducible.
var modified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// para is one paragraph of the letter.
type para struct {
	text   string
	style  string // "" for the body style
	center bool
	bold   bool
	gap    bool // space before (the signature block)
}

// letter is the text of the 企业授权书 (an applicant fills the blanks by
// hand or in Word, signs it and has it stamped).
var letter = []para{
	{text: "企业授权书", style: "Title", center: true},
	{text: "致：统一身份认证平台"},
	{text: "授权人（企业名称）：______________________________", gap: true},
	{text: "统一社会信用代码：______________________________"},
	{text: "法定代表人姓名：______________  身份证号：______________________"},
	{text: "被授权人（经办人）姓名：______________", gap: true},
	{text: "被授权人身份证号：______________________________"},
	{text: "被授权人手机号码：______________________________"},
	{text: "授权事项：", bold: true, gap: true},
	{text: "兹授权上述被授权人代为办理统一身份认证平台企业账号申诉，包括填写申诉信息、提交申诉材料及接收办理结果。"},
	{text: "授权期限：", bold: true, gap: true},
	{text: "自 ______ 年 ____ 月 ____ 日起至 ______ 年 ____ 月 ____ 日止。"},
	{text: "被授权人在上述授权范围内办理的事项，授权人均予以承认，并承担相应的法律责任。被授权人无转委托权。", gap: true},
	{text: "授权人（企业盖章）：", gap: true},
	{text: "法定代表人（签字）：______________", gap: true},
	{text: "被授权人（签字）：______________", gap: true},
	{text: "日期： ______ 年 ____ 月 ____ 日", gap: true},
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsW   = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`
	nsRel = `http://schemas.openxmlformats.org/package/2006/relationships`
	relOf = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
)

var contentTypes = xmlHead +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

var packageRels = xmlHead + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="` + relOf + `/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

var documentRels = xmlHead + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="` + relOf + `/styles" Target="styles.xml"/>` +
	`</Relationships>`

var core = xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
	` xmlns:dc="http://purl.org/dc/elements/1.1/">` +
	`<dc:title>企业授权书</dc:title><dc:creator>统一身份认证平台</dc:creator><dc:language>zh-CN</dc:language>` +
	`</cp:coreProperties>`

// styles: 宋体 12 pt body with 1.5 lines, 黑体 18 pt title.
var styles = xmlHead + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/>` +
	`<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="480"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>` +
	`</w:styles>`

func document() string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document xmlns:w="` + nsW + `"><w:body>`)
	for _, p := range letter {
		b.WriteString("<w:p>")
		var ppr string
		if p.style != "" {
			ppr += `<w:pStyle w:val="` + p.style + `"/>`
		}
		if p.gap {
			ppr += `<w:spacing w:before="240"/>`
		}
		if p.center {
			ppr += `<w:jc w:val="center"/>`
		}
		if ppr != "" {
			b.WriteString("<w:pPr>" + ppr + "</w:pPr>")
		}
		b.WriteString("<w:r>")
		if p.bold {
			b.WriteString("<w:rPr><w:b/></w:rPr>")
		}
		b.WriteString(`<w:t xml:space="preserve">` + html.EscapeString(p.text) + "</w:t></w:r></w:p>")
	}
	// A4, margins of 2.54 cm and 3.17 cm as Word's default for Chinese.
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/>` +
		`</w:sectPr></w:body></w:document>`)
	return b.String()
}

// Letter is the template's bytes: the parts in the order Word writes them.
func Letter() []byte {
	parts := [][2]string{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"word/document.xml", document()},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"docProps/core.xml", core},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Deflate, Modified: modified})
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
	return buf.Bytes()
}
