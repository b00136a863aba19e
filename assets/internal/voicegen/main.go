// Command voicegen makes the voice prompts: for every language of
// audio.VoiceLangs and every prompt id of audio.Prompts it renders the
// catalog sentence voice.<id> (assets/i18n/<lang>/voice.toml), has
// espeak-ng say it and sox trim and normalise it into a 16 kHz mono PCM16
// WAV: assets/voice/<id>.wav for Mandarin, assets/voice/<lang>/<id>.wav
// for the others. WAVs of ids or languages no longer wanted are removed,
// and assets/voice/texts.sum records which text each clip says so that
// the tests notice a sentence edited without regenerating.
//
//	apt-get install espeak-ng sox
//	assets/voice/generate.sh                       # or, from the repository root:
//	go run ./assets/internal/voicegen              # regenerate every clip
//	go run ./assets/internal/voicegen -measure     # print the measure of docs/voice.md
//	go run ./assets/internal/voicegen -lang ko -out /tmp/ko   # clips of any language, to listen to
//
// Output is deterministic for a given espeak-ng/sox version (no dither).
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
)

func main() {
	assetsDir := flag.String("assets", "assets", "the assets directory (catalogs in i18n/, clips written to voice/)")
	doMeasure := flag.Bool("measure", false, "print the measure of every language's voice (docs/voice.md) instead of generating")
	verbose := flag.Bool("v", false, "with -measure: also list the Korean words said otherwise than the standard")
	out := flag.String("out", "", "write the clips of -lang here instead of assets/voice, for listening (nothing else is touched)")
	langs := flag.String("lang", "", "with -out: the languages, comma-separated (zh,ko,en); default all")
	flag.Parse()
	if err := run(*assetsDir, *doMeasure, *verbose, *out, *langs); err != nil {
		fmt.Fprintln(os.Stderr, "voicegen:", err)
		os.Exit(1)
	}
}

func run(assetsDir string, doMeasure, verbose bool, out, langs string) error {
	// The catalogs are read from disk, not from the embedded copy, so that
	// an edit is heard at once; a broken catalog is an error, not a panic.
	cat, err := i18n.Load(os.DirFS(assetsDir))
	if err != nil {
		return err
	}
	if doMeasure {
		if err := tools("espeak-ng"); err != nil {
			return err
		}
		rs, err := measure(cat, i18n.Langs, runtime.NumCPU())
		if err != nil {
			return err
		}
		fmt.Printf("%s\n\n%s", version("espeak-ng"), table(rs))
		if verbose {
			fmt.Print(details(rs, 1<<30))
		}
		return nil
	}
	if err := tools("espeak-ng", "sox"); err != nil {
		return err
	}
	if out == "" {
		return generate(cat, filepath.Join(assetsDir, "voice"), audio.VoiceLangs, true)
	}
	ls := i18n.Langs
	if langs != "" {
		ls = nil
		for _, s := range strings.Split(langs, ",") {
			l, ok := i18n.Parse(s)
			if !ok {
				return fmt.Errorf("-lang: %q is no interface language", s)
			}
			ls = append(ls, l)
		}
	}
	return generate(cat, out, ls, false)
}

// clipPath is where clip id of language l is written under dir.
func clipPath(dir string, l i18n.Lang, id string) string {
	if l == i18n.Chinese {
		return filepath.Join(dir, id+".wav")
	}
	return filepath.Join(dir, string(l), id+".wav")
}

type job struct {
	lang     i18n.Lang
	id, text string
}

// generate writes the clips of langs under dir. tidy is for assets/voice:
// it also removes stale clips and rewrites texts.sum.
func generate(cat *i18n.Catalog, dir string, langs []i18n.Lang, tidy bool) error {
	var jobs []job
	for _, l := range langs {
		for _, id := range audio.Prompts() {
			text, err := promptText(cat, l, id)
			if err != nil {
				return err
			}
			jobs = append(jobs, job{l, id, text})
		}
	}
	for _, l := range langs {
		if err := os.MkdirAll(filepath.Dir(clipPath(dir, l, "x")), 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "voicegen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	err = parallel(len(jobs), runtime.NumCPU(), func(i int) error {
		j := jobs[i]
		return say(j, filepath.Join(tmp, fmt.Sprint(i)), clipPath(dir, j.lang, j.id))
	})
	if err != nil {
		return err
	}
	if tidy {
		if err := removeStale(dir, jobs); err != nil {
			return err
		}
		if err := writeSums(dir, jobs); err != nil {
			return err
		}
	}
	return report(dir, langs, jobs)
}

// say makes one clip: espeak-ng at its own rate, then sox resamples to
// 16 kHz mono PCM16, cuts leading and trailing silence, normalises to
// -1 dBFS and leaves 80 ms of air at both ends so clips join cleanly.
func say(j job, tmp, out string) error {
	raw, err := synth(j.lang, j.text)
	if err != nil {
		return fmt.Errorf("%s %s: %w", j.lang, j.id, err)
	}
	if err := os.WriteFile(tmp+".raw.wav", raw, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("sox", "-D", tmp+".raw.wav", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", tmp+".wav",
		"silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
		"norm", "-1", "pad", "0.08", "0.08")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: sox: %v: %s", j.lang, j.id, err, b)
	}
	return os.Rename(tmp+".wav", out)
}

// removeStale deletes the WAVs no job made: ids no longer listed, and
// every clip of a language no longer in audio.VoiceLangs.
func removeStale(dir string, jobs []job) error {
	want := map[string]bool{}
	for _, j := range jobs {
		want[clipPath(dir, j.lang, j.id)] = true
	}
	var stale []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".wav") && !want[p] {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range stale {
		fmt.Println("removing stale", p)
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	for _, l := range i18n.Langs {
		if !slices.Contains(audio.VoiceLangs, l) {
			_ = os.Remove(filepath.Join(dir, string(l))) // only if empty
		}
	}
	return nil
}

// sumsFile records, for every clip, a hash of the text it says.
const sumsFile = "texts.sum"

// textSum is the hash of a prompt text recorded in texts.sum.
func textSum(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:8])
}

func writeSums(dir string, jobs []job) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by assets/internal/voicegen: clip id, then the first 8 bytes of the\n"+
		"# SHA-256 of the catalog text it says. devices/audio's tests compare it with the\n"+
		"# catalog; a mismatch means voice.toml changed: run assets/voice/generate.sh.\n"+
		"# %s; %s\n", version("espeak-ng"), version("sox"))
	for _, j := range jobs {
		clip := j.id
		if j.lang != i18n.Chinese {
			clip = string(j.lang) + "/" + j.id
		}
		fmt.Fprintf(&b, "%s\t%s\n", clip, textSum(j.text))
	}
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(b.String()), 0o644)
}

func report(dir string, langs []i18n.Lang, jobs []job) error {
	var total int64
	for _, l := range langs {
		var n int
		var size int64
		for _, j := range jobs {
			if j.lang != l {
				continue
			}
			fi, err := os.Stat(clipPath(dir, l, j.id))
			if err != nil {
				return err
			}
			n++
			size += fi.Size()
		}
		total += size
		fmt.Printf("voicegen: %s (%s): %d clips, %.2f MiB\n", l, voices[l], n, float64(size)/(1<<20))
	}
	fmt.Printf("voicegen: %d clips, %d bytes (%.2f MiB) in all, in %s\n", len(jobs), total, float64(total)/(1<<20), dir)
	return nil
}
