package storage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

// Chunks of appeal materials (see doc.go). A chunk's id is the hex
// HMAC-SHA256 of its bytes under Keys.Derive(blobChunkLabel): content
// addressing (the same bytes, the same id, stored once) without letting
// someone who holds the database file but not the keys confirm a guess of
// what a chunk holds, which a plain SHA-256 in the key would.
const (
	blobPrefix     = "blob/"           // <id> → sealed bytes
	blobInfoPrefix = "blobinfo/"       // <id> → sealed chunkInfoRec
	idxBlobLoose   = "idx/blob/loose/" // <N(touched)>/<id> → "": referenced by no appeal
	idxBlobRef     = "idx/blob/ref/"   // <id>/<appeal id> → "": the appeal references the chunk
	blobChunkLabel = "blob-chunk"
)

type blobs struct{ t *tx }

// chunkID is the content address of data.
func (r blobs) chunkID(data []byte) string {
	m := hmac.New(sha256.New, r.t.keys.Derive(blobChunkLabel))
	m.Write(data)
	return hex.EncodeToString(m.Sum(nil))
}

func looseKey(id string, touched time.Time) string { return idxBlobLoose + nanoKey(touched) + "/" + id }

func refKey(chunk, appealID string) string { return idxBlobRef + chunk + "/" + appealID }

// PutChunk stores data once: known bytes only move TouchedAt forward (and
// the chunk's place in the unreferenced index with it).
func (r blobs) PutChunk(data []byte, now time.Time) (string, error) {
	if err := r.t.checkWrite(); err != nil {
		return "", err
	}
	if len(data) == 0 || len(data) > model.MaxChunkSize {
		return "", fmt.Errorf("%w: chunk of %d bytes (1 to %d)", ErrInvalidRecord, len(data), model.MaxChunkSize)
	}
	id := r.chunkID(data)
	info, ok, err := r.info(id)
	if err != nil {
		return "", err
	}
	used, err := r.Referenced(id)
	if err != nil {
		return "", err
	}
	if !ok {
		key := blobPrefix + id
		if err := r.t.kv.Put([]byte(key), r.t.keys.seal([]byte(key), data)); err != nil {
			return "", err
		}
		info = chunkInfoRec{Size: len(data), Created: now, Touched: now}
	} else {
		if !now.After(info.Touched) { // a kiosk whose clock lags never moves it back
			return id, nil
		}
		if !used {
			if err := r.t.kv.Delete([]byte(looseKey(id, info.Touched))); err != nil {
				return "", err
			}
		}
		info.Touched = now
	}
	if !used {
		if err := r.t.kv.Put([]byte(looseKey(id, info.Touched)), nil); err != nil {
			return "", err
		}
	}
	return id, r.t.putRec(blobInfoPrefix+id, info)
}

// info reads a chunk's description; ok is false when there is none.
func (r blobs) info(id string) (chunkInfoRec, bool, error) {
	var rec chunkInfoRec
	if !validID(id) {
		return rec, false, nil
	}
	ok, err := r.t.getRecAt(recordKey(blobInfoPrefix, id), &rec)
	return rec, ok, err
}

// GetChunk opens the chunk and checks it against its id. A chunk that
// does not open or does not match is ErrCorrupt and
// model.ErrMaterialCorrupt.
func (r blobs) GetChunk(id string) ([]byte, error) {
	if !validID(id) {
		return nil, notFound("chunk " + id)
	}
	data, ok, err := r.t.openAt(recordKey(blobPrefix, id))
	if errors.Is(err, ErrCorrupt) {
		return nil, fmt.Errorf("%w (%w)", err, model.ErrMaterialCorrupt)
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("chunk " + id)
	}
	if !hmac.Equal([]byte(r.chunkID(data)), []byte(id)) {
		return nil, fmt.Errorf("%w: chunk %s does not match its id (%w)", ErrCorrupt, id, model.ErrMaterialCorrupt)
	}
	return data, nil
}

func (r blobs) Stat(id string) (model.ChunkInfo, error) {
	rec, ok, err := r.info(id)
	if err == nil && !ok {
		err = notFound("chunk " + id)
	}
	if err != nil {
		return model.ChunkInfo{}, err
	}
	return rec.model(id), nil
}

// Referenced reads the first reference entry of the chunk, if any.
func (r blobs) Referenced(id string) (bool, error) {
	if !validID(id) {
		return false, nil
	}
	found := false
	err := r.t.kv.Scan([]byte(idxBlobRef+id+"/"), func(_, _ []byte) (bool, error) {
		found = true
		return false, nil
	})
	return found, err
}

// DeleteChunk removes the bytes, the description and the unreferenced
// index entry of a chunk no appeal references.
func (r blobs) DeleteChunk(id string) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if !validID(id) {
		return nil
	}
	used, err := r.Referenced(id)
	if err != nil {
		return err
	}
	if used {
		return fmt.Errorf("chunk %s: %w", id, model.ErrChunkInUse)
	}
	info, ok, err := r.info(id)
	if err != nil {
		return err
	}
	keys := []string{blobPrefix + id, blobInfoPrefix + id}
	if ok {
		keys = append(keys, looseKey(id, info.Touched))
	}
	return r.t.deleteKeys(keys...)
}

// ListChunks walks the descriptions in id order.
func (r blobs) ListChunks(cursor string, limit int) ([]model.ChunkInfo, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	from, err := resume(blobInfoPrefix, cursor, "chunk")
	if err != nil {
		return nil, "", err
	}
	var (
		out  []model.ChunkInfo
		next string
	)
	err = r.t.kv.ScanFrom([]byte(blobInfoPrefix), []byte(from), func(k, v []byte) (bool, error) {
		if len(out) == limit {
			next = out[limit-1].ID
			return false, nil
		}
		var rec chunkInfoRec
		if err := openRec(r.t.keys, k, v, &rec); err != nil {
			return false, err
		}
		out = append(out, rec.model(string(k[len(blobInfoPrefix):])))
		return true, nil
	})
	if next != "" {
		next = blobInfoPrefix + next
	}
	return out, next, err
}

// Unreferenced walks the unreferenced index from the least recently
// touched and stops at before.
func (r blobs) Unreferenced(before time.Time, cursor string, limit int) ([]model.ChunkInfo, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	ids, next, err := walkTimeIndex(r.t.kv, idxBlobLoose, cursor, "unreferenced chunk", before, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]model.ChunkInfo, 0, len(ids))
	for _, id := range ids {
		c, err := r.Stat(id)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	return out, next, nil
}

// resume is where a scan of prefix goes on after cursor, a key the last
// page ended at ("" starts at prefix).
func resume(prefix, cursor, what string) (string, error) {
	if cursor == "" {
		return prefix, nil
	}
	if !strings.HasPrefix(cursor, prefix) || len(cursor) == len(prefix) {
		return "", fmt.Errorf("%w: %s cursor %q", ErrInvalidRecord, what, cursor)
	}
	return cursor + "\x00", nil
}

// walkTimeIndex walks an index of prefix + "<nanotime>/<id>" keys from
// cursor (as resume takes it) in key order and stops at the first entry
// at or after before. It returns the ids of at most limit entries and,
// when more entries before before follow them, the key of the last one
// as the cursor of the next page ("" when the walk is done). what names
// the index in errors.
func walkTimeIndex(tx kv.Tx, prefix, cursor, what string, before time.Time, limit int) (ids []string, next string, err error) {
	from, err := resume(prefix, cursor, what)
	if err != nil {
		return nil, "", err
	}
	bound := nanoKey(before)
	more := false
	err = tx.ScanFrom([]byte(prefix), []byte(from), func(k, _ []byte) (bool, error) {
		rest := string(k[len(prefix):])
		if len(rest) < nanoDigits+2 || rest[nanoDigits] != '/' {
			return false, fmt.Errorf("%w: %s index key %q", ErrCorrupt, what, k)
		}
		if rest[:nanoDigits] >= bound {
			return false, nil
		}
		if len(ids) == limit {
			more = true
			return false, nil
		}
		ids, next = append(ids, rest[nanoDigits+1:]), string(k)
		return true, nil
	})
	if err != nil || !more {
		return ids, "", err
	}
	return ids, next, nil
}

// checkChunks fails with model.ErrMaterialMissing when a chunk of want
// that had lacks is not in the store. It reads one description per such
// chunk.
func (r blobs) checkChunks(had, want []string) error {
	for _, c := range want {
		if slices.Contains(had, c) {
			continue
		}
		if !validID(c) {
			return fmt.Errorf("%w: chunk id %q", ErrInvalidRecord, c)
		}
		if _, ok, err := r.info(c); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("chunk %s: %w", c, model.ErrMaterialMissing)
		}
	}
	return nil
}
