package v4l2

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/blackjack/webcam"
)

// Pixel formats the adapter understands (V4L2 fourcc codes).
var (
	FormatMJPEG = fourcc("MJPG")
	FormatJPEG  = fourcc("JPEG") // some UVC bridges announce MJPEG this way
	FormatYUYV  = fourcc("YUYV")
)

func fourcc(s string) webcam.PixelFormat {
	return webcam.PixelFormat(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
}

func isJPEG(f webcam.PixelFormat) bool { return f == FormatMJPEG || f == FormatJPEG }

// YUYVToImage converts one packed YUYV 4:2:2 frame (Y0 Cb Y1 Cr per pixel
// pair) of w×h pixels with rows stride bytes apart into an image.YCbCr that
// shares no memory with buf. The 4:2:2 layout maps onto image.YCbCr
// directly, so this is a copy, not a colour conversion.
func YUYVToImage(buf []byte, w, h, stride int) (*image.YCbCr, error) {
	if w <= 0 || h <= 0 || w%2 != 0 {
		return nil, fmt.Errorf("yuyv: bad size %dx%d", w, h)
	}
	if stride < 2*w {
		return nil, fmt.Errorf("yuyv: stride %d below row size %d", stride, 2*w)
	}
	if len(buf) < stride*(h-1)+2*w {
		return nil, fmt.Errorf("yuyv: %d bytes is short for %dx%d", len(buf), w, h)
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	half := w / 2
	for y := range h {
		row := buf[y*stride : y*stride+2*w]
		ys := img.Y[y*img.YStride : y*img.YStride+w]
		cb := img.Cb[y*img.CStride : y*img.CStride+half]
		cr := img.Cr[y*img.CStride : y*img.CStride+half]
		for x := range half {
			p := row[4*x : 4*x+4 : 4*x+4]
			ys[2*x] = p[0]
			cb[x] = p[1]
			ys[2*x+1] = p[2]
			cr[x] = p[3]
		}
	}
	return img, nil
}

// yuyvGeometry works out the real width, height and stride of a YUYV
// buffer. It is needed because webcam.SetImageFormat (v0.6.1) returns the
// requested size instead of the one the driver chose; the buffer length is
// the ground truth.
func yuyvGeometry(n, w, h int, sizes []webcam.FrameSize) (int, int, int, error) {
	if w > 0 && h > 0 && n == 2*w*h {
		return w, h, 2 * w, nil
	}
	for _, s := range sizes {
		sw, sh := int(s.MaxWidth), int(s.MaxHeight)
		if s.StepWidth == 0 && n == 2*sw*sh {
			return sw, sh, 2 * sw, nil
		}
	}
	// Rows padded to a bytesperline larger than 2*w.
	if w > 0 && h > 0 && n%h == 0 && n/h >= 2*w && (n/h)%2 == 0 {
		return w, h, n / h, nil
	}
	return 0, 0, 0, fmt.Errorf("yuyv: %d bytes fit neither %dx%d nor any listed size", n, w, h)
}

// errNotJPEG says a buffer does not start like a JPEG file.
var errNotJPEG = errors.New("mjpeg: no SOI marker")

// DecodeMJPEG decodes one MJPEG frame, adding the standard Huffman tables
// when the frame has none (many UVC cameras omit them, as the AVI MJPEG
// format allows).
func DecodeMJPEG(buf []byte) (image.Image, error) {
	fixed, err := WithDHT(buf)
	if err != nil {
		return nil, err
	}
	return jpeg.Decode(bytes.NewReader(fixed))
}

// WithDHT returns buf unchanged when it defines a Huffman table before its
// first scan, or a copy with the standard tables inserted before the scan.
// A buffer it cannot walk is returned unchanged for the decoder to reject.
func WithDHT(buf []byte) ([]byte, error) {
	if len(buf) < 2 || buf[0] != 0xFF || buf[1] != 0xD8 {
		return nil, errNotJPEG
	}
	i := 2
	for i+1 < len(buf) {
		if buf[i] != 0xFF {
			return buf, nil
		}
		m := buf[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0xC4: // DHT present
			return buf, nil
		case m == 0xDA: // SOS reached without a DHT
			out := make([]byte, 0, len(buf)+len(standardDHT))
			out = append(out, buf[:i]...)
			out = append(out, standardDHT...)
			return append(out, buf[i:]...), nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD8): // markers without a length
			i += 2
			continue
		}
		if i+3 >= len(buf) {
			return buf, nil
		}
		i += 2 + (int(buf[i+2])<<8 | int(buf[i+3]))
	}
	return buf, nil
}

// standardDHT is a DHT segment with the four example tables of ITU-T T.81
// Annex K.3 (K.3.3.1 and K.3.3.2): the tables MJPEG streams assume.
var standardDHT = func() []byte {
	tables := []struct {
		class byte // Tc<<4 | Th
		bits  [16]byte
		vals  []byte
	}{
		{0x00, [16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, seq(12)},
		{0x10, [16]byte{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125}, acLuminance},
		{0x01, [16]byte{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, seq(12)},
		{0x11, [16]byte{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119}, acChrominance},
	}
	body := []byte{}
	for _, t := range tables {
		body = append(body, t.class)
		body = append(body, t.bits[:]...)
		body = append(body, t.vals...)
	}
	n := len(body) + 2
	return append([]byte{0xFF, 0xC4, byte(n >> 8), byte(n)}, body...)
}()

func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

var acLuminance = []byte{
	0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
	0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
	0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
	0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
	0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
	0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
	0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
	0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
	0xf9, 0xfa,
}

var acChrominance = []byte{
	0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
	0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
	0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
	0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
	0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
	0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
	0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
	0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
	0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
	0xf9, 0xfa,
}
