// Package usb is the kiosk's side of a visitor's USB stick: the stick is
// mounted (read-write, by the system) at a configured folder, and nothing
// outside that folder is ever reachable through it — no "..", no absolute
// path, no symbolic link that leads out. Files are listed by what their
// content is (model/material), read with progress up to a size limit,
// and the 授权书 template can be written to the stick without overwriting
// anything.
//
// Resolve is the pure rule (fuzzed); every open also goes through an
// os.Root at the stick's real path (openat beneath it, symbolic links
// followed only inside) with O_NOFOLLOW on the final element, so a link
// swapped in after Resolve still cannot lead out.
package usb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"kiosk/model/i18n"
)

// Error is a refusal or failure of the stick, with a sentence for the
// screen; errors.Is matches errors of one code, Unwrap gives the cause
// (for the log).
type Error struct {
	Code  string
	Msg   i18n.Text
	cause error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.cause.Error()
	}
	return e.Code
}
func (e *Error) ErrorCode() string  { return e.Code }
func (e *Error) Message() i18n.Text { return e.Msg }
func (e *Error) Unwrap() error      { return e.cause }

// Is matches any Error of the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func (e *Error) with(cause error) *Error { return &Error{Code: e.Code, Msg: e.Msg, cause: cause} }

// The errors of the stick.
var (
	ErrNoStick    = &Error{Code: "usb_no_stick", Msg: i18n.T("usb.no_stick")}
	ErrOutside    = &Error{Code: "usb_outside", Msg: i18n.T("usb.outside")}
	ErrNotFound   = &Error{Code: "usb_not_found", Msg: i18n.T("usb.not_found")}
	ErrNotFile    = &Error{Code: "usb_not_file", Msg: i18n.T("usb.not_file")}
	ErrUnreadable = &Error{Code: "usb_unreadable", Msg: i18n.T("usb.unreadable")}
	ErrSaveFailed = &Error{Code: "usb_save_failed", Msg: i18n.T("usb.save_failed")}
)

// Resolve is the real path of rel (slash-separated, relative to the
// stick's root; "" is the root) when it lies inside the stick: rel must
// not be absolute nor hold a ".." element, and once every symbolic link
// along it is followed (filepath.EvalSymlinks, the root's own included)
// the result must still be the root or beneath it. A path that does not
// exist is ErrNotFound; a missing root is ErrNoStick.
func Resolve(root, rel string) (string, error) {
	_, real, err := resolve(root, rel)
	return real, err
}

// resolve is Resolve that also returns the root's real path.
func resolve(root, rel string) (base, real string, err error) {
	if err := checkRel(rel); err != nil {
		return "", "", err
	}
	base, err = stickRoot(root)
	if err != nil {
		return "", "", err
	}
	real, err = filepath.EvalSymlinks(filepath.Join(base, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", "", ErrNotFound.with(err)
	case err != nil:
		return "", "", ErrOutside.with(err) // a loop of links, a name too long…
	}
	if !within(base, real) {
		return "", "", ErrOutside.with(errors.New(real))
	}
	return base, real, nil
}

// checkRel refuses what is not a plain relative path before the disk is
// touched.
func checkRel(rel string) error {
	switch {
	case strings.ContainsRune(rel, 0):
		return ErrOutside
	case filepath.IsAbs(rel), strings.HasPrefix(rel, "/"), strings.HasPrefix(rel, `\`),
		filepath.VolumeName(rel) != "":
		return ErrOutside
	}
	for _, el := range strings.FieldsFunc(rel, func(r rune) bool { return r == '/' || r == filepath.Separator }) {
		if el == ".." {
			return ErrOutside
		}
	}
	return nil
}

// stickRoot is the real, absolute path of the mount folder, which must be
// a directory.
func stickRoot(root string) (string, error) {
	if root == "" {
		return "", ErrNoStick
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", ErrNoStick.with(err)
	}
	base, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", ErrNoStick.with(err)
	}
	if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
		return "", ErrNoStick.with(err)
	}
	return base, nil
}

// within reports whether p is base or beneath it (both clean and absolute).
func within(base, p string) bool {
	if p == base {
		return true
	}
	prefix := base
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	return strings.HasPrefix(p, prefix)
}

// open opens the regular file rel on the stick for reading.
func open(root, rel string) (*os.File, fs.FileInfo, error) {
	base, real, err := resolve(root, rel)
	if err != nil {
		return nil, nil, err
	}
	inner, err := filepath.Rel(base, real)
	if err != nil {
		return nil, nil, ErrOutside.with(err)
	}
	r, err := os.OpenRoot(base)
	if err != nil {
		return nil, nil, ErrNoStick.with(err)
	}
	defer r.Close()
	// Not a FIFO or a device: opening one could block or do something.
	if fi, err := r.Lstat(inner); err != nil {
		return nil, nil, notFound(err)
	} else if !fi.Mode().IsRegular() {
		return nil, nil, ErrNotFile
	}
	f, err := r.OpenFile(inner, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, notFound(err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, ErrNotFile.with(err)
	}
	return f, fi, nil
}

// notFound sorts an open's error: gone (the stick pulled out) or
// unreadable (an I/O error, or a link swapped in since Resolve that
// os.Root or O_NOFOLLOW refused).
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound.with(err)
	}
	return ErrUnreadable.with(err)
}
