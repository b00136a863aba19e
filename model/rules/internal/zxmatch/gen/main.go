// Command gen writes zxcvbn's frequency lists (github.com/trustelem/zxcvbn
// /frequency) as text files, one word per line in rank order, into
// ../lists, which zxmatch embeds and reads on first use: importing the
// package itself builds a megabyte map literal at program start, before the
// kiosk's first frame. Run `go run ./model/rules/internal/zxmatch/gen`
// after a zxcvbn upgrade; TestEmbeddedListsMatchModule checks the copy.
package main

import (
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/trustelem/zxcvbn/frequency"
)

func main() {
	dir := filepath.Join("model", "rules", "internal", "zxmatch", "lists")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, words := range frequency.FrequencyLists {
		if err := os.WriteFile(filepath.Join(dir, name+".txt"), []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
