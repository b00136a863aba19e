package assets

import "embed"

//go:generate go run ./internal/camgen -out camera

// CameraFrames holds the replay camera's sample frames under camera/: a
// synthetic document, three face frames (face-*.jpg) and the unusable
// frames the quality check rejects (dark, bright, blurred). All are drawn
// by internal/camgen; none is a photo of a real person or document.
//
//go:embed camera/*
var CameraFrames embed.FS
