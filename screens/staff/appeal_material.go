package staff

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// One material of the appeal on a page of its own: a picture (JPEG, PNG)
// read through the use case (audited, checked against its hash), decoded
// off the event loop and drawn with half-block cells to fit the room; a
// document (PDF, DOC, XLS, DOCX, XLSX) only named with its type and size:
// the kiosk renders no document (a parser of a stranger's file is the
// last thing a terminal in a public hall should run), and its content is
// not read at all, so no audit record claims it was seen. 上一份 / 下一份
// and the number keys go through the seven.

// Limits of a picture drawn in the terminal.
const (
	// maxPicturePixels refuses a picture whose size would take hundreds
	// of megabytes to decode (a few bytes of PNG can claim 60000×60000).
	maxPicturePixels = 40_000_000
	// thumbSide is the longest side the decoded picture is kept at: more
	// than any terminal shows in half-blocks, so the original is dropped
	// right after decoding.
	thumbSide = 480
)

// Refusals of a picture that cannot be drawn.
var errPictureBad = &model.DomainError{Code: "material_picture_bad", Msg: i18n.T("staff.appeals.picture_bad")}

func errPictureTooLarge(w, h int) error {
	return &model.DomainError{Code: "material_picture_too_large", Msg: i18n.T("staff.appeals.picture_too_large", "W", w, "H", h)}
}

// picture is a decoded material, kept small, with its drawing for the
// last room it was drawn in.
type picture struct {
	img     *image.RGBA
	w, h    int // the original's size
	cols    int
	rows    int
	profile termenv.Profile
	lines   []string
}

// decodePicture decodes a JPEG or PNG (named by its content, never by the
// stored type alone) within maxPicturePixels and keeps it at thumbSide.
func decodePicture(data []byte) (*picture, error) {
	var decode func([]byte) (image.Image, error)
	var config func([]byte) (image.Config, error)
	switch material.Sniff(data) {
	case material.JPEG:
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
	case material.PNG:
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
	default:
		return nil, errPictureBad
	}
	cfg, err := config(data)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errPictureBad
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPicturePixels {
		return nil, errPictureTooLarge(cfg.Width, cfg.Height)
	}
	img, err := decode(data)
	if err != nil {
		return nil, errPictureBad
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	tw, th := w, h
	if longest := max(w, h); longest > thumbSide {
		tw, th = max(w*thumbSide/longest, 1), max(h*thumbSide/longest, 1)
	}
	px := widget.Downscale(img, tw, th)
	thumb := image.NewRGBA(image.Rect(0, 0, tw, th))
	for i, c := range px {
		thumb.Pix[4*i], thumb.Pix[4*i+1], thumb.Pix[4*i+2], thumb.Pix[4*i+3] = c.R, c.G, c.B, 0xff
	}
	return &picture{img: thumb, w: w, h: h}, nil
}

// showMaterial opens material i: a picture is read and decoded.
func (s *appealsScreen) showMaterial(i int) tea.Cmd {
	ms := s.appeal.Materials
	if i < 0 || i >= len(ms) {
		return nil
	}
	s.phase, s.idx, s.pic, s.errMsg, s.notice = phaseMaterial, i, nil, i18n.Text{}, i18n.Text{}
	s.materialButtons()
	m := ms[i]
	if !typeOf(m).IsImage() || s.appeal.MaterialsPurged || len(m.Chunks) == 0 {
		s.mat.Cancel()
		return nil
	}
	accounts, who, id, kind := s.a.Deps.Accounts, who(s.a), s.appeal.ID, m.Kind
	return s.mat.Run("staff.appeals.reading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, errNoDesk
		}
		data, err := accounts.AppealMaterial(ctx, who, id, kind)
		if err != nil {
			return nil, err
		}
		return decodePicture(data)
	})
}

// shown takes a picture read and decoded.
func (s *appealsScreen) shown(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff appeal material", done.Err)
		return cmd
	}
	s.pic = done.Value.(*picture)
	return nil
}

// materialButtons: 上一份 and 下一份 where there is one, 返回详情; the
// focus stays where it was (enter pressed again goes on).
func (s *appealsScreen) materialButtons() {
	n := len(s.appeal.Materials)
	s.mrow.Reset(kit.Btn{ID: AppealPrev, Label: "staff.appeals.prev", Disabled: s.idx <= 0},
		kit.Btn{ID: AppealNext, Label: "staff.appeals.next", Disabled: s.idx >= n-1},
		kit.Btn{ID: AppealBack, Label: "staff.appeals.back_detail"})
}

func (s *appealsScreen) materialInput(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		n := len(s.appeal.Materials)
		switch {
		case key.Matches(k, s.a.Keys.Back):
			s.backToDetail()
			return nil
		case n > 0 && key.Matches(k, materialKeys(n)):
			return s.showMaterial(int(k.Runes[0] - '1'))
		}
	}
	switch s.mrow.Update(msg) {
	case AppealPrev:
		return s.showMaterial(s.idx - 1)
	case AppealNext:
		return s.showMaterial(s.idx + 1)
	case AppealBack:
		s.backToDetail()
	}
	return nil
}

// backToDetail leaves the material page; the picture goes with it.
func (s *appealsScreen) backToDetail() {
	s.mat.Cancel()
	s.phase, s.pic, s.errMsg = phaseDetail, nil, i18n.Text{}
}

func (s *appealsScreen) materialView() string {
	a, st := s.a, s.a.St
	p := page{title: "staff.appeals.material_title", errMsg: s.errMsg, working: s.mat.View(),
		buttons: buttonLines(&s.mrow, s.w, s.h)}
	tw := 1 << 16
	if s.w > 0 {
		tw = max(s.w-4, 20)
	}
	var body []string
	for _, l := range widget.Wrap(s.materialText(s.idx), tw) {
		body = append(body, "  "+st.Text.Render(l))
	}
	body = append(body, "")
	m := s.appeal.Materials[s.idx]
	switch {
	case s.appeal.MaterialsPurged || len(m.Chunks) == 0:
		body = append(body, para(a, model.ErrMaterialPurged.Message(), s.w, st.Muted.Render)...)
	case !typeOf(m).IsImage():
		body = append(body, para(a, i18n.T("staff.appeals.document", "Type", typeOf(m).Label()), s.w, st.Muted.Render)...)
	case s.pic != nil:
		room := 1 << 10
		if s.h > 0 {
			room = s.h - 4 - len(body) - len(p.buttons) - len(p.messages(a, tw))
		}
		body = append(body, s.pictureLines(tw, max(room, 2))...)
	}
	p.body = body
	return p.render(a, s.w)
}

// pictureLines draws the picture within cols×rows cells, keeping its
// shape; the drawing is kept for as long as the room does not change.
func (s *appealsScreen) pictureLines(cols, rows int) []string {
	pc := s.pic
	b := pc.img.Bounds()
	c, r := widget.FitCells(b.Dx(), b.Dy(), cols, rows)
	profile := lipgloss.ColorProfile()
	if pc.lines == nil || pc.cols != c || pc.rows != r || pc.profile != profile {
		pc.cols, pc.rows, pc.profile = c, r, profile
		pc.lines = strings.Split(widget.HalfBlockProfile(pc.img, c, r, profile), "\n")
		for i, l := range pc.lines {
			pc.lines[i] = "  " + s.a.Sprites.Put(l, c) // true colour is kilobytes a line
		}
	}
	return pc.lines
}
