package usb

import (
	"context"
	"errors"
	"io"

	"kiosk/model/material"
)

// ReadChunk is how much is read between two progress reports.
const ReadChunk = 256 << 10

// Read reads the file rel of the stick whole, reporting progress (bytes
// done and the file's size; progress may be nil) after each chunk and
// stopping when ctx ends. A file larger than limit (0: no limit) is
// refused before it is read with material.TooLarge(limit), and so is one
// that grows past it while being read.
func Read(ctx context.Context, root, rel string, limit int64, progress func(done, total int64)) ([]byte, error) {
	f, fi, err := open(root, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	total := fi.Size()
	if limit > 0 && total > limit {
		return nil, material.TooLarge(limit)
	}
	buf := make([]byte, 0, total)
	chunk := make([]byte, ReadChunk)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if limit > 0 && int64(len(buf)) > limit {
			return nil, material.TooLarge(limit)
		}
		if progress != nil && n > 0 {
			progress(int64(len(buf)), max(total, int64(len(buf))))
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, ErrUnreadable.with(err)
		}
	}
}
