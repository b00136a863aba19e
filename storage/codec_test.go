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
		case f.Kind() == reflect.Struct:
			fill(t, f, n)
		case f.Kind() == reflect.String:
			f.SetString("v" + string(rune('A'+*n%26)) + "号")
		case f.Kind() == reflect.Int:
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
			&outboxRec{}, &smsCodeRec{}, &rateRec{}} {
			if err := unmarshalRec([]byte("k"), pt, v); err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%T: %v", v, err)
			}
		}
	})
}
