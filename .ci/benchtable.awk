# Turns `go test -bench` output into a table with the targets named in the
# issues (and our own budgets), in nanoseconds per operation.
BEGIN {
	target["BenchmarkStartToFirstFrame"] = 150e6
	target["BenchmarkLoginKeystroke"] = 1e6
	target["BenchmarkEnterpriseByUSCC100k"] = 50e3
	target["BenchmarkPreviewFrame"] = 5e6
	printf "%-44s %14s %12s %10s %12s  %s\n", "benchmark", "ns/op", "B/op", "allocs/op", "target", "result"
	fails = 0
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	ns = ""; bop = ""; aop = ""
	for (i = 2; i <= NF; i++) {
		if ($i == "ns/op") ns = $(i-1)
		if ($i == "B/op") bop = $(i-1)
		if ($i == "allocs/op") aop = $(i-1)
	}
	t = ""; res = ""
	if (name in target) {
		t = fmt(target[name])
		if (ns + 0 <= target[name]) res = "ok"; else { res = "OVER"; fails++ }
	}
	printf "%-44s %14s %12s %10s %12s  %s\n", name, ns, bop, aop, t, res
}
/^(FAIL|panic:|--- FAIL)/ { print; fails++ }
END { if (fails) { printf "\n%d benchmark(s) over target or failed\n", fails; exit 1 } }
function fmt(ns) {
	if (ns >= 1e6) return sprintf("%gms", ns / 1e6)
	if (ns >= 1e3) return sprintf("%gµs", ns / 1e3)
	return sprintf("%gns", ns)
}
