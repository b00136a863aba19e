package model

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"kiosk/model/material"
)

// WriteMaterial reads r to its end and stores it as chunks of at most
// MaxChunkSize bytes, each in a short Update of its own (so no transaction
// comes near an engine's limits), and returns the Material without Kind,
// Name and MIME, which the caller knows: its Size, SHA256 and Chunks in
// order. More than maxSize bytes is material.TooLarge(maxSize), none
// material.ErrEmpty: the picker checks both before, this is the last word.
//
// The chunks are written before the appeal that references them. Until
// that appeal is filed they belong to nobody: chunks of an upload that
// fails or is abandoned are collected by CollectOrphanChunks once they are
// older than its grace period.
func WriteMaterial(ctx context.Context, s Store, clock Clock, r io.Reader, maxSize int64) (Material, error) {
	var (
		m    Material
		sum  = sha256.New()
		buf  = make([]byte, MaxChunkSize)
		done bool
	)
	for !done {
		n, err := io.ReadFull(r, buf)
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			done = true
		case err != nil:
			return Material{}, fmt.Errorf("read material: %w", err)
		}
		if n == 0 {
			break
		}
		if m.Size+int64(n) > maxSize {
			return Material{}, material.TooLarge(maxSize)
		}
		if err := ctx.Err(); err != nil {
			return Material{}, err
		}
		chunk := buf[:n]
		var id string
		err = s.Update(ctx, func(tx Tx) error {
			var err error
			id, err = tx.Blobs().PutChunk(chunk, clock.Now())
			return err
		})
		if err != nil {
			return Material{}, fmt.Errorf("store material chunk %d: %w", len(m.Chunks), err)
		}
		sum.Write(chunk)
		m.Size += int64(n)
		m.Chunks = append(m.Chunks, id)
	}
	if m.Size == 0 {
		return Material{}, material.ErrEmpty
	}
	m.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return m, nil
}

// ReadMaterial reads m's chunks back, each in a View of its own, and checks
// the whole against m.Size and m.SHA256. A chunk that is gone is
// ErrMaterialMissing; one that does not open, or a whole that does not
// match, ErrMaterialCorrupt; purged materials ErrMaterialPurged.
func ReadMaterial(ctx context.Context, s Store, m Material) ([]byte, error) {
	if len(m.Chunks) == 0 {
		if m.Size > 0 {
			return nil, ErrMaterialPurged
		}
		return nil, material.ErrEmpty
	}
	if m.Size <= 0 || int64(len(m.Chunks)) > (m.Size+MaxChunkSize-1)/MaxChunkSize {
		return nil, fmt.Errorf("material of %d bytes in %d chunks: %w", m.Size, len(m.Chunks), ErrMaterialCorrupt)
	}
	out := bytes.NewBuffer(make([]byte, 0, m.Size))
	for i, id := range m.Chunks {
		var data []byte
		err := s.View(ctx, func(tx Tx) error {
			var err error
			data, err = tx.Blobs().GetChunk(id)
			return err
		})
		switch {
		case errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("chunk %d (%s): %w", i, id, ErrMaterialMissing)
		case err != nil:
			return nil, fmt.Errorf("chunk %d (%s): %w", i, id, err)
		case int64(out.Len()+len(data)) > m.Size:
			return nil, fmt.Errorf("chunk %d (%s) beyond the size of %d: %w", i, id, m.Size, ErrMaterialCorrupt)
		}
		out.Write(data)
	}
	got := sha256.Sum256(out.Bytes())
	if int64(out.Len()) != m.Size || hex.EncodeToString(got[:]) != m.SHA256 {
		return nil, fmt.Errorf("material read back as %d bytes, SHA-256 %x, want %d bytes, %s: %w",
			out.Len(), got, m.Size, m.SHA256, ErrMaterialCorrupt)
	}
	return out.Bytes(), nil
}
