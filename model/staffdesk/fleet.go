package staffdesk

import (
	"context"

	"kiosk/model"
	"kiosk/model/fleet"
)

// Kiosks lists the kiosks that share the store, online and offline, by
// hall and id (终端状态), for counter staff (or 管理员). It reads no
// personal data: ids, halls, versions, device health, times.
func (d *Desk) Kiosks(ctx context.Context, s model.Session) ([]fleet.Kiosk, error) {
	if err := d.stands(ctx, s, Kiosks); err != nil {
		return nil, err
	}
	if d.Fleet == nil {
		return nil, model.ErrUnavailable
	}
	return fleet.List(ctx, d.Fleet, d.Clock.Now())
}
