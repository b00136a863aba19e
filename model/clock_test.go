package model_test

import (
	"testing"
	"time"

	"kiosk/model"
)

func TestSystemClockTimer(t *testing.T) {
	var tm model.Timer = model.SystemClock{}
	select {
	case <-tm.After(0):
	case <-time.After(5 * time.Second):
		t.Fatal("SystemClock.After(0) did not fire")
	}
}
