package staffdesk_test

import (
	"context"
	"errors"
	"testing"

	"kiosk/model"
	"kiosk/model/fleet"
)

// TestKiosks: 终端状态 is the counter's and 管理员's (staffdesk.Roles);
// anyone else is refused before the fleet is read; a desk without the
// fleet says unavailable.
func TestKiosks(t *testing.T) {
	f := newFixture(t)
	now := f.clk.Now()
	fl := f.store.Fleet(0)
	for _, id := range []string{"K-2", "K-1"} {
		if err := fl.Beat(context.Background(), fleet.Record{Kiosk: id, Hall: "一楼", LastSeen: now, Every: fleet.DefaultEvery}); err != nil {
			t.Fatal(err)
		}
	}
	f.desk.Fleet = fl
	for who, ok := range map[string]bool{"counter01": true, "admin0001": true, "reviewer01": false, "visitor": false,
		"enterprise": false, "agent": false} {
		ks, err := f.desk.Kiosks(context.Background(), f.who[who])
		if ok && (err != nil || len(ks) != 2 || ks[0].Kiosk != "K-1" || !ks[0].Online) {
			t.Errorf("%s: %+v, %v", who, ks, err)
		}
		if !ok && (err == nil || ks != nil) {
			t.Errorf("%s was not refused: %+v", who, ks)
		}
		if who == "reviewer01" && !errors.Is(err, model.ErrStaffForbidden) {
			t.Errorf("reviewer: %v", err)
		}
	}
	f.desk.Fleet = nil
	if _, err := f.desk.Kiosks(context.Background(), f.who["counter01"]); !errors.Is(err, model.ErrUnavailable) {
		t.Errorf("without the fleet: %v", err)
	}
}
