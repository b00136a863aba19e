# Two commands matter: `make run` (the kiosk in demo mode) and `make test`
# (every test). Both install missing system packages first.
SHELL    := /bin/bash
GO       ?= go
FUZZTIME ?= 30s
BENCHTIME ?= 1s
BENCHCOUNT ?= 1
PKGS_APT := portaudio19-dev pkg-config

.PHONY: run test build deps vet fuzz bench clean

run: build
	./kiosk

build: deps
	$(GO) build -o kiosk .

# deps installs the Debian packages the build needs (cgo PortAudio) when missing.
deps:
	@missing=""; for p in $(PKGS_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

vet: deps
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test: vet
	$(GO) test -count=1 ./...

# fuzz runs every fuzz target for FUZZTIME (30 s each by default).
fuzz: deps
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# bench runs every benchmark and prints a table: each headline figure beside
# its floor measured in the same run, the ratio and its target (see
# .ci/benchtable.awk). BENCHCOUNT > 1 runs each benchmark that many times and
# the table shows medians. One package at a time, each built before it runs:
# `go test ./...` links the next test binaries while benchmarks run, and that
# load lands on whichever figure or floor happens to be timed. Fails when a
# target is missed.
bench: deps
	@for pkg in $$($(GO) list ./...); do \
	  $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) $$pkg 2>&1; \
	done | tee /tmp/kiosk-bench.txt | awk -f .ci/benchtable.awk

clean:
	rm -f kiosk
