package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// dataMark on a line (or the line above) says its Chinese literal is data,
// not a sentence: a value stored in records, a spelling accepted on import.
const dataMark = "i18n:data"

// No sentence slips back into code: the screens and the use cases hold no
// string literal in Chinese or Korean outside the catalog, except values
// marked as data. New screens are written against the catalog from their
// first line.
func TestNoSentenceInCode(t *testing.T) {
	for _, root := range []string{"../../screens", "../../model", "../../devices"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			if strings.Contains(filepath.ToSlash(p), "/testdata/") || strings.HasSuffix(filepath.Dir(p), "test") {
				return nil // test support packages (clocktest, screentest…)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			if ast.IsGenerated(f) {
				return nil // the catalog as Go data (catalog_gen.go)
			}
			marked := map[int]bool{}
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if strings.Contains(c.Text, dataMark) {
						line := fset.Position(c.Slash).Line
						marked[line], marked[line+1] = true, true
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !hasScript(s) {
					return true
				}
				if pos := fset.Position(lit.Pos()); !marked[pos.Line] {
					t.Errorf("%s:%d: sentence in code, not in the catalog: %s", p, pos.Line, lit.Value)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func hasScript(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
