package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBenchTable runs .ci/benchtable.awk (what `make bench` prints) on
// made-up results: a figure that measured its floor beside it
// (floor-ns/op) is judged on the median of its runs' own ratios, which
// here passes although its median over the floor benchmark's would not;
// a missed target fails the table.
func TestBenchTable(t *testing.T) {
	if _, err := exec.LookPath("awk"); err != nil {
		t.Skip("no awk")
	}
	table := func(in string) (string, bool) {
		cmd := exec.Command("awk", "-f", ".ci/benchtable.awk")
		cmd.Stdin = strings.NewReader(in)
		out, err := cmd.CombinedOutput()
		return string(out), err == nil
	}
	row := func(out, name string) string {
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				return l
			}
		}
		t.Fatalf("no row %s in:\n%s", name, out)
		return ""
	}
	runs := `BenchmarkEtcdTxnFloor20-2 	 100	 900 ns/op
BenchmarkRegisterEtcd20-2 	 100	 1900 ns/op	 1000 floor-ns/op
BenchmarkRegisterEtcd20-2 	 100	 3000 ns/op	 1600 floor-ns/op
BenchmarkRegisterEtcd20-2 	 100	 2000 ns/op	 1050 floor-ns/op
`
	// Paired: 1.90, 1.875, 1.905, median 1.90; over the floor benchmark
	// the median would be 2000/900 = 2.22.
	out, _ := table(runs)
	if r := row(out, "BenchmarkRegisterEtcd20"); !strings.Contains(r, " 1.90 ") || !strings.Contains(r, " ok ") {
		t.Errorf("paired ratio: %s", r)
	}
	over := strings.ReplaceAll(runs, "1900 ns/op", "2400 ns/op")
	over = strings.ReplaceAll(over, " 2000 ns/op", " 2300 ns/op") // paired 2.4, 1.875, 2.19: median 2.19
	out, ok := table(over)
	if r := row(out, "BenchmarkRegisterEtcd20"); !strings.Contains(r, " 2.19 ") || !strings.Contains(r, "OVER (ratio)") || ok {
		t.Errorf("missed target: %s (exit ok %v)", r, ok)
	}
}
