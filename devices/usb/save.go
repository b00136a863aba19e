package usb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxCopies bounds the numbered names SaveTemplate tries.
const maxCopies = 100

// SaveTemplate writes data to the top folder of the stick as name, or,
// when a file (or anything) of that name is there already, as
// "name (1).ext", "name (2).ext"…: nothing on the stick is ever
// overwritten. The file is synced before SaveTemplate returns, so the
// stick may be pulled out at once. It returns the name written.
func SaveTemplate(root, name string, data []byte) (string, error) {
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) ||
		strings.HasPrefix(name, ".") || strings.ContainsRune(name, 0) {
		return "", ErrOutside
	}
	base, err := stickRoot(root)
	if err != nil {
		return "", err
	}
	r, err := os.OpenRoot(base)
	if err != nil {
		return "", ErrNoStick.with(err)
	}
	defer r.Close()
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 0; i < maxCopies; i++ {
		cand := name
		if i > 0 {
			cand = stem + " (" + strconv.Itoa(i) + ")" + ext
		}
		// O_EXCL: a file, folder or link already there is never followed
		// nor replaced.
		f, err := r.OpenFile(cand, os.O_WRONLY|os.O_CREATE|os.O_EXCL|openFlags, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", ErrSaveFailed.with(err)
		}
		_, werr := f.Write(data)
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr); err != nil {
			r.Remove(cand) // a part of a template is no template
			return "", ErrSaveFailed.with(err)
		}
		return cand, nil
	}
	return "", ErrSaveFailed.with(errors.New("too many copies"))
}
