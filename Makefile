# PAGI for Swift — one build graph for every package, app and test.
#
#   make run             build (release) and serve the demo
#   make test            build everything once (debug) and run every unit and black-box test (TESTS=REGEX: some modules)
#   make build           release build of every package and app
#   make install         install pagi-server, start_server, pagi-logfmt into $(PREFIX)/bin
#   make check-packages  build and test each Packages/<Name> on its own, as a user depending on it by path would
#   make bench           run every benchmark in Scripts/bench (peers in the same run)
#   make bench-NAME      run one benchmark: Scripts/bench/NAME.sh (e.g. bench-http1, bench-hello)
#   make fuzz-NAME       run one fuzzer for $(SECONDS) s: Scripts/fuzz/NAME.sh (e.g. fuzz-http1 SECONDS=60)
#   make deps            install the system libraries (and, for tests, the tools) the build needs
#   make clean

PREFIX   ?= /usr/local
SWIFT    ?= swift
JOBS     ?= $(shell nproc)
TESTS    ?= .
APPS     := pagi-server start_server pagi-logfmt
PACKAGES := $(sort $(patsubst Packages/%/Package.swift,%,$(wildcard Packages/*/Package.swift)))
# Debian packages the build needs (module maps of CPAGIOpenSSL / CPAGIZlib) and the tools the tests drive.
BUILD_APT := libssl-dev zlib1g-dev pkg-config
TEST_APT  := curl openssl procps wrk starlet starman libserver-starter-perl systemd chromium python3
APT_STAMP := .build/.deps-$(shell echo $(BUILD_APT) $(TEST_APT) | md5sum | cut -c1-8)

.PHONY: all build test run install check-packages bench deps test-deps clean help

all: build

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

# Installs only what is missing; apt-get update runs at most once, and only when something is missing.
deps: $(APT_STAMP)
$(APT_STAMP):
	@missing=$$(for p in $(BUILD_APT) $(TEST_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p .build && touch $@

build: deps
	$(SWIFT) build -c release -j $(JOBS)

# One build, then one test process per test module (Scripts/run-tests.sh says why); TESTS=REGEX picks modules.
test: deps
	$(SWIFT) build --build-tests -j $(JOBS)
	SWIFT=$(SWIFT) ./Scripts/run-tests.sh '$(TESTS)'

run: build
	./Scripts/run-demo.sh "$$($(SWIFT) build -c release --show-bin-path)"

install: build
	install -d "$(DESTDIR)$(PREFIX)/bin"
	bin=$$($(SWIFT) build -c release --show-bin-path); \
	for app in $(APPS); do install -m 0755 "$$bin/$$app" "$(DESTDIR)$(PREFIX)/bin/$$app"; done

check-packages: deps
	@set -e; for p in $(PACKAGES); do \
	  echo "== Packages/$$p"; \
	  $(SWIFT) build --package-path Packages/$$p -j $(JOBS); \
	  if [ -d Packages/$$p/Tests ]; then $(SWIFT) test --package-path Packages/$$p -j $(JOBS); fi; \
	done

bench: build
	./Scripts/bench.sh "$$($(SWIFT) build -c release --show-bin-path)"

bench-%: build
	@test -x Scripts/bench/$*.sh || { echo "no benchmark named '$*' (see Scripts/bench/)" >&2; exit 2; }
	./Scripts/bench/$*.sh "$$($(SWIFT) build -c release --show-bin-path)"

SECONDS ?= 60
fuzz-%: deps
	@test -x Scripts/fuzz/$*.sh || { echo "no fuzzer named '$*' (see Scripts/fuzz/)" >&2; exit 2; }
	./Scripts/fuzz/$*.sh $(SECONDS)

clean:
	rm -rf .build .build-* Packages/*/.build
