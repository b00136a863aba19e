package v4l2

import "github.com/blackjack/webcam"

// chooseFormat prefers MJPEG (small over USB 2, so full frame rate at
// 640×480 and beyond) and falls back to YUYV, which every UVC camera has.
func chooseFormat(formats map[webcam.PixelFormat]string) (webcam.PixelFormat, bool) {
	for _, f := range []webcam.PixelFormat{FormatMJPEG, FormatJPEG, FormatYUYV} {
		if _, ok := formats[f]; ok {
			return f, true
		}
	}
	return 0, false
}

// chooseSize picks the offered size closest to w×h (sum of the width and
// height differences; on a tie the larger one). Stepwise and continuous
// ranges are clamped and snapped to their step. With nothing offered the
// request goes to the driver as is, which adjusts it.
func chooseSize(sizes []webcam.FrameSize, w, h uint32) (uint32, uint32) {
	bw, bh := w, h
	best := int64(-1)
	for _, s := range sizes {
		cw := snap(w, s.MinWidth, s.MaxWidth, s.StepWidth)
		ch := snap(h, s.MinHeight, s.MaxHeight, s.StepHeight)
		if cw == 0 || ch == 0 {
			continue
		}
		d := absDiff(cw, w) + absDiff(ch, h)
		if best < 0 || d < best || (d == best && uint64(cw)*uint64(ch) > uint64(bw)*uint64(bh)) {
			best, bw, bh = d, cw, ch
		}
	}
	return bw, bh
}

// snap clamps v into [lo, hi] on the grid lo + k*step; step 0 means the
// discrete size hi.
func snap(v, lo, hi, step uint32) uint32 {
	if step == 0 || lo >= hi {
		return hi
	}
	v = max(lo, min(v, hi))
	k := (v - lo + step/2) / step
	if s := lo + k*step; s <= hi {
		return s
	}
	return lo + (k-1)*step
}

func absDiff(a, b uint32) int64 {
	if a > b {
		return int64(a - b)
	}
	return int64(b - a)
}
