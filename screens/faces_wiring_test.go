package screens

import (
	"testing"

	"kiosk/devices/face"
	"kiosk/model"
)

// faceSecret keys the journeys' FaceService, as main keys its own with a
// secret derived from the store keys.
var faceSecret = []byte("screens-test-face-secret-0123456789")

// faceServiceFor is the FaceService main would build over deps.Face and
// deps.Counter: startKiosk gives it to the face step unless deps.Faces is
// set, and the fixture's account service checks evidence with the same key.
func faceServiceFor(t *testing.T, deps Deps) *model.FaceService {
	t.Helper()
	var staff model.FaceStaff
	if deps.Counter != nil {
		staff = deps.Counter
	}
	fs, err := model.NewFaceService(faceSecret, deps.Clock, face.Device(deps.Face), staff)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
