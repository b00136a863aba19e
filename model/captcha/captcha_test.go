package captcha

import (
	"strings"
	"testing"
	"time"

	"kiosk/model/clocktest"
)

func TestVerifySingleUseCaseInsensitive(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := New(clk, func() string { return "ab3d" })
	c := s.Issue()
	if c.Text != "AB3D" {
		t.Fatalf("text %q", c.Text)
	}
	if !s.Verify(c.ID, " ab3D ") {
		t.Fatal("right answer refused")
	}
	if s.Verify(c.ID, "AB3D") {
		t.Fatal("captcha reused")
	}
}

func TestVerifyWrongConsumes(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := New(clk, func() string { return "XY7K" })
	c := s.Issue()
	if s.Verify(c.ID, "XY7") {
		t.Fatal("wrong answer accepted")
	}
	if s.Verify(c.ID, "XY7K") {
		t.Fatal("challenge survived a wrong answer")
	}
}

func TestExpiry(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := New(clk, func() string { return "XY7K" })
	c := s.Issue()
	clk.Add(TTL + time.Second)
	if s.Verify(c.ID, "XY7K") {
		t.Fatal("expired challenge accepted")
	}
}

func TestRandomAlphabet(t *testing.T) {
	for i := 0; i < 200; i++ {
		r := Random()
		if len(r) < 4 || len(r) > 5 {
			t.Fatalf("length %d", len(r))
		}
		for _, ch := range r {
			if !strings.ContainsRune(Alphabet, ch) {
				t.Fatalf("char %q outside alphabet", ch)
			}
		}
	}
}

func TestLiveBounded(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := New(clk, nil)
	for i := 0; i < maxLive*3; i++ {
		s.Issue()
	}
	if len(s.live) > maxLive {
		t.Fatalf("%d live challenges", len(s.live))
	}
}
