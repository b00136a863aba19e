package assets

import "embed"

//go:generate go run ./internal/templategen -out templates/authorization_letter.docx

// Templates holds the documents a visitor can take away:
// templates/authorization_letter.docx is the 企业授权书 template that
// 下载模板 saves to a USB stick (the same file the platform's website
// serves, [appeals] template_url). Written by internal/templategen.
//
//go:embed templates
var Templates embed.FS

// AuthorizationLetter is the path of the 企业授权书 template in Templates.
const AuthorizationLetter = "templates/authorization_letter.docx"
