package main

import (
	"net/url"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/storage"
)

// newFaceService is the face verification of the screens' face step over
// the configured verifier and the counter. It seals each pass into
// evidence with a key derived from the store keys, which the account use
// cases check with the same service: the screens never hold the key.
func newFaceService(st *storage.Store, clock model.Clock, devs *Devices) (*model.FaceService, error) {
	var staff model.FaceStaff
	if devs.Counter != nil {
		staff = devs.Counter
	}
	return model.NewFaceService(st.Keys().Derive("face-evidence"), clock, face.Device(devs.Face), staff)
}

// isHTTPS reports whether raw is an absolute https URL.
func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Host != ""
}
