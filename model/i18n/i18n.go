// Package i18n is the kiosk's message catalog: every sentence a person sees
// or hears named by an id, in Simplified Chinese (the source and the
// default), Korean (조선어, as written in Yanbian) and English. The
// catalogs are TOML files under assets/i18n/<lang>/, read with go-i18n,
// which also chooses plural forms.
//
// Code never holds a sentence: a use case refuses with an error whose
// Message is a Text (an id and its values), a screen declares its labels by
// id, and both are rendered in the language of the visit at the last
// moment. Names, addresses and registry data are values of a Text, never
// translated.
package i18n

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	toml "github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"kiosk/assets"
)

// Lang is an interface language.
type Lang string

// The interface languages, in the order the header's button cycles them.
const (
	Chinese Lang = "zh"
	Korean  Lang = "ko"
	English Lang = "en"
)

// Langs are the interface languages.
var Langs = []Lang{Chinese, Korean, English}

// Parse reads a language code ("zh", "ko", "en"; case and region are
// ignored: "zh-CN", "ko_KR").
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Next is the language after l in the button's cycle.
func (l Lang) Next() Lang {
	for i, x := range Langs {
		if x == l {
			return Langs[(i+1)%len(Langs)]
		}
	}
	return Chinese
}

// Text is a sentence of the catalog: its id and the values of its
// placeholders ({{.Name}}). A value named "N" also chooses the plural form;
// a value that is a Text is rendered in the same language first (a label
// inside "请输入{{.Label}}").
type Text struct {
	ID   string
	Args map[string]any
}

// T is the Text id with the placeholder values kv: name, value, name,
// value…
func T(id string, kv ...any) Text {
	t := Text{ID: id}
	if len(kv) > 0 {
		t.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			t.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return t
}

// rawID is the catalog id of a Text that is shown as it is.
const rawID = "raw"

// Raw is data shown as it is (a name, a registry value): never translated.
func Raw(s string) Text { return Text{ID: rawID, Args: map[string]any{"S": s}} }

// IsZero reports an empty Text.
func (t Text) IsZero() bool { return t.ID == "" }

//go:generate go run ./internal/gen

// Catalog holds the messages of every language. Each language is read on
// first use (or by Preload, in the background): the first frame needs one
// language only. The default catalog reads the messages generated from
// assets/i18n (catalog_gen.go), any other parses its TOML files.
type Catalog struct {
	fsys  fs.FS
	gen   bool // fsys is assets.I18n: its messages are generated (catalog_gen.go)
	langs map[Lang]*langCat
	memo  sync.Map // memoKey → string: texts without values, rendered once
}

// langCat is one language's messages, read once.
type langCat struct {
	once sync.Once
	err  error
	loc  *goi18n.Localizer
	ids  map[string]bool
	src  map[string][]string // the text of every plural form, by id
}

type memoKey struct {
	lang Lang
	id   string
}

// newCatalog is a catalog of fsys whose languages are read when needed.
func newCatalog(fsys fs.FS) *Catalog {
	c := &Catalog{fsys: fsys, langs: map[Lang]*langCat{}}
	for _, l := range Langs {
		c.langs[l] = &langCat{}
	}
	return c
}

// Load reads every i18n/<lang>/*.toml of fsys now (the languages side by
// side) and reports the first broken file.
func Load(fsys fs.FS) (*Catalog, error) {
	c := newCatalog(fsys)
	for _, l := range Langs {
		go c.lang(l)
	}
	for _, l := range Langs {
		if lc := c.lang(l); lc.err != nil {
			return nil, lc.err
		}
	}
	return c, nil
}

// restDelay is how long Preload leaves the CPU to the first frame before
// it reads the languages not named: on a two-core kiosk, reading them
// beside the start-up would hold the first frame back.
const restDelay = 1500 * time.Millisecond

// Preload starts reading every language in the background: first the
// languages named (the hall's, wanted for the first frame), then, once the
// first frame has had its time, the others one after another. A use waits
// only for its own language (a switch before then reads it at once).
func (c *Catalog) Preload(first ...Lang) {
	go func() {
		for _, l := range first {
			c.lang(l)
		}
		time.Sleep(restDelay)
		for _, l := range Langs {
			c.lang(l)
		}
	}()
}

// lang is l's messages, read on first use.
func (c *Catalog) lang(l Lang) *langCat {
	lc, ok := c.langs[l]
	if !ok {
		return &langCat{} // no such language: no messages
	}
	lc.once.Do(func() {
		var msgs []Parsed
		if msgs, lc.err = c.messages(l); lc.err == nil {
			lc.err = lc.load(msgs, l)
		}
	})
	return lc
}

// messages are l's messages: generated from assets/i18n at build time for
// the default catalog, parsed from c's files for any other.
func (c *Catalog) messages(l Lang) ([]Parsed, error) {
	if !c.gen {
		return parseLang(c.fsys, l)
	}
	var msgs []Parsed
	for _, m := range generated {
		if m.Lang == l {
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}

// Parsed is one message of a catalog file as go-i18n reads it: Forms are
// its plural forms zero, one, two, few, many and other.
type Parsed struct {
	Lang                                         Lang
	File                                         string // the file's name without ".toml"
	ID, Hash, Description, LeftDelim, RightDelim string
	Forms                                        [6]string
}

// ParseFS reads every i18n/<lang>/*.toml of fsys, language by language,
// file by file in name order, each file's messages by id.
func ParseFS(fsys fs.FS) ([]Parsed, error) {
	var out []Parsed
	for _, l := range Langs {
		msgs, err := parseLang(fsys, l)
		if err != nil {
			return nil, err
		}
		out = append(out, msgs...)
	}
	return out, nil
}

// unmarshalTOML is how the catalog files are read.
var unmarshalTOML = map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal}

// parseLang reads i18n/<l>/*.toml of fsys.
func parseLang(fsys fs.FS, l Lang) ([]Parsed, error) {
	files, err := fs.Glob(fsys, path.Join("i18n", string(l), "*.toml"))
	if err != nil {
		return nil, err
	}
	var out []Parsed
	for _, p := range files {
		msgs, err := parseFile(fsys, p, l)
		if err != nil {
			return nil, err
		}
		out = append(out, msgs...)
	}
	return out, nil
}

// parseFile reads one catalog file of language l.
func parseFile(fsys fs.FS, p string, l Lang) ([]Parsed, error) {
	buf, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	file := strings.TrimSuffix(path.Base(p), ".toml")
	// go-i18n takes the language from the file name.
	mf, err := goi18n.ParseMessageFileBytes(buf, file+"."+string(l)+".toml", unmarshalTOML)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	out := make([]Parsed, 0, len(mf.Messages))
	for _, m := range mf.Messages {
		out = append(out, Parsed{Lang: l, File: file, ID: m.ID, Hash: m.Hash, Description: m.Description,
			LeftDelim: m.LeftDelim, RightDelim: m.RightDelim, Forms: [6]string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other}})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out, nil
}

// load puts msgs, l's messages, into a bundle of l's own (its plural
// rules).
func (lc *langCat) load(msgs []Parsed, l Lang) error {
	lc.ids, lc.src = make(map[string]bool, len(msgs)), make(map[string][]string, len(msgs))
	tag := language.Make(string(l))
	bundle := goi18n.NewBundle(tag)
	all := make([]goi18n.Message, len(msgs))
	ptrs := make([]*goi18n.Message, len(msgs))
	for i, m := range msgs {
		p := path.Join("i18n", string(l), m.File+".toml")
		if lc.ids[m.ID] {
			return fmt.Errorf("%s: %s defined twice", p, m.ID)
		}
		lc.ids[m.ID] = true
		for _, f := range m.Forms {
			if f != "" {
				lc.src[m.ID] = append(lc.src[m.ID], f)
			}
		}
		all[i] = goi18n.Message{ID: m.ID, Hash: m.Hash, Description: m.Description, LeftDelim: m.LeftDelim,
			RightDelim: m.RightDelim, Zero: m.Forms[0], One: m.Forms[1], Two: m.Forms[2], Few: m.Forms[3],
			Many: m.Forms[4], Other: m.Forms[5]}
		ptrs[i] = &all[i]
	}
	if err := bundle.AddMessages(tag, ptrs...); err != nil {
		return fmt.Errorf("i18n/%s: %w", l, err)
	}
	lc.loc = goi18n.NewLocalizer(bundle, string(l))
	return nil
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default is the catalog of assets/i18n. A broken catalog is a defect of
// the build: its first use panics (the catalog tests catch it first).
func Default() *Catalog {
	defaultOnce.Do(func() {
		defaultCat = newCatalog(assets.I18n)
		defaultCat.gen = true
	})
	return defaultCat
}

// Render is t in l, falling back to Chinese for an id l lacks. An id no
// catalog has renders as "⟦id⟧", so that a gap shows instead of vanishing
// (the completeness test fails on it first).
func (c *Catalog) Render(l Lang, t Text) string {
	if t.ID == "" {
		return ""
	}
	if t.ID == rawID {
		s, _ := t.Args["S"].(string)
		return s
	}
	if _, ok := c.langs[l]; !ok {
		l = Chinese
	}
	if len(t.Args) == 0 {
		k := memoKey{l, t.ID}
		if s, ok := c.memo.Load(k); ok {
			return s.(string)
		}
		s := c.render(l, t)
		c.memo.Store(k, s)
		return s
	}
	return c.render(l, t)
}

func (c *Catalog) render(l Lang, t Text) string {
	args, copied := t.Args, false
	for k, v := range t.Args { // a Text among the values is rendered in l too
		if sub, ok := v.(Text); ok {
			if !copied {
				args, copied = make(map[string]any, len(t.Args)), true
				for k2, v2 := range t.Args {
					args[k2] = v2
				}
			}
			args[k] = c.Render(l, sub)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: t.ID, TemplateData: args}
	if n, ok := t.Args["N"]; ok {
		cfg.PluralCount = n
	}
	lc := c.lang(l)
	if lc.err != nil {
		panic("i18n: " + lc.err.Error())
	}
	if !lc.ids[t.ID] && l != Chinese { // an id l lacks: the Chinese source
		return c.render(Chinese, t)
	}
	s, err := lc.loc.Localize(cfg)
	if err != nil {
		return "⟦" + t.ID + "⟧"
	}
	return s
}

// Has reports whether l's catalog defines id.
func (c *Catalog) Has(l Lang, id string) bool { return c.lang(l).ids[id] }

// forms are the texts (one per plural form) of id in l.
func (c *Catalog) forms(l Lang, id string) []string { return c.lang(l).src[id] }

// IDs are the ids l's catalog defines, sorted.
func (c *Catalog) IDs(l Lang) []string {
	ids := c.lang(l).ids
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

type langKey struct{}

// WithLang is ctx carrying the language of the visit: use cases write what
// they send (an SMS) in it.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, langKey{}, l)
}

// LangOf is the language ctx carries, Chinese when none.
func LangOf(ctx context.Context) Lang {
	if l, ok := ctx.Value(langKey{}).(Lang); ok {
		return l
	}
	return Chinese
}

// Sentence renders t in the language ctx carries, with the default catalog.
func Sentence(ctx context.Context, t Text) string { return Default().Render(LangOf(ctx), t) }
