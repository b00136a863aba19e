//go:build race

package portaudio

const raceBuild = true
