// Package assets holds the files embedded into the kiosk binary: word
// lists, voice prompts, templates and sample data. Each kind of asset lives
// in its own file of this package with its own //go:embed directive.
package assets
