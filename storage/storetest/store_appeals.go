package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
)

// appealTests are the conformance tests of the appeal and blob
// repositories and of the model's material store and housekeeping on them.
var appealTests = []struct {
	name string
	fn   func(t *testing.T, s model.Store)
}{
	{"AppealRoundTrip", appealRoundTrip},
	{"AppealRefUnique", appealRefUnique},
	{"AppealMissingChunk", appealMissingChunk},
	{"AppealList", appealList},
	{"AppealListPaging", appealListPaging},
	{"ChunkIdempotent", chunkIdempotent},
	{"ChunkReferences", chunkReferences},
	{"MaterialChunking", materialChunking},
	{"OrphanCollection", orphanCollection},
	{"PurgeClosedMaterials", purgeClosedMaterials},
	{"AppealRerun", appealRerun},
}

// Appeal returns a fully populated pending change appeal created at
// created, with one material per kind; material i holds chunks[i mod n]
// (none when no chunk is given).
func Appeal(id, ref string, created time.Time, chunks ...string) model.Appeal {
	a := model.Appeal{
		ID: id, Ref: ref, Kind: model.AppealKindChange, Changes: []model.AppealChange{model.ChangePhone, model.ChangeLegalRep},
		State: model.AppealPending, Kiosk: "K-1", LegalType: model.LegalTypes[0], EnterpriseName: "申诉企业" + id,
		USCC: "91110000MA01ABCD2X", LegalRep: model.LegalRep{Name: "赵六" + id, ID: model.IDDocument{
			Type: model.IDTypeResident, Number: "11010519491231002X", Period: model.ValidityLongTerm, ValidFrom: day0,
		}},
		Account: "appeal_" + id, Phone: "13700137000", Remark: "手机号码已停用", CreatedAt: created, UpdatedAt: created,
	}
	for i, k := range model.MaterialKinds {
		m := model.Material{Kind: k, Name: string(k) + ".jpg", MIME: "image/jpeg", Size: int64(100 + i),
			SHA256: fmt.Sprintf("%064x", i)}
		if len(chunks) > 0 {
			m.Chunks = []string{chunks[i%len(chunks)]}
		}
		a.Materials = append(a.Materials, m)
	}
	return a
}

// putChunk stores data at now and returns its id.
func putChunk(t *testing.T, s model.Store, data string, now time.Time) string {
	t.Helper()
	var id string
	update(t, s, func(tx model.Tx) error {
		var err error
		id, err = tx.Blobs().PutChunk([]byte(data), now)
		return err
	})
	return id
}

func putAppeal(t *testing.T, s model.Store, a model.Appeal) {
	t.Helper()
	update(t, s, func(tx model.Tx) error { return tx.Appeals().Put(a) })
}

func appealRoundTrip(t *testing.T, s model.Store) {
	c1, c2 := putChunk(t, s, "front", t0), putChunk(t, s, "back", t0)
	a := Appeal("ap1", "240301-ABCD-EFGH23", t0, c1, c2)
	a.Handler, a.Reason, a.DecidedAt = "s1", "材料不清晰", t0.Add(time.Hour)
	putAppeal(t, s, a)
	view(t, s, func(tx model.Tx) error {
		r := tx.Appeals()
		g1, err1 := r.Get("ap1")
		g2, err2 := r.ByRef("240301-ABCD-EFGH23")
		g3, err3 := r.ByRef(" 240301abcdefgh23 ") // as typed: lower case, no dashes
		g4, err4 := r.ByRef("２４０３０１－ＡＢＣＤ－ＥＦＧＨ２３") // full width
		_, err5 := r.ByRef("240301-ABCD-EFGH24")
		_, err6 := r.ByRef("")
		_, err7 := r.Get("nope")
		return firstErr(err1, err2, err3, err4, same("Get", g1, a), same("ByRef", g2, a), same("ByRef typed", g3, a),
			same("ByRef full width", g4, a), wantNotFound("other ref", err5), wantNotFound("empty ref", err6),
			wantNotFound("Get", err7))
	})
	// A new version replaces the old one.
	a.State, a.Remark, a.Changes = model.AppealProcessing, "", nil
	putAppeal(t, s, a)
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Appeals().Get("ap1")
		return firstErr(err, same("updated", g, a))
	})
	// Refused records.
	err := s.Update(context.Background(), func(tx model.Tx) error {
		bad := []model.Appeal{a, a, a, a, a}
		bad[0].ID = "a/b"
		bad[1].Ref = " - "
		bad[2].Kind = "other"
		bad[3].State = "lost"
		bad[4].MaterialsPurged = true // yet it references chunks
		for i, b := range bad {
			if err := tx.Appeals().Put(b); err == nil {
				return fmt.Errorf("bad appeal %d accepted", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.View(context.Background(), func(tx model.Tx) error { return tx.Appeals().Put(a) }); err == nil {
		t.Error("Put in a View succeeded")
	}
}

func appealRefUnique(t *testing.T, s model.Store) {
	c1, c2 := putChunk(t, s, "one", t0), putChunk(t, s, "two", t0)
	putAppeal(t, s, Appeal("ap1", "240301-AAAA-222222", t0, c1))
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Appeals()
		if err := firstErr(
			wantDup("same ref", r.Put(Appeal("ap2", "240301-AAAA-222222", t0, c2)), "ref"),
			wantDup("same ref as typed", r.Put(Appeal("ap2", "240301aaaa222222", t0, c2)), "ref"),
		); err != nil {
			return err
		}
		// The refused Puts wrote nothing: no record, no listing, no
		// reference to the chunk.
		_, errGet := r.Get("ap2")
		list, _, errList := r.List(model.AppealFilter{}, "", 10)
		used, errUsed := tx.Blobs().Referenced(c2)
		return firstErr(wantNotFound("ap2", errGet), errList, errUsed, same("listed", len(list), 1),
			same("c2 referenced", used, false), r.Put(Appeal("ap1", "240301-AAAA-222222", t0, c1))) // itself: no clash
	})
	if err != nil {
		t.Fatal(err)
	}
	// A changed ref frees the old one.
	putAppeal(t, s, Appeal("ap1", "240301-AAAA-333333", t0, c1))
	putAppeal(t, s, Appeal("ap2", "240301-AAAA-222222", t0, c2))
	view(t, s, func(tx model.Tx) error {
		g1, err1 := tx.Appeals().ByRef("240301-AAAA-333333")
		g2, err2 := tx.Appeals().ByRef("240301-AAAA-222222")
		return firstErr(err1, err2, same("new ref", g1.ID, "ap1"), same("freed ref", g2.ID, "ap2"))
	})
}

// appealMissingChunk: an appeal that references a chunk the store does not
// have is refused with ErrMaterialMissing, and writes nothing.
func appealMissingChunk(t *testing.T, s model.Store) {
	c := putChunk(t, s, "here", t0)
	err := s.Update(context.Background(), func(tx model.Tx) error {
		return tx.Appeals().Put(Appeal("ap1", "240301-MISS-222222", t0, c, fmt.Sprintf("%064x", 7)))
	})
	if !errors.Is(err, model.ErrMaterialMissing) {
		t.Fatalf("Put with a missing chunk: %v, want ErrMaterialMissing", err)
	}
	view(t, s, func(tx model.Tx) error {
		_, errGet := tx.Appeals().Get("ap1")
		_, errRef := tx.Appeals().ByRef("240301-MISS-222222")
		used, errUsed := tx.Blobs().Referenced(c)
		loose, _, errLoose := tx.Blobs().Unreferenced(t0.Add(time.Second), "", 10)
		return firstErr(wantNotFound("appeal", errGet), wantNotFound("ref", errRef), errUsed, errLoose,
			same("referenced", used, false), same("unreferenced", len(loose), 1))
	})
}

// appealList: each filter returns exactly its appeals, in both orders.
func appealList(t *testing.T, s model.Store) {
	c := putChunk(t, s, "x", t0)
	type spec struct {
		id    string
		state model.AppealState
		kind  model.AppealKind
		hour  int
	}
	specs := []spec{
		{"a0", model.AppealPending, model.AppealKindRegister, 0},
		{"a1", model.AppealPending, model.AppealKindChange, 1},
		{"a2", model.AppealProcessing, model.AppealKindRegister, 2},
		{"a3", model.AppealApproved, model.AppealKindChange, 3},
		{"a4", model.AppealRejected, model.AppealKindRegister, 4},
		{"a5", model.AppealPending, model.AppealKindRegister, 5},
		{"a6", model.AppealPending, model.AppealKindRegister, 5}, // same instant: by id
	}
	update(t, s, func(tx model.Tx) error {
		for _, sp := range specs {
			a := Appeal(sp.id, "REF-"+sp.id, t0.Add(time.Duration(sp.hour)*time.Hour), c)
			a.State, a.Kind = sp.state, sp.kind
			if sp.kind == model.AppealKindRegister {
				a.Changes = nil
			}
			if err := tx.Appeals().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	list := func(f model.AppealFilter) string {
		var out string
		view(t, s, func(tx model.Tx) error {
			out = "" // the closure may run again
			as, next, err := tx.Appeals().List(f, "", 100)
			for _, a := range as {
				out += a.ID + " "
			}
			if next != "" {
				t.Errorf("List(%+v): cursor %q after the last page", f, next)
			}
			return err
		})
		return out
	}
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	for _, tc := range []struct {
		f    model.AppealFilter
		want string
	}{
		{model.AppealFilter{}, "a0 a1 a2 a3 a4 a5 a6 "},
		{model.AppealFilter{NewestFirst: true}, "a5 a6 a4 a3 a2 a1 a0 "}, // ties by id
		{model.AppealFilter{State: model.AppealPending}, "a0 a1 a5 a6 "},
		{model.AppealFilter{State: model.AppealPending, NewestFirst: true}, "a5 a6 a1 a0 "},
		{model.AppealFilter{Kind: model.AppealKindChange}, "a1 a3 "},
		{model.AppealFilter{State: model.AppealPending, Kind: model.AppealKindRegister}, "a0 a5 a6 "},
		{model.AppealFilter{CreatedBefore: at(2)}, "a0 a1 "}, // strictly before
		{model.AppealFilter{CreatedBefore: at(2), NewestFirst: true}, "a1 a0 "},
		{model.AppealFilter{CreatedAfter: at(4)}, "a4 a5 a6 "}, // at or after
		{model.AppealFilter{CreatedAfter: at(4), NewestFirst: true}, "a5 a6 a4 "},
		{model.AppealFilter{CreatedAfter: at(1), CreatedBefore: at(4)}, "a1 a2 a3 "},
		{model.AppealFilter{CreatedAfter: at(1), CreatedBefore: at(4), NewestFirst: true}, "a3 a2 a1 "},
		{model.AppealFilter{State: model.AppealPending, CreatedBefore: at(5), NewestFirst: true}, "a1 a0 "},
		{model.AppealFilter{State: model.AppealApproved}, "a3 "},
		{model.AppealFilter{State: "unknown"}, ""},
	} {
		if got := list(tc.f); got != tc.want {
			t.Errorf("List(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	// A state change moves the appeal between the state lists.
	update(t, s, func(tx model.Tx) error {
		a, err := tx.Appeals().Get("a1")
		if err != nil {
			return err
		}
		a.State = model.AppealProcessing
		return tx.Appeals().Put(a)
	})
	if got := list(model.AppealFilter{State: model.AppealPending}); got != "a0 a5 a6 " {
		t.Errorf("pending after a1 moved = %q", got)
	}
	if got := list(model.AppealFilter{State: model.AppealProcessing, NewestFirst: true}); got != "a2 a1 " {
		t.Errorf("processing after a1 moved = %q", got)
	}
	if got := list(model.AppealFilter{}); got != "a0 a1 a2 a3 a4 a5 a6 " {
		t.Errorf("all after a1 moved = %q", got)
	}
}

// appealListPaging: pages of a filtered list hold each appeal once, the
// last page says so, and a cursor is refused by another filter.
func appealListPaging(t *testing.T, s model.Store) {
	c := putChunk(t, s, "x", t0)
	const n = 11
	update(t, s, func(tx model.Tx) error {
		for i := range n {
			a := Appeal(fmt.Sprintf("p%02d", i), fmt.Sprintf("REF-%02d", i), t0.Add(time.Duration(i)*time.Minute), c)
			if i%3 == 0 {
				a.Kind, a.Changes = model.AppealKindRegister, nil
			}
			if err := tx.Appeals().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	walk := func(f model.AppealFilter, limit int) (ids []string, pages int) {
		cursor := ""
		for {
			var (
				as   []model.Appeal
				next string
			)
			view(t, s, func(tx model.Tx) error {
				var err error
				as, next, err = tx.Appeals().List(f, cursor, limit)
				return err
			})
			pages++
			for _, a := range as {
				ids = append(ids, a.ID)
			}
			if next == "" || pages > n {
				return ids, pages
			}
			cursor = next
		}
	}
	for _, f := range []model.AppealFilter{{}, {NewestFirst: true}, {Kind: model.AppealKindChange}, {Kind: model.AppealKindChange, NewestFirst: true}} {
		all, _ := walk(f, 100)
		paged, pages := walk(f, 3)
		if fmt.Sprint(all) != fmt.Sprint(paged) || pages != (len(all)+2)/3 {
			t.Errorf("%+v: pages of 3 = %v in %d pages, want %v in %d", f, paged, pages, all, (len(all)+2)/3)
		}
	}
	var next string
	view(t, s, func(tx model.Tx) error {
		var err error
		_, next, err = tx.Appeals().List(model.AppealFilter{}, "", 2)
		return err
	})
	err := s.View(context.Background(), func(tx model.Tx) error {
		_, _, err := tx.Appeals().List(model.AppealFilter{NewestFirst: true}, next, 2)
		return err
	})
	if err == nil {
		t.Error("a cursor of another filter was taken")
	}
}

// chunkIdempotent: the same bytes get the same id and are stored once;
// writing them again only moves TouchedAt forward.
func chunkIdempotent(t *testing.T, s model.Store) {
	id1 := putChunk(t, s, "身份证照片", t0)
	id2 := putChunk(t, s, "身份证照片", t0.Add(time.Hour))
	id3 := putChunk(t, s, "身份证照片 ", t0)
	if id1 != id2 || id1 == id3 || len(id1) < 32 {
		t.Fatalf("ids %q %q %q: want the first two equal, the third apart", id1, id2, id3)
	}
	putChunk(t, s, "身份证照片", t0) // an older write never moves it back
	view(t, s, func(tx model.Tx) error {
		data, err := tx.Blobs().GetChunk(id1)
		info, errStat := tx.Blobs().Stat(id1)
		list, next, errList := tx.Blobs().ListChunks("", 10)
		_, errMiss := tx.Blobs().GetChunk(fmt.Sprintf("%064x", 1))
		return firstErr(err, errStat, errList, same("data", string(data), "身份证照片"),
			same("info", info, model.ChunkInfo{ID: id1, Size: len("身份证照片"), CreatedAt: t0, TouchedAt: t0.Add(time.Hour)}),
			same("chunks", len(list), 2), same("next", next, ""), wantNotFound("missing chunk", errMiss))
	})
	// Paging.
	view(t, s, func(tx model.Tx) error {
		p1, next, err1 := tx.Blobs().ListChunks("", 1)
		p2, end, err2 := tx.Blobs().ListChunks(next, 1)
		return firstErr(err1, err2, same("page sizes", []int{len(p1), len(p2)}, []int{1, 1}), same("end", end, ""),
			same("distinct", p1[0].ID != p2[0].ID, true))
	})
	err := s.Update(context.Background(), func(tx model.Tx) error {
		_, errEmpty := tx.Blobs().PutChunk(nil, t0)
		_, errBig := tx.Blobs().PutChunk(make([]byte, model.MaxChunkSize+1), t0)
		if errEmpty == nil || errBig == nil {
			return fmt.Errorf("empty chunk: %v, oversized chunk: %v", errEmpty, errBig)
		}
		_, err := tx.Blobs().PutChunk(make([]byte, model.MaxChunkSize), t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.View(context.Background(), func(tx model.Tx) error {
		_, err := tx.Blobs().PutChunk([]byte("v"), t0)
		return err
	}); err == nil {
		t.Error("PutChunk in a View succeeded")
	}
}

// chunkReferences: appeals reference their chunks; a referenced chunk is
// not listed as unreferenced and cannot be deleted; a chunk two appeals
// share stays referenced until both let it go.
func chunkReferences(t *testing.T, s model.Store) {
	shared, own := putChunk(t, s, "shared", t0), putChunk(t, s, "own", t0.Add(time.Minute))
	putAppeal(t, s, Appeal("ap1", "R1", t0, shared, own))
	putAppeal(t, s, Appeal("ap2", "R2", t0, shared))
	state := func() (sharedUsed, ownUsed bool, loose []string) {
		view(t, s, func(tx model.Tx) error {
			loose = nil // the closure may run again
			var err1, err2, err3 error
			sharedUsed, err1 = tx.Blobs().Referenced(shared)
			ownUsed, err2 = tx.Blobs().Referenced(own)
			var list []model.ChunkInfo
			list, _, err3 = tx.Blobs().Unreferenced(t0.Add(24*time.Hour), "", 10)
			for _, c := range list {
				loose = append(loose, c.ID)
			}
			return firstErr(err1, err2, err3)
		})
		return
	}
	if su, ou, loose := state(); !su || !ou || len(loose) != 0 {
		t.Fatalf("after filing: shared %v own %v unreferenced %v", su, ou, loose)
	}
	err := s.Update(context.Background(), func(tx model.Tx) error { return tx.Blobs().DeleteChunk(shared) })
	if !errors.Is(err, model.ErrChunkInUse) {
		t.Fatalf("DeleteChunk of a referenced chunk: %v", err)
	}
	// ap1 drops its own chunk (a material replaced by the shared one).
	putAppeal(t, s, Appeal("ap1", "R1", t0, shared))
	if su, ou, loose := state(); !su || ou || len(loose) != 1 || loose[0] != own {
		t.Fatalf("after ap1 dropped own: shared %v own %v unreferenced %v", su, ou, loose)
	}
	// Unreferenced stops at before: own was touched at t0+1m.
	view(t, s, func(tx model.Tx) error {
		early, _, err := tx.Blobs().Unreferenced(t0.Add(time.Minute), "", 10)
		return firstErr(err, same("unreferenced before its touch", len(early), 0))
	})
	// ap2 lets the shared chunk go too, by purging: still ap1's.
	a2 := Appeal("ap2", "R2", t0)
	a2.MaterialsPurged = true
	putAppeal(t, s, a2)
	if su, _, _ := state(); !su {
		t.Fatal("shared chunk unreferenced while ap1 holds it")
	}
	a1 := Appeal("ap1", "R1", t0)
	a1.MaterialsPurged = true
	putAppeal(t, s, a1)
	if su, _, loose := state(); su || len(loose) != 2 {
		t.Fatalf("after both let go: shared %v unreferenced %v", su, loose)
	}
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Blobs().DeleteChunk(shared), tx.Blobs().DeleteChunk(shared)) // absent: no error
	})
	view(t, s, func(tx model.Tx) error {
		_, err1 := tx.Blobs().GetChunk(shared)
		_, err2 := tx.Blobs().Stat(shared)
		loose, _, err3 := tx.Blobs().Unreferenced(t0.Add(24*time.Hour), "", 10)
		return firstErr(wantNotFound("deleted chunk", err1), wantNotFound("deleted chunk info", err2), err3,
			same("unreferenced left", len(loose), 1))
	})
}
