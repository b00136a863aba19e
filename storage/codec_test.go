package storage

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"kiosk/model"
)

// fill sets every field of the struct v points to a non-zero value, so a
// round trip that forgets a field shows up as a difference.
func fill(t *testing.T, v reflect.Value, n *int) {
	for i := range v.NumField() {
		f := v.Field(i)
		*n++
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2000+*n, 1, 2, 3, 4, 5, *n, time.UTC)))
		case f.Type() == reflect.TypeOf([]time.Time{}):
			f.Set(reflect.ValueOf([]time.Time{time.Date(2000+*n, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2001+*n, 1, 2, 3, 4, 5, 0, time.UTC)}))
		case f.Kind() == reflect.Array && f.Type().Elem() == reflect.TypeOf(time.Time{}):
			for j := range f.Len() {
				f.Index(j).Set(reflect.ValueOf(time.Date(2000+*n, 1, 2, 3, 4, j, 0, time.UTC)))
			}
		case f.Kind() == reflect.Struct:
			fill(t, f, n)
		case f.Kind() == reflect.Slice && (f.Type().Elem().Kind() == reflect.String || f.Type().Elem().Kind() == reflect.Struct):
			s := reflect.MakeSlice(f.Type(), 2, 2)
			for j := range 2 {
				if e := s.Index(j); e.Kind() == reflect.Struct {
					fill(t, e, n)
				} else {
					*n++
					e.SetString("v" + string(rune('A'+*n%26)) + "号")
				}
			}
			f.Set(s)
		case f.Kind() == reflect.String:
			f.SetString("v" + string(rune('A'+*n%26)) + "号")
		case f.Kind() == reflect.Int, f.Kind() == reflect.Int64:
			f.SetInt(int64(*n))
		case f.Kind() == reflect.Uint64:
			f.SetUint(uint64(*n))
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		default:
			t.Fatalf("fill: unhandled field %s %s: teach the codec test about it", v.Type().Field(i).Name, f.Type())
		}
	}
}

func roundTrip[M, R any](t *testing.T, toRec func(M) R, back func(R) M) {
	t.Helper()
	var m M
	n := 0
	fill(t, reflect.ValueOf(&m).Elem(), &n)
	b, err := json.Marshal(toRec(m))
	if err != nil {
		t.Fatal(err)
	}
	var r R
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if got := back(r); !reflect.DeepEqual(got, m) {
		t.Errorf("%T round trip lost data:\n got %+v\nwant %+v", m, got, m)
	}
}

// TestCodecCoversEveryField fails when a model field is added but not
// stored.
func TestCodecCoversEveryField(t *testing.T) {
	roundTrip(t, enterpriseToRec, enterpriseRec.model)
	roundTrip(t, agentToRec, agentRec.model)
	roundTrip(t, personToRec, personRec.model)
	roundTrip(t, staffToRec, staffRec.model)
	roundTrip(t, lockoutToRec, lockoutRec.model)
	roundTrip(t, auditToRec, auditRec.model)
	roundTrip(t, registryToRec, registryRec.model)
	roundTrip(t, outboxToRec, outboxRec.model)
	roundTrip(t, smsCodeToRec, smsCodeRec.model)
	roundTrip(t, rateToRec, rateRec.model)
	roundTrip(t, appealToRec, appealRec.model)
	// Zero values survive too (omitempty/omitzero must not turn them into
	// something else).
	var zero model.Enterprise
	b, _ := json.Marshal(enterpriseToRec(zero))
	var r enterpriseRec
	if err := json.Unmarshal(b, &r); err != nil || !reflect.DeepEqual(r.model(), zero) {
		t.Errorf("zero enterprise round trip: %+v, %v", r.model(), err)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	e, _ := json.Marshal(enterpriseToRec(model.Enterprise{ID: "e1", USCC: "U", State: model.EnterpriseActive}))
	f.Add(e)
	f.Add([]byte(`{"id":"a","from":"not a time"}`))
	f.Add([]byte(`{"seq":-1}`))
	f.Fuzz(func(t *testing.T, pt []byte) {
		for _, v := range []any{&enterpriseRec{}, &agentRec{}, &personRec{}, &staffRec{}, &lockoutRec{}, &auditRec{}, &registryRec{},
			&outboxRec{}, &smsCodeRec{}, &rateRec{}, &appealRec{}, &chunkInfoRec{}} {
			if err := unmarshalRec([]byte("k"), pt, v); err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%T: %v", v, err)
			}
		}
	})
}

// TestBinaryEnterpriseCoversEveryField: the binary form of the enterprise
// record keeps every field, and the zero record.
func TestBinaryEnterpriseCoversEveryField(t *testing.T) {
	var full model.Enterprise
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), &n)
	for _, m := range []model.Enterprise{full, {}, {ID: "e1", SessionEpoch: -3}} {
		b, err := enterpriseToRec(m).appendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		var r enterpriseRec
		if err := decodeBinaryRec([]byte("ent/x"), b, &r); err != nil {
			t.Fatal(err)
		}
		if got := r.model(); !reflect.DeepEqual(got, m) {
			t.Errorf("binary round trip lost data:\n got %+v\nwant %+v", got, m)
		}
	}
}

// TestBinaryTimesReadLikeJSON: a time comes back from the binary form as
// it came back from JSON (UTC stays UTC, the kiosk's zone stays Local,
// other offsets become unnamed fixed zones), so the upgrade from JSON
// changes nothing a caller sees.
func TestBinaryTimesReadLikeJSON(t *testing.T) {
	local := time.Date(2026, 1, 2, 3, 4, 5, 6, time.Local)
	for _, tm := range []time.Time{
		{},
		time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.UTC),
		local,
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CST", 8*3600)),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 5*3600+45*60)),
		time.Date(1900, 1, 2, 3, 4, 5, 0, time.FixedZone("", -(3*3600+30*60))),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Now(), // with a monotonic reading
	} {
		m := model.Enterprise{ID: "e1", CreatedAt: tm}
		j, err := json.Marshal(enterpriseToRec(m))
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON, fromBin enterpriseRec
		if err := json.Unmarshal(j, &fromJSON); err != nil {
			t.Fatal(err)
		}
		b, err := enterpriseToRec(m).appendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := decodeBinaryRec([]byte("ent/e1"), b, &fromBin); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromBin.model(), fromJSON.model()) {
			t.Errorf("%v: binary gives %v (%v), JSON %v (%v)", tm, fromBin.Created, fromBin.Created.Location(),
				fromJSON.Created, fromJSON.Created.Location())
		}
	}
}

// FuzzDecodeEnterpriseBinary: any bytes decode or fail with ErrCorrupt,
// never panic; what decodes re-encodes to a record that decodes the same.
func FuzzDecodeEnterpriseBinary(f *testing.F) {
	var full model.Enterprise
	n := 0
	fill(&testing.T{}, reflect.ValueOf(&full).Elem(), &n)
	for _, m := range []model.Enterprise{full, {}} {
		b, _ := enterpriseToRec(m).appendBinary(nil)
		f.Add(b)
	}
	f.Add([]byte{binV1})
	f.Add([]byte(`{"id":"e1"}`))
	f.Fuzz(func(t *testing.T, pt []byte) {
		var r enterpriseRec
		if err := decodeBinaryRec([]byte("ent/f"), pt, &r); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		b, err := r.appendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		var back enterpriseRec
		if err := decodeBinaryRec([]byte("ent/f"), b, &back); err != nil || !reflect.DeepEqual(back.model(), r.model()) {
			t.Fatalf("re-encoded record does not decode the same: %v", err)
		}
	})
}
