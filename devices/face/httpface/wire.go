package httpface

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"regexp"
	"time"

	"kiosk/devices/face"
)

// Paths of the protocol (docs/face-verification.md).
const (
	VerifyPath = "/v1/face/verify"
	HealthPath = "/v1/health"
)

// Frame limits of the protocol.
const (
	MaxFrames   = 5
	FrameWidth  = 640
	FrameHeight = 480
	JPEGQuality = 85
)

// WireRequest is the JSON body of POST /v1/face/verify.
type WireRequest struct {
	RequestID  string   `json:"request_id"`
	KioskID    string   `json:"kiosk_id"`
	Name       string   `json:"name"`
	IDNumber   string   `json:"id_number"`
	Frames     []string `json:"frames"`
	CapturedAt string   `json:"captured_at"`
}

// WireResponse is the JSON body of a 200 answer.
type WireResponse struct {
	RequestID string   `json:"request_id"`
	Result    string   `json:"result"`
	Score     *float64 `json:"score"`
	Reason    string   `json:"reason,omitempty"`
}

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ValidRequestID reports whether s has the protocol's request id shape.
func ValidRequestID(s string) bool { return requestIDPattern.MatchString(s) }

// check validates a response against the request it answers.
func (r WireResponse) check(requestID string) (face.Result, error) {
	if r.RequestID != requestID {
		return face.Result{}, fmt.Errorf("response for request %q, sent %q", r.RequestID, requestID)
	}
	o := face.Outcome(r.Result)
	if !o.Valid() {
		return face.Result{}, fmt.Errorf("unknown result %q", r.Result)
	}
	score := 0.0
	if r.Score != nil {
		score = *r.Score
	}
	if !(score >= 0 && score <= 1) { // also rejects NaN
		return face.Result{}, fmt.Errorf("score %v outside [0, 1]", score)
	}
	return face.ResultFor(o, score), nil
}

// encodeFrames turns up to MaxFrames images into base64 JPEGs no larger
// than FrameWidth×FrameHeight.
func encodeFrames(frames []image.Image) ([]string, error) {
	if len(frames) > MaxFrames {
		frames = frames[:MaxFrames]
	}
	out := make([]string, 0, len(frames))
	var buf bytes.Buffer
	for i, img := range frames {
		if img == nil || img.Bounds().Empty() {
			return nil, fmt.Errorf("%w: frame %d is empty", face.ErrNoFrames, i)
		}
		buf.Reset()
		if err := jpeg.Encode(&buf, fit(img, FrameWidth, FrameHeight), &jpeg.Options{Quality: JPEGQuality}); err != nil {
			return nil, fmt.Errorf("encode frame %d: %w", i, err)
		}
		out = append(out, base64.StdEncoding.EncodeToString(buf.Bytes()))
	}
	return out, nil
}

// fit box-averages img down by the smallest integer factor that makes it
// fit w×h; a frame that fits already is returned as is.
func fit(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	k := max((b.Dx()+w-1)/w, (b.Dy()+h-1)/h)
	if k <= 1 {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx()/k, b.Dy()/k))
	n := uint32(k * k)
	for y := range dst.Rect.Dy() {
		for x := range dst.Rect.Dx() {
			var r, g, bl uint32
			for yy := range k {
				for xx := range k {
					cr, cg, cb, _ := img.At(b.Min.X+x*k+xx, b.Min.Y+y*k+yy).RGBA()
					r, g, bl = r+cr>>8, g+cg>>8, bl+cb>>8
				}
			}
			o := dst.PixOffset(x, y)
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), 255
		}
	}
	return dst
}

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }
