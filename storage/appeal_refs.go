package storage

import (
	"slices"
	"time"
)

// References from appeals to chunks (see doc.go). An appeal references its
// chunks with one entry per chunk (idx/blob/ref/<chunk>/<appeal id>), and
// a Put that adds or drops many of them at once would be too large for
// one transaction of an engine that bounds it (etcd: 128 writes and 128
// compares, and every chunk costs about three of each). So references can
// be made ahead of the appeal's Put (Reserve, in batches) and dropped after
// it (Release, in batches). While the chunks an appeal references differ
// from those its stored version holds, its manifest says which they are:
//
//	mf/<appeal id>                        sealed manifestRec: every chunk the appeal references
//	idx/mf/loose/<N(since)>/<appeal id>   empty; the manifests, oldest first
//
// Without a manifest the appeal references exactly the chunks of its
// stored version (none when it is not stored), as every appeal did before
// manifests existed. So one short read tells a Put which references exist.
const (
	manifestPrefix   = "mf/"
	idxManifestLoose = "idx/mf/loose/"
	// inlineRelease is how many references a Put drops itself; more are
	// left in the manifest for Release.
	inlineRelease = 8
)

type manifestRec struct {
	Chunks []string  `json:"c,omitempty"`
	Since  time.Time `json:"t,omitzero"`
}

func manifestLooseKey(appealID string, since time.Time) string {
	return idxManifestLoose + nanoKey(since) + "/" + appealID
}

// refState is what an appeal references: its manifest when it has one,
// otherwise the chunks of its stored version.
type refState struct {
	appealID string
	chunks   []string    // referenced
	held     []string    // held by the stored version
	man      manifestRec // valid when hasMan
	hasMan   bool
}

// refsOf reads what appeal id references; held are the chunks of its
// stored version (nil when it is not stored).
func (r blobs) refsOf(id string, held []string) (refState, error) {
	st := refState{appealID: id, chunks: held, held: held}
	ok, err := r.t.getRecAt(recordKey(manifestPrefix, id), &st.man)
	if err != nil {
		return st, err
	}
	if ok {
		st.hasMan, st.chunks = true, st.man.Chunks
	}
	return st, nil
}

// storedChunks are the chunks of the stored version of appeal id, nil when
// there is none.
func (r blobs) storedChunks(id string) ([]string, error) {
	var rec appealRec
	ok, err := r.t.getRecAt(recordKey(appealPrefix, id), &rec)
	if err != nil || !ok {
		return nil, err
	}
	return rec.model().ChunkIDs(), nil
}

// settle records that the appeal now references chunks and its stored
// version holds held: a manifest while some referenced chunk is not held
// (kept since its first write, or since when at its first), none otherwise.
func (r blobs) settle(st refState, chunks, held []string, since time.Time) error {
	surplus := slices.ContainsFunc(chunks, func(c string) bool { return !slices.Contains(held, c) })
	key := manifestPrefix + st.appealID
	if !surplus {
		if !st.hasMan {
			return nil
		}
		return r.t.deleteKeys(key, manifestLooseKey(st.appealID, st.man.Since))
	}
	m := manifestRec{Chunks: slices.Clone(chunks), Since: since}
	if st.hasMan {
		m.Since = st.man.Since
	} else if err := r.t.kv.Put([]byte(manifestLooseKey(st.appealID, m.Since)), nil); err != nil {
		return err
	}
	return r.t.putRec(key, m)
}

// Reserve references chunks from appeal appealID ahead of its Put (see
// model.BlobRepo). Every chunk it newly references must exist; nothing is
// written otherwise.
func (r blobs) Reserve(appealID string, chunks []string, now time.Time) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("appeal", appealID); err != nil {
		return err
	}
	held, err := r.storedChunks(appealID)
	if err != nil {
		return err
	}
	st, err := r.refsOf(appealID, held)
	if err != nil {
		return err
	}
	add := newChunks(st.chunks, chunks)
	if len(add) == 0 {
		return nil
	}
	if err := r.checkChunks(nil, add); err != nil {
		return err
	}
	if err := r.addRefs(appealID, add); err != nil {
		return err
	}
	return r.settle(st, append(slices.Clone(st.chunks), add...), held, now)
}

// Release drops up to limit references of appeal appealID that its stored
// version does not hold and returns how many such references are left.
func (r blobs) Release(appealID string, limit int) (int, error) {
	if err := r.t.checkWrite(); err != nil {
		return 0, err
	}
	if !validID(appealID) {
		return 0, nil
	}
	held, err := r.storedChunks(appealID)
	if err != nil {
		return 0, err
	}
	st, err := r.refsOf(appealID, held)
	if err != nil || !st.hasMan {
		return 0, err
	}
	var drop, keep []string
	for _, c := range st.chunks {
		if !slices.Contains(held, c) && len(drop) < max(limit, 0) {
			drop = append(drop, c)
		} else {
			keep = append(keep, c)
		}
	}
	if err := r.dropRefs(appealID, drop); err != nil {
		return 0, err
	}
	if err := r.settle(st, keep, held, st.man.Since); err != nil {
		return 0, err
	}
	left := 0
	for _, c := range keep {
		if !slices.Contains(held, c) {
			left++
		}
	}
	return left, nil
}

// Unsettled walks the manifests from the oldest and stops at before.
func (r blobs) Unsettled(before time.Time, cursor string, limit int) ([]string, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	return walkTimeIndex(r.t.kv, idxManifestLoose, cursor, "manifest", before, limit)
}

// putRefs is the part of an appeal's Put about its references: it
// references the chunks of want it does not reference yet (checked to
// exist before, by checkChunks against st.chunks), drops those it no
// longer holds when they are few, and leaves the others to Release in its
// manifest, since the appeal's UpdatedAt.
func (r blobs) putRefs(st refState, want []string, updated time.Time) error {
	add := newChunks(st.chunks, want)
	if err := r.addRefs(st.appealID, add); err != nil {
		return err
	}
	chunks := append(slices.Clone(st.chunks), add...)
	var surplus []string
	for _, c := range chunks {
		if !slices.Contains(want, c) {
			surplus = append(surplus, c)
		}
	}
	if len(surplus) <= inlineRelease {
		if err := r.dropRefs(st.appealID, surplus); err != nil {
			return err
		}
		chunks = want
	}
	return r.settle(st, chunks, want, updated)
}

// newChunks are the chunks of want, each once, that have lacks.
func newChunks(have, want []string) []string {
	var out []string
	for _, c := range want {
		if !slices.Contains(have, c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// addRefs references chunks from the appeal: a chunk gaining its first
// reference leaves the unreferenced index.
func (r blobs) addRefs(appealID string, chunks []string) error {
	for _, c := range chunks {
		used, err := r.Referenced(c)
		if err != nil {
			return err
		}
		if !used {
			info, _, err := r.info(c)
			if err != nil {
				return err
			}
			if err := r.t.kv.Delete([]byte(looseKey(c, info.Touched))); err != nil {
				return err
			}
		}
		if err := r.t.kv.Put([]byte(refKey(c, appealID)), nil); err != nil {
			return err
		}
	}
	return nil
}

// dropRefs drops the appeal's references to chunks: one losing its last
// reference enters the unreferenced index at its TouchedAt.
func (r blobs) dropRefs(appealID string, chunks []string) error {
	for _, c := range chunks {
		if err := r.t.kv.Delete([]byte(refKey(c, appealID))); err != nil {
			return err
		}
		used, err := r.Referenced(c)
		if err != nil {
			return err
		}
		info, ok, err := r.info(c)
		if err != nil {
			return err
		}
		if !used && ok {
			if err := r.t.kv.Put([]byte(looseKey(c, info.Touched)), nil); err != nil {
				return err
			}
		}
	}
	return nil
}
