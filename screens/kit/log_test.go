package kit

import (
	"io"
	"kiosk/model/i18n"
	"log/slog"
)

func newLog(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// zht renders a catalog text in Chinese.
func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }
