#!/usr/bin/env bash
# generate.sh makes every voice prompt clip from the message catalog: for
# each language with a voice (devices/audio.VoiceLangs) and each prompt id,
# the sentence voice.<id> of assets/i18n/<lang>/voice.toml, spoken by
# Debian's espeak-ng and trimmed/normalised by sox into a 16 kHz mono PCM16
# WAV: <id>.wav (Mandarin) and <lang>/<id>.wav (the others), next to this
# script. The work is done by assets/internal/voicegen; docs/voice.md says
# more, including how Korean was measured and why it has no clips.
#
#   apt-get install espeak-ng sox
#   assets/voice/generate.sh            # from anywhere
#   assets/voice/generate.sh -measure   # print the voice measure instead
#
# The WAVs are committed; run this after editing any voice.toml. Output is
# deterministic for a given espeak-ng/sox version (no dither). WAVs of ids
# or languages no longer wanted are removed, and texts.sum is rewritten so
# that the tests can tell a clip from a stale one.
set -euo pipefail

cd "$(dirname "$0")/../.."
for tool in go espeak-ng sox; do
	command -v "$tool" >/dev/null || { echo "generate.sh: $tool missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
exec go run ./assets/internal/voicegen -assets assets "$@"
