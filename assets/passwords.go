package assets

import _ "embed"

// CommonPasswords is the bundled common-password list: lower-case, one per
// line, deduplicated. See passwords/SOURCE.md for where it comes from.
//
//go:embed passwords/common.txt
var CommonPasswords string
