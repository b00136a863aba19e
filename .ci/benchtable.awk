# benchtable.awk turns `go test -bench . -benchmem ./...` output into one
# table with a target check:
#
#   benchmark  ns/op  B/op  allocs/op  floor  ratio  target  result
#
# A figure means little alone on a shared, noisy machine: beside it, measure
# its floor (a bare program, a peer library, the raw engine) in the same run
# and print the ratio; targets are ratios. The pairs:
#
#   figure                          floor                             target
#   BenchmarkStartToFirstFrame      BenchmarkStartToFirstFrameFloor   ratio <= 1.5  (bare Bubble Tea program)
#   BenchmarkLoginKeystroke         BenchmarkKeystrokeFloorHuh        ratio <= 0.3  (huh form), and <= 369 allocs/op
#   BenchmarkRegisterKeystroke      BenchmarkKeystrokeFloorHuh        the same, on the busiest registration step
#   BenchmarkEnterpriseByUSCC100k   BenchmarkBboltGetFloor100k        ratio <= 4    (bbolt Get)
#   BenchmarkAgentListKeystroke     BenchmarkKeystrokeFloorHuh        ratio <= 0.43 (我的经办人, 200 agents: the
#                                                                     issue's 1 ms over the huh floor's 2.3 ms here)
#
# "floor" is the floor's ns/op from the same run and "ratio" is figure ns/op
# over floor ns/op. Floor rows are printed too, right under their figure,
# marked "(floor)". A pair whose floor is missing from the run fails with
# "no floor"; a figure with a target that is missing fails with "not run".
# BenchmarkPreviewFrame keeps an absolute budget (5 ms per frame); every
# other benchmark is listed without a target.
#
# go test names results BenchmarkX-N (N = GOMAXPROCS); the suffix is dropped.
# Each package's benchmarks come in their own section of the output, so the
# table is printed at the end. With -count > 1 every column is the median of
# the runs. Failed tests or benchmarks are echoed as they come. Exit status
# is 1 when a target is missed or anything failed.
BEGIN {
	nfig = 0
	pair("BenchmarkStartToFirstFrame", "BenchmarkStartToFirstFrameFloor", 1.5)
	pair("BenchmarkLoginKeystroke", "BenchmarkKeystrokeFloorHuh", 0.3)
	maxallocs["BenchmarkLoginKeystroke"] = 369
	pair("BenchmarkRegisterKeystroke", "BenchmarkKeystrokeFloorHuh", 0.3)
	maxallocs["BenchmarkRegisterKeystroke"] = 369
	pair("BenchmarkEnterpriseByUSCC100k", "BenchmarkBboltGetFloor100k", 4)
	pair("BenchmarkAgentListKeystroke", "BenchmarkKeystrokeFloorHuh", 0.43)
	maxns["BenchmarkPreviewFrame"] = 5e6
	figure[++nfig] = "BenchmarkPreviewFrame"
	fails = 0
	nseen = 0
}

function pair(fig, fl, ratio) {
	floorof[fig] = fl
	if (fl in floorfor) floorfor[fl] = floorfor[fl] ", " fig
	else floorfor[fl] = fig
	maxratio[fig] = ratio
	figure[++nfig] = fig
}

/^Benchmark/ && / ns\/op/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	if (!(name in runs)) {
		seen[++nseen] = name
		runs[name] = 0
	}
	k = ++runs[name]
	for (i = 2; i <= NF; i++) {
		if ($i == "ns/op") val[name, "ns", k] = $(i - 1) + 0
		if ($i == "B/op") val[name, "b", k] = $(i - 1) + 0
		if ($i == "allocs/op") val[name, "a", k] = $(i - 1) + 0
	}
	next
}

/^(FAIL|panic:|--- FAIL)/ { print; fails++ }

# median of metric m over name's runs, or "" if no run reported it.
function median(name, m,    n, i, j, x, v) {
	n = 0
	for (i = 1; i <= runs[name]; i++)
		if ((name, m, i) in val) v[++n] = val[name, m, i]
	if (n == 0) return ""
	for (i = 2; i <= n; i++) { # insertion sort: a handful of values
		x = v[i]
		for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]
		v[j + 1] = x
	}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function num(v) {
	if (v == "") return "-"
	return v >= 100 ? sprintf("%.0f", v) : sprintf("%.4g", v)
}

function dur(ns) {
	if (ns >= 1e6) return sprintf("%gms", ns / 1e6)
	if (ns >= 1e3) return sprintf("%gus", ns / 1e3)
	return sprintf("%gns", ns)
}

function line(name, ns, b, a, fl, ratio, target, result) {
	printf "%-38s %14s %12s %10s %14s %7s  %-28s %s\n", name, ns, b, a, fl, ratio, target, result
}

function targetof(name,    t) {
	if (name in floorof) {
		t = "ratio <= " maxratio[name]
		if (name in maxallocs) t = t ", <= " maxallocs[name] " allocs"
		return t
	}
	if (name in maxns) return "<= " dur(maxns[name])
	if (name in floorfor) { t = floorfor[name]; gsub(/Benchmark/, "", t); return "floor of " t }
	return ""
}

# row prints name's result with its target check; floors print under their figure.
function row(name,    ns, b, a, fl, flns, ratio, target, result, bad) {
	ns = median(name, "ns"); b = median(name, "b"); a = median(name, "a")
	fl = "-"; ratio = "-"; target = targetof(name); result = ""
	if (name in floorof) {
		if (!(floorof[name] in runs) || median(floorof[name], "ns") <= 0) {
			result = "FAIL: no floor (" floorof[name] ")"
			fails++
		} else {
			flns = median(floorof[name], "ns")
			fl = num(flns)
			ratio = sprintf("%.2f", ns / flns)
			bad = ""
			if (ns / flns > maxratio[name]) bad = "ratio"
			if ((name in maxallocs) && (a == "" || a > maxallocs[name])) bad = bad (bad == "" ? "" : "+") "allocs"
			if (bad == "") result = "ok"
			else { result = "OVER (" bad ")"; fails++ }
		}
	} else if (name in maxns) {
		if (ns <= maxns[name]) result = "ok"
		else { result = "OVER"; fails++ }
	} else if (name in floorfor) {
		result = "(floor)"
	}
	line(name, num(ns), num(b), num(a), fl, ratio, target, result)
	printed[name] = 1
	if ((name in floorof) && (floorof[name] in runs)) {
		row(floorof[name])
	}
}

END {
	print ""
	line("benchmark", "ns/op", "B/op", "allocs/op", "floor", "ratio", "target", "result")
	for (i = 1; i <= nseen; i++) {
		name = seen[i]
		if (name in printed) continue
		# a floor waits for its figure, unless the figure did not run
		if ((name in floorfor) && (floorfor[name] in runs)) continue
		row(name)
	}
	for (i = 1; i <= nfig; i++) {
		if (!(figure[i] in runs)) {
			line(figure[i], "-", "-", "-", "-", "-", targetof(figure[i]), "FAIL: not run")
			fails++
		}
	}
	if (fails) {
		printf "\n%d target(s) missed or benchmark(s) failed\n", fails
		exit 1
	}
}
