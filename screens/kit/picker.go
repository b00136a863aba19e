package kit

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/usb"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// FilePicker chooses a material from a USB stick: a list of the folders
// and of the files whose content is an accepted type (devices/usb: nothing
// outside the stick is reachable, no "..", no link that leads out), opened
// folder by folder. A chosen file is read in a command with a progress
// bar, checked by content (model/material) and against the size limits,
// and a picture is shown for review before it is used. Refusals (a PNG
// called .pdf, a program called .jpg, a file too large) are said above the
// list. It reports StepDone{form.File} (with the content and its type) or
// StepBack.
type FilePicker struct {
	Base
	a       *App
	id      string
	root    string
	dir     string // relative to root, slash-separated, "" at the root
	accept  []material.Type
	limits  material.Limits
	used    int64 // bytes the appeal's other materials take already
	list    *List
	items   []usb.Entry
	listed  bool // a listing has come back
	err     i18n.Text
	load    *Loader
	reading *readJob
	jobs    int
	bar     progress.Model
	done    int64
	total   int64
	review  *pickedFile
	buttons ButtonRow
	w, h    int
}

// NewFilePicker lists root (the USB mount point) showing files whose
// content is one of the types the extensions name (".pdf", ".jpg"; none:
// every material type). The limits are material.DefaultLimits with
// nothing used; SetBudget changes them.
func NewFilePicker(a *App, id, root string, accept []string) *FilePicker {
	types := material.FromExts(accept)
	if len(types) == 0 {
		types = material.Types
	}
	p := &FilePicker{a: a, id: id, root: root, accept: types, limits: material.DefaultLimits,
		list: NewList(a, id+":list", Column{Title: "picker.name"}, Column{Title: "material.picker.type", Width: 8},
			Column{Title: "picker.size", Width: 10}),
		load:    NewLoader(a, id+":read"),
		bar:     progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage()),
		buttons: NewButtonRow(a, id+":review")}
	p.list.Empty = "picker.empty"
	return p
}

// SetBudget sets the size limits and how many bytes of the appeal's
// materials are taken already: a file that would pass either limit is
// refused before it is read.
func (p *FilePicker) SetBudget(limits material.Limits, used int64) {
	p.limits, p.used = limits.OrDefault(), max(used, 0)
}

func (p *FilePicker) Init() tea.Cmd { return p.read("") }

func (p *FilePicker) SetSize(w, h int) {
	p.w, p.h = w, h
	p.list.SetSize(w-4, h-7)
	p.bar.Width = max(min(w-8, 60), 10)
}

// read lists dir (relative to the root) in a command.
func (p *FilePicker) read(dir string) tea.Cmd {
	if p.root == "" {
		p.err = i18n.T("picker.no_stick")
		return nil
	}
	root, accept := p.root, p.accept
	return p.load.Run("picker.reading", OpTimeout, func(context.Context) (any, error) {
		items, err := usb.List(root, dir, accept)
		return dirListing{dir: dir, items: items}, err
	})
}

type dirListing struct {
	dir   string
	items []usb.Entry
}

func (p *FilePicker) Help() []key.Binding {
	switch {
	case p.reading != nil:
		b := p.a.Keys.Back
		b.SetHelp(b.Help().Key, "material.picker.cancel")
		return []key.Binding{b}
	case p.review != nil:
		return append(p.buttons.Help(), p.a.Keys.Back)
	}
	return append(p.list.Help("picker.open"), p.a.Keys.Back)
}

func (p *FilePicker) Update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case readProgress:
		if m.picker == p.id && p.reading != nil && m.job == p.reading.n {
			p.done, p.total = m.done, m.total
			return p.wait(p.reading)
		}
		return nil
	case readDone:
		if m.picker == p.id && p.reading != nil && m.job == p.reading.n {
			return p.finished(m)
		}
		return nil
	}
	if cmd, done := p.load.Update(msg); done != nil {
		return p.took(done)
	} else if cmd != nil {
		return cmd
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.a.Keys.Back) {
		switch {
		case p.reading != nil:
			p.stopReading()
			return nil
		case p.review != nil:
			p.review = nil
			return nil
		}
		return Emit(StepBack{})
	}
	switch {
	case p.load.Running(), p.reading != nil:
		return nil
	case p.review != nil:
		return p.reviewPress(p.buttons.Update(msg))
	}
	i := p.list.Update(msg)
	if i < 0 {
		return nil
	}
	if p.dir != "" {
		if i == 0 {
			up := path.Dir(p.dir)
			if up == "." {
				up = ""
			}
			return p.read(up)
		}
		i--
	}
	if i >= len(p.items) {
		return nil
	}
	it := p.items[i]
	if it.Dir {
		return p.read(path.Join(p.dir, it.Name))
	}
	return p.pick(it)
}

// took takes a folder's listing.
func (p *FilePicker) took(done *Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		p.err, cmd = p.a.Fail("usb list", done.Err)
		return cmd
	}
	l := done.Value.(dirListing)
	p.dir, p.items, p.err, p.listed = l.dir, l.items, i18n.Text{}, true
	rows := [][]string{}
	if p.dir != "" {
		rows = append(rows, []string{"‹ " + p.a.S("picker.up"), "", ""})
	}
	for _, it := range p.items {
		name := rules.Sanitize(it.Name)
		switch {
		case it.Dir:
			rows = append(rows, []string{"▸ " + name, "", p.a.S("picker.folder")})
		case it.Err != nil:
			rows = append(rows, []string{name, p.a.S("material.picker.refused"), size(it.Size)})
		default:
			rows = append(rows, []string{name, it.Type.Short(), size(it.Size)})
		}
	}
	p.list.SetRows(rows)
	p.list.Select(0)
	return nil
}

// pick refuses a file with its sentence, or starts reading it.
func (p *FilePicker) pick(it usb.Entry) tea.Cmd {
	err := it.Err
	if err == nil {
		err = p.limits.CheckAdd(p.used, it.Size)
	}
	if err != nil {
		var cmd tea.Cmd
		p.err, cmd = p.a.Fail("usb pick", err)
		return cmd
	}
	p.err = i18n.Text{}
	p.jobs++
	p.reading = newReadJob(readSpec{picker: p.id, job: p.jobs, root: p.root, rel: path.Join(p.dir, it.Name),
		name: it.Name, limit: p.limits.Room(p.used), accept: p.accept})
	p.done, p.total = 0, it.Size
	return p.wait(p.reading)
}

// wait is the next report of a read, in the picker's progress slot: the
// slot ending (返回, the visit over) stops the read.
func (p *FilePicker) wait(j *readJob) tea.Cmd {
	return p.a.InFor(p.id+":progress", readTimeout, j.next)
}

func (p *FilePicker) stopReading() {
	if p.reading != nil {
		p.reading.cancel()
		p.reading = nil
	}
	p.a.Drop(p.id + ":progress")
}

// finished takes a read's result: a refusal is said above the list, a
// picture is shown for review, a document is used at once (the list
// showed its type and size).
func (p *FilePicker) finished(m readDone) tea.Cmd {
	p.reading = nil
	if m.err != nil {
		if errors.Is(m.err, usb.ErrUnreadable) {
			p.a.LogError("usb read", m.err) // an I/O error: the detail is for the log
		}
		var cmd tea.Cmd
		p.err, cmd = p.a.Fail("usb read", m.err)
		return cmd
	}
	if m.file.Type.IsImage() {
		p.review = &pickedFile{file: m.file, thumb: m.thumb}
		p.buttons.Set(Btn{ID: "use", Label: "material.picker.use"}, Btn{ID: "again", Label: "material.picker.again"})
		return nil
	}
	return Emit(StepDone{Result: m.file})
}

func (p *FilePicker) reviewPress(id string) tea.Cmd {
	switch id {
	case "use":
		f := p.review.file
		p.review = nil
		return Emit(StepDone{Result: f})
	case "again":
		p.review = nil
	}
	return nil
}

func (p *FilePicker) Leave() tea.Cmd {
	p.load.Cancel()
	p.stopReading()
	return nil
}

func (p *FilePicker) View() string {
	st := p.a.St
	where := p.a.S("picker.stick")
	if p.dir != "" {
		where += " / " + rules.Sanitize(strings.ReplaceAll(p.dir, "/", " / "))
	}
	lines := []string{"  " + st.Title.Render(p.a.S("picker.title")), "  " + st.Muted.Render(where), ""}
	switch {
	case p.reading != nil:
		lines = append(lines, p.readingView()...)
	case p.review != nil:
		lines = append(lines, p.reviewView()...)
	case p.load.Running():
		lines = append(lines, "  "+p.load.View())
	default:
		if !p.err.IsZero() {
			for _, l := range widget.Wrap(p.a.T(p.err), max(p.w-4, 20)) {
				lines = append(lines, "  "+st.Error.Render(l))
			}
		}
		if p.listed {
			lines = append(lines, p.list.View())
		}
	}
	return strings.Join(lines, "\n")
}

func (p *FilePicker) readingView() []string {
	st := p.a.St
	name := rules.Sanitize(path.Base(p.reading.spec.rel))
	frac := 0.0
	if p.total > 0 {
		frac = min(float64(p.done)/float64(p.total), 1)
	}
	return []string{
		"  " + st.Text.Render(p.a.S("material.picker.reading", "Name", name)),
		"",
		"  " + p.bar.ViewAs(frac),
		"  " + st.Muted.Render(p.a.S("material.picker.progress", "Done", size(p.done), "Total", size(p.total))),
	}
}

func (p *FilePicker) reviewView() []string {
	st := p.a.St
	f := p.review.file
	lines := []string{
		"  " + st.Text.Render(p.a.S("material.picker.name", "Name", rules.Sanitize(f.Name))),
		"  " + st.Muted.Render(p.a.S("material.picker.info", "Type", f.Type.Label(), "Size", size(f.Size))),
		"",
	}
	if t := p.review.thumb; t != nil {
		b := t.Bounds()
		cols, rows := widget.FitCells(b.Dx(), b.Dy(), max(p.w-4, 10), max(p.h-12, 4))
		for _, l := range strings.Split(widget.HalfBlock(t, cols, rows), "\n") {
			lines = append(lines, "  "+l)
		}
	}
	for _, l := range widget.Wrap(p.a.S("material.picker.review"), max(p.w-4, 20)) {
		lines = append(lines, "  "+st.Muted.Render(l))
	}
	return append(lines, "", "  "+p.buttons.View())
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
