package usb

import (
	"cmp"
	"errors"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"unicode"

	"kiosk/model/material"
)

// MaxEntries bounds a folder's listing: a stick with a huge folder still
// answers quickly (each file's start is read to name its type).
const MaxEntries = 1000

// Entry is one line of a folder's listing.
type Entry struct {
	Name string
	Dir  bool
	Size int64
	// Type is a file's content type, one of those asked for.
	Type material.Type
	// Err, for a file whose name claims an accepted type but whose content
	// is refused (a PNG called .pdf, a program called .jpg), says why: the
	// person looking for it learns why it cannot be used.
	Err error
}

// List lists the folder rel of the stick: its folders, and the files
// whose content is one of accept (their first bytes are sniffed, and a
// zip's directory read), plus the files whose names claim one of accept
// but whose content is refused, with the refusal. Hidden files, links
// that lead out of the stick and anything else are left out. Folders come
// first, then files, each by name.
func List(root, rel string, accept []material.Type) ([]Entry, error) {
	if len(accept) == 0 {
		accept = material.Types
	}
	_, dir, err := resolve(root, rel)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, notFound(err)
	}
	ents, err := f.ReadDir(MaxEntries)
	f.Close()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, ErrUnreadable.with(err)
	}
	var out []Entry
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.IndexFunc(name, unicode.IsControl) >= 0 {
			continue // hidden files (.Trashes, ._x), and names that cannot be shown
		}
		if it, ok := entry(root, path.Join(rel, name), name, accept); ok {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if a.Dir != b.Dir {
			if a.Dir {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out, nil
}

// entry is rel's line, if it has one.
func entry(root, rel, name string, accept []material.Type) (Entry, bool) {
	_, real, err := resolve(root, rel)
	if err != nil {
		return Entry{}, false // a link out of the stick, or one to nowhere
	}
	fi, err := os.Stat(real)
	if err != nil {
		return Entry{}, false
	}
	if fi.IsDir() {
		return Entry{Name: name, Dir: true}, true
	}
	if !fi.Mode().IsRegular() {
		return Entry{}, false
	}
	f, fi, err := open(root, rel)
	if err != nil {
		return Entry{}, false
	}
	defer f.Close()
	t, err := material.CheckReader(f, fi.Size(), name, accept)
	if err == nil {
		return Entry{Name: name, Size: fi.Size(), Type: t}, true
	}
	if claimed, ok := material.FromExt(name); ok && slices.Contains(accept, claimed) {
		return Entry{Name: name, Size: fi.Size(), Err: err}, true
	}
	return Entry{}, false
}
