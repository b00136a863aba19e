package assets

import "embed"

// I18n holds the message catalogs of the interface languages:
// i18n/<lang>/<area>.toml in go-i18n's TOML format (zh is the source, ko and
// en complete translations). model/i18n reads them.
//
//go:embed i18n
var I18n embed.FS
