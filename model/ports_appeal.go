package model

import (
	"errors"
	"time"
)

// AppealFilter chooses the appeals List returns. Zero fields do not filter.
type AppealFilter struct {
	State AppealState // only appeals in this state
	Kind  AppealKind  // only appeals of this kind
	// CreatedAfter and CreatedBefore bound CreatedAt: at or after
	// CreatedAfter, strictly before CreatedBefore (the queue's "older than
	// n days" is CreatedBefore = now − n days).
	CreatedAfter  time.Time
	CreatedBefore time.Time
	// NewestFirst orders by CreatedAt from the newest; the default is
	// oldest first, the order the queue is worked in. Appeals created at
	// the same instant come in id order either way.
	NewestFirst bool
}

// AppealRepo stores appeals. Put enforces the unique reference number
// (compared as NormalizeAppealRef) inside the same transaction and
// returns *DuplicateError{"ref"} on a clash, writing nothing.
type AppealRepo interface {
	// Get returns the appeal with id, or ErrNotFound.
	Get(id string) (Appeal, error)
	// ByRef returns the appeal with reference number ref as a person types
	// it (NormalizeAppealRef), or ErrNotFound.
	ByRef(ref string) (Appeal, error)
	// Put stores a new appeal or a new version of one, with its listing
	// entries and a reference from every chunk of its materials to it
	// (dropped for chunks it no longer references, and all of them once
	// MaterialsPurged). Every chunk it newly references must be in the
	// store (written by BlobRepo.PutChunk, before): otherwise
	// ErrMaterialMissing and nothing is written. An appeal whose materials
	// are purged may reference no chunk.
	//
	// A reference costs a transaction a few operations, so an appeal with
	// many chunks has them referenced before, by BlobRepo.Reserve in
	// transactions of their own (ReserveChunks); Put then writes no
	// reference. Put drops a few references itself and leaves more (a
	// purge) to BlobRepo.Release (ReleaseChunks): until then those chunks
	// still count as referenced.
	Put(a Appeal) error
	// List returns up to limit appeals that match f, in f's order,
	// starting after cursor ("" for the first page), and the cursor of
	// the next page: "" when there is none. A cursor belongs to the
	// filter it came from; with another one List fails. Its cost follows
	// the page (an index per state and order), not the number of appeals.
	List(f AppealFilter, cursor string, limit int) ([]Appeal, string, error)
	// ClosedBefore returns up to limit closed appeals (approved or
	// rejected) whose materials are not purged yet and whose DecidedAt is
	// before before, oldest decision first, starting after cursor, and the
	// cursor of the next batch ("" when none is left).
	ClosedBefore(before time.Time, cursor string, limit int) ([]Appeal, string, error)
}

// MaxChunkSize is the largest chunk a BlobRepo takes: small enough for any
// engine's value and request limits (etcd takes 1.5 MiB per request), so
// each chunk is written in a short transaction of its own.
const MaxChunkSize = 256 << 10

// ChunkInfo describes a stored chunk.
type ChunkInfo struct {
	ID        string
	Size      int       // bytes of plaintext
	CreatedAt time.Time // first PutChunk
	TouchedAt time.Time // last PutChunk of these bytes: the orphan grace runs from it
}

// ErrChunkInUse is returned by DeleteChunk for a chunk an appeal references.
var ErrChunkInUse = errors.New("chunk is referenced by an appeal")

// BlobRepo stores the chunks of materials, sealed like every record (they
// are ID card photos). A chunk's id is a keyed SHA-256 (HMAC) of its
// bytes: the same bytes always get the same id, so a chunk is stored once
// however many appeals hold it, and a chunk read back is checked against
// its id. Who references a chunk is kept beside it (one entry per chunk
// and appeal, written by AppealRepo.Put in the appeal's transaction, or
// ahead of it by Reserve), so whether a chunk is referenced is one short
// read, and chunks no appeal references are listed by age without looking
// at any appeal.
type BlobRepo interface {
	// PutChunk stores data (1 to MaxChunkSize bytes) and returns its id.
	// Storing bytes that are already there writes no data again; it only
	// moves the chunk's TouchedAt to now, so an orphan about to be
	// collected is kept for an appeal that uploads the same bytes again.
	PutChunk(data []byte, now time.Time) (id string, err error)
	// GetChunk returns the bytes of a chunk, checked against its id, or
	// ErrNotFound.
	GetChunk(id string) ([]byte, error)
	// Stat describes a chunk, or returns ErrNotFound.
	Stat(id string) (ChunkInfo, error)
	// Referenced reports whether any appeal references the chunk.
	Referenced(id string) (bool, error)
	// DeleteChunk deletes a chunk no appeal references; ErrChunkInUse for
	// one that is referenced. Deleting an absent chunk is not an error.
	DeleteChunk(id string) error
	// ListChunks returns up to limit chunks in id order (which means
	// nothing) after cursor ("" for the first page), and the cursor of the
	// next page ("" when none is left).
	ListChunks(cursor string, limit int) ([]ChunkInfo, string, error)
	// Reserve references chunks from appeal appealID before that appeal
	// is Put (or before a new version of it that adds them), so that the
	// Put stays small. Every chunk must be in the store, otherwise
	// ErrMaterialMissing and nothing is written. Until the appeal holds
	// them, the reservation is listed by Unsettled since now.
	Reserve(appealID string, chunks []string, now time.Time) error
	// Release drops up to limit references of appeal appealID to chunks
	// its stored version does not hold (reserved for an appeal that was
	// never filed, or dropped by a Put that left them, such as a purge)
	// and returns how many such references are left; a chunk losing its
	// last reference becomes unreferenced.
	Release(appealID string, limit int) (left int, err error)
	// Unsettled returns up to limit ids of appeals that reference chunks
	// their stored version does not hold, since before before, the oldest
	// first, after cursor, and the cursor of the next batch ("" when none
	// is left).
	Unsettled(before time.Time, cursor string, limit int) ([]string, string, error)
	// Unreferenced returns up to limit chunks that no appeal references
	// and that were last touched before before, least recently touched
	// first, after cursor, and the cursor of the next batch ("" when none
	// is left). It walks an index of such chunks only, and stops at
	// before.
	Unreferenced(before time.Time, cursor string, limit int) ([]ChunkInfo, string, error)
}
