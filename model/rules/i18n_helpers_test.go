package rules

import "kiosk/model/i18n"

// zh is t in Chinese, as the screen shows it.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// sentence reports whether t is a sentence of the Chinese catalog.
func sentence(t i18n.Text) bool { return !t.IsZero() && i18n.Default().Has(i18n.Chinese, t.ID) }
