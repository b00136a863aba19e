#!/usr/bin/env bash
# generate.sh turns prompts.tsv into one WAV per prompt id (16 kHz, mono,
# PCM16), spoken in Mandarin by Debian's espeak-ng and trimmed/normalised by sox.
#
#   apt-get install espeak-ng sox
#   assets/voice/generate.sh            # from anywhere; writes next to this script
#
# The WAVs are committed; run this only after editing prompts.tsv. Output is
# deterministic for a given espeak-ng/sox version (no dither). WAVs whose id is
# no longer listed are removed so the embed and the list stay in step.
set -euo pipefail

cd "$(dirname "$0")"

# cmn-latn-pinyin, not cmn: Debian's "cmn" voice reads the pinyin that its
# dictionary yields for most characters with English letter rules, which is
# unintelligible; the pinyin voice reads the same text as Mandarin and also
# names single Latin letters (captcha characters) the way Mandarin speakers do.
VOICE=${VOICE:-cmn-latn-pinyin}
SPEED=${SPEED:-175} # espeak-ng words per minute (its default); slower makes the clips long

for tool in espeak-ng sox; do
	command -v "$tool" >/dev/null || { echo "generate.sh: $tool missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A want=()
while IFS=$'\t' read -r id text; do
	[[ -z "$id" || "$id" == \#* ]] && continue
	if [[ ! "$id" =~ ^[a-z][a-z0-9_]*$|^char_[0-9A-Z]$ ]]; then
		echo "generate.sh: bad prompt id '$id'" >&2; exit 1
	fi
	if [[ "$text" =~ [0-9][0-9][0-9] ]]; then
		echo "generate.sh: $id: numbers are never spoken in full" >&2; exit 1
	fi
	[[ "$text" != -* ]] || { echo "generate.sh: $id: text must not start with -" >&2; exit 1; }
	want[$id]=1
	espeak-ng -v "$VOICE" -s "$SPEED" -w "$tmp/raw.wav" "$text"
	# Resample to 16 kHz mono PCM16, cut leading/trailing silence, normalise
	# to -1 dBFS, and leave 80 ms of air at both ends so clips join cleanly.
	sox -D "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$tmp/out.wav" \
		silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
		norm -1 pad 0.08 0.08
	mv "$tmp/out.wav" "$id.wav"
done < prompts.tsv

for f in *.wav; do
	[[ -e "$f" ]] || continue
	id=${f%.wav}
	[[ -n "${want[$id]:-}" ]] || { echo "removing stale $f"; rm -f "$f"; }
done

echo "generate.sh: ${#want[@]} prompts, $(du -ch ./*.wav | tail -1 | cut -f1) total"
