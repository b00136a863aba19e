package httpface

import (
	"image"
	"image/color"
	"math"
	"net/http"
	"testing"
	"time"

	"kiosk/devices/face"
)

const testID = "0123456789abcdef0123456789abcdef"

func TestDecodeAnswer(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr bool
		outcome face.Outcome
		score   float64
	}{
		{"match", `{"request_id":"` + testID + `","result":"match","score":0.93,"reason":"ok"}`, false, face.Match, 0.93},
		{"score omitted", `{"request_id":"` + testID + `","result":"no_face"}`, false, face.NoFace, 0},
		{"unknown fields ignored", `{"request_id":"` + testID + `","result":"no_match","score":0,"extra":[1]}`, false, face.NoMatch, 0},
		{"null", `null`, true, "", 0},
		{"empty", ``, true, "", 0},
		{"array", `[]`, true, "", 0},
		{"wrong id", `{"request_id":"x","result":"match","score":0.9}`, true, "", 0},
		{"counter is not a wire result", `{"request_id":"` + testID + `","result":"counter","score":1}`, true, "", 0},
		{"negative score", `{"request_id":"` + testID + `","result":"match","score":-0.1}`, true, "", 0},
		{"score as string", `{"request_id":"` + testID + `","result":"match","score":"0.9"}`, true, "", 0},
		{"trailing garbage", `{"request_id":"` + testID + `","result":"match","score":0.9}xyz`, true, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := decodeAnswer([]byte(tt.body), testID)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (res.Outcome != tt.outcome || res.Score != tt.score) {
				t.Fatalf("result %+v", res)
			}
		})
	}
}

// FuzzDecodeAnswer: any body either fails or yields a valid verdict for
// the request it was asked about.
func FuzzDecodeAnswer(f *testing.F) {
	f.Add([]byte(`{"request_id":"` + testID + `","result":"match","score":0.93}`))
	f.Add([]byte(`{"request_id":"` + testID + `","result":"liveness_failed","score":1e308}`))
	f.Add([]byte(`{"request_id":null,"result":7}`))
	f.Add([]byte(`{"score":NaN}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := decodeAnswer(body, testID)
		if err != nil {
			return
		}
		if !res.Outcome.Valid() || math.IsNaN(res.Score) || res.Score < 0 || res.Score > 1 ||
			res.Match != (res.Outcome == face.Match) || res.Reason.IsZero() {
			t.Fatalf("accepted %q as %+v", body, res)
		}
	})
}

// FuzzRetryAfter: any header yields a wait between zero and an hour.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	f.Add("120")
	f.Add(now.Add(time.Minute).Format(http.TimeFormat))
	f.Add("-5")
	f.Add("Sun, 06 Nov 1994 08:49:37 GMT")
	c, err := New(Config{BaseURL: "https://x.example", Token: "t", Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, h string) {
		d := c.retryAfter(h)
		if d < 0 || (d > time.Hour && !isDate(h)) {
			t.Fatalf("retryAfter(%q) = %v", h, d)
		}
	})
}

func isDate(h string) bool {
	_, err := http.ParseTime(h)
	return err == nil
}

func TestFit(t *testing.T) {
	src := image.NewRGBA(image.Rect(10, 10, 1930, 1090)) // off-origin 1920×1080
	for y := 10; y < 1090; y++ {
		for x := 10; x < 1930; x++ {
			src.SetRGBA(x, y, color.RGBA{uint8(x), 100, 200, 255})
		}
	}
	got := fit(src, FrameWidth, FrameHeight)
	if b := got.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
		t.Fatalf("fit to %v", b)
	}
	_, g, bl, _ := got.At(5, 5).RGBA()
	if g>>8 != 100 || bl>>8 != 200 {
		t.Fatalf("colour lost: %v", got.At(5, 5))
	}
	small := image.NewGray(image.Rect(0, 0, 320, 240))
	if fit(small, FrameWidth, FrameHeight) != image.Image(small) {
		t.Fatal("a small frame was copied")
	}
}
