package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed template is what this program writes, byte for byte
// (go run ./assets/internal/templategen after a change).
func TestLetterReproduced(t *testing.T) {
	got, err := os.ReadFile("../../templates/authorization_letter.docx")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Letter()) {
		t.Fatal("assets/templates/authorization_letter.docx differs from what templategen writes: run go generate ./assets")
	}
	if !bytes.Equal(Letter(), Letter()) {
		t.Fatal("two runs differ")
	}
}
