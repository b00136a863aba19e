package assets

import "embed"

// Voice holds the Mandarin voice prompts: voice/prompts.tsv (id<TAB>text)
// and one 16 kHz mono PCM16 voice/<id>.wav per id, generated from the list by
// voice/generate.sh. devices/audio reads them; nothing else should.
//
//go:embed voice/*.wav voice/prompts.tsv
var Voice embed.FS
