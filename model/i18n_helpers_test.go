package model_test

import "kiosk/model/i18n"

// zh is t in Chinese, as the screen shows it: tests compare sentences
// through it so they check the catalog too.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }
