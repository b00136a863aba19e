package kit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/form"
)

// FilePicker chooses a file from a USB stick: a list of the folders and
// accepted files under its root, opened folder by folder. It never leaves
// the root (no "..", no symbolic links followed) and reads the disk in
// commands. It reports StepDone{form.File} or StepBack.
type FilePicker struct {
	Base
	a      *App
	id     string
	root   string
	dir    string // relative to root, "" at the root
	accept []string
	list   *List
	items  []pickItem
	err    i18n.Text
	load   *Loader
}

type pickItem struct {
	name string
	dir  bool
	size int64
}

// NewFilePicker lists root (the USB mount point) showing files with the
// accepted extensions (".pdf"; none: every file).
func NewFilePicker(a *App, id, root string, accept []string) *FilePicker {
	p := &FilePicker{a: a, id: id, root: root, accept: accept,
		list: NewList(a, id+":list", Column{Title: "picker.name"}, Column{Title: "picker.size", Width: 10}),
		load: NewLoader(a, id+":read")}
	p.list.Empty = "picker.empty"
	return p
}

func (p *FilePicker) Init() tea.Cmd { return p.read("") }

func (p *FilePicker) SetSize(w, h int) { p.list.SetSize(w-4, h-6) }

// read lists dir (relative to the root) in a command.
func (p *FilePicker) read(dir string) tea.Cmd {
	if p.root == "" {
		p.err = i18n.T("picker.no_stick")
		return nil
	}
	root, accept := p.root, p.accept
	return p.load.Run("picker.reading", OpTimeout, func(context.Context) (any, error) {
		return readDir(root, dir, accept)
	})
}

type dirListing struct {
	dir   string
	items []pickItem
}

func readDir(root, dir string, accept []string) (dirListing, error) {
	full := filepath.Join(root, dir)
	ents, err := os.ReadDir(full)
	if err != nil {
		return dirListing{}, err
	}
	var items []pickItem
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") || e.Type()&os.ModeSymlink != 0 {
			continue // hidden files, and links that could lead out of the stick
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		switch {
		case e.IsDir():
			items = append(items, pickItem{name: e.Name(), dir: true})
		case info.Mode().IsRegular() && accepted(e.Name(), accept):
			items = append(items, pickItem{name: e.Name(), size: info.Size()})
		}
	}
	slices.SortFunc(items, func(a, b pickItem) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	return dirListing{dir: dir, items: items}, nil
}

func accepted(name string, accept []string) bool {
	if len(accept) == 0 {
		return true
	}
	return slices.Contains(accept, strings.ToLower(filepath.Ext(name)))
}

func (p *FilePicker) Help() []key.Binding {
	return append(p.list.Help("picker.open"), p.a.Keys.Back)
}

func (p *FilePicker) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := p.load.Update(msg); done != nil {
		if done.Err != nil {
			p.err = i18n.T("picker.unreadable")
			p.a.LogError("usb read", done.Err)
			return nil
		}
		l := done.Value.(dirListing)
		p.dir, p.items, p.err = l.dir, l.items, i18n.Text{}
		rows := [][]string{}
		if p.dir != "" {
			rows = append(rows, []string{"‹ " + p.a.S("picker.up"), ""})
		}
		for _, it := range p.items {
			if it.dir {
				rows = append(rows, []string{"▸ " + it.name, p.a.S("picker.folder")})
			} else {
				rows = append(rows, []string{it.name, size(it.size)})
			}
		}
		p.list.SetRows(rows)
		p.list.Select(0)
		return nil
	} else if cmd != nil {
		return cmd
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.a.Keys.Back) {
		return Emit(StepBack{})
	}
	if p.load.Running() {
		return nil
	}
	i := p.list.Update(msg)
	if i < 0 {
		return nil
	}
	if p.dir != "" {
		if i == 0 {
			up := filepath.Dir(p.dir)
			if up == "." {
				up = ""
			}
			return p.read(up)
		}
		i--
	}
	it := p.items[i]
	rel := filepath.Join(p.dir, it.name)
	if it.dir {
		return p.read(rel)
	}
	return Emit(StepDone{Result: form.File{Name: it.name, Path: filepath.Join(p.root, rel), Size: it.size}})
}

func (p *FilePicker) Leave() tea.Cmd {
	p.load.Cancel()
	return nil
}

func (p *FilePicker) View() string {
	st := p.a.St
	where := p.a.S("picker.stick")
	if p.dir != "" {
		where += " / " + strings.ReplaceAll(p.dir, string(filepath.Separator), " / ")
	}
	lines := []string{"  " + st.Title.Render(p.a.S("picker.title")), "  " + st.Muted.Render(where), ""}
	switch {
	case !p.err.IsZero():
		lines = append(lines, "  "+st.Error.Render(p.a.T(p.err)))
	case p.load.Running():
		lines = append(lines, "  "+p.load.View())
	default:
		lines = append(lines, p.list.View())
	}
	return strings.Join(lines, "\n")
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
