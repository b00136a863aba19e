package assets

import "embed"

// Voice holds the voice prompts: one 16 kHz mono PCM16 WAV per prompt id
// and language, voice/<id>.wav in Mandarin and voice/<lang>/<id>.wav in
// each other language that has a voice (devices/audio.VoiceLangs). They are
// generated from the catalog sentences voice.<id> (i18n/<lang>/voice.toml)
// by voice/generate.sh (docs/voice.md). devices/audio reads them; nothing
// else should.
//
// The whole directory is embedded (the WAVs are all but a few kilobytes of
// it): a language directory the generator adds needs no change here, and
// the build never depends on which clips exist, so the generator, which
// is built from this module, runs even when they are missing.
//
//go:embed voice
var Voice embed.FS
