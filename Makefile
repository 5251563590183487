# Improvement Tracker. `make help` lists the targets.
GO        ?= go
DATABASE_URL ?= sqlite:data/tracker.db
export DATABASE_URL

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
# The SQLite driver is pure Go; without cgo the build skips compiling the C of a driver
# gorm.io/driver/sqlite imports but the app does not use, and the binary is static.
run: ## start the app on http://localhost:8080 (SQLite in data/tracker.db)
	CGO_ENABLED=0 $(GO) run ./cmd/tracker serve

.PHONY: demo
demo: ## fill an empty database with a realistic Danish demo year (prints the demo users)
	CGO_ENABLED=0 $(GO) run ./cmd/tracker demo

.PHONY: build
build: ## build the binary into bin/tracker
	CGO_ENABLED=0 $(GO) build -o bin/tracker ./cmd/tracker

# Flags of every test run; `make test TESTFLAGS=-count=1` skips the race detector.
TESTFLAGS ?= -race -count=1
# Longest a package's tests may run. Go's default of 10 minutes is too close: the app's
# tests (browsers included) take 9-10 minutes under the race detector on a busy 2-core
# machine, and one run past it failed as a timeout, not as a test.
TESTTIMEOUT ?= 30m
# Where tests keep their artifacts (the browser tests' screenshots), one folder per
# dialect; empty (the default) keeps none. .ci/run sets it.
TEST_ARTIFACTS ?=
artifacts = $(if $(TEST_ARTIFACTS),-artifacts -outputdir=$(TEST_ARTIFACTS)/$(1))

.PHONY: test
test: ## run every test on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set, then each fuzz target for a few seconds
	@rc=0; $(MAKE) --no-print-directory test-sqlite || rc=1; \
	if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-pgsql || rc=1; \
	else echo "postgres: not run (set TEST_DATABASE_URL=postgres://...; .ci/run does)"; fi; \
	$(MAKE) --no-print-directory test-fuzz || rc=1; \
	exit $$rc

.PHONY: test-sqlite
test-sqlite: ## run every test on SQLite (a fresh file per test)
	$(if $(TEST_ARTIFACTS),mkdir -p $(TEST_ARTIFACTS)/sqlite)
	TEST_DIALECT=sqlite $(GO) run ./.ci/testsum -name sqlite -- $(TESTFLAGS) -timeout=$(TESTTIMEOUT) $(call artifacts,sqlite) ./...

.PHONY: test-pgsql
test-pgsql: ## run every test on PostgreSQL (a fresh schema per test in TEST_DATABASE_URL)
	@test -n "$$TEST_DATABASE_URL" || { echo "test-pgsql needs TEST_DATABASE_URL=postgres://..."; exit 2; }
	$(if $(TEST_ARTIFACTS),mkdir -p $(TEST_ARTIFACTS)/postgres)
	TEST_DIALECT=postgres $(GO) run ./.ci/testsum -name postgres -- $(TESTFLAGS) -timeout=$(TESTTIMEOUT) $(call artifacts,postgres) ./...

.PHONY: lint
lint: assets-verify ## go vet, gofmt and the vendored files' checksums
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; echo "run: gofmt -w . and commit"; exit 1; fi

.PHONY: generate
generate: ## regenerate templ views
	$(GO) tool templ generate

# Third-party files kept in the repository, so that neither the app nor its tests need npm:
# each is pinned by version (package.json, package-lock.json) and by its SHA-256 here.
# `make assets` refreshes them from the npm registry and fails when a file differs from
# its pin; after a deliberate upgrade, update the version and the checksum together.
HTMX_SHA256 := d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
AXE_SHA256  := 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c

.PHONY: assets
assets: ## refresh the vendored htmx (static/vendor) and axe-core (app/testdata) from the npm registry, checking their pinned checksums
	npm ci --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE app/testdata/axe-core/
	$(MAKE) --no-print-directory assets-verify

.PHONY: assets-verify
assets-verify: ## check the vendored front-end and test files against their pinned checksums
	@echo "$(HTMX_SHA256)  static/vendor/htmx.min.js" | sha256sum -c --quiet
	@echo "$(AXE_SHA256)  app/testdata/axe-core/axe.min.js" | sha256sum -c --quiet
	@echo "vendored files match their pins"

.PHONY: check
check: generate ## fail when generated files or go.mod are out of date
	$(GO) mod tidy
	@if [ -n "$$(git status --porcelain -- '*.go' go.mod go.sum)" ]; then \
		git status --porcelain -- '*.go' go.mod go.sum; \
		echo "generated files or go.mod changed: run make generate && go mod tidy and commit"; exit 1; fi

# --- Benchmarks, reliability and fuzzing (issue 9) ---------------------------------
# Fuzz targets and the package each lives in; `go test -fuzz` takes one at a time.
FUZZ_TARGETS := ./models/store:FuzzImportCSV ./app:FuzzFeedbackForm ./app:FuzzTransitionAPI
FUZZTIME ?= 60s
# make test counts executions rather than seconds: a wall-clock -fuzztime races Go's fuzz
# coordinator at the deadline and can fail a target with "context deadline exceeded" and no crasher.
FUZZTIME_TEST ?= 2000x
BENCHFLAGS ?=
SOAKFLAGS ?=

# Both run on PostgreSQL when DATABASE_URL is postgres://... (the data set goes into its
# own schema there, bench or bench_soak, dropped first, and two `tracker serve` instances
# share the load); any other DATABASE_URL, such as the default above, is make run's, and
# they make their own SQLite file in bench-results/.
.PHONY: bench
bench: ## generate 1M feedback, start the server, load every page alone and beside 50 writes/s; prints the table (PostgreSQL with DATABASE_URL=postgres://...)
	$(GO) run ./cmd/bench $(BENCHFLAGS)

.PHONY: soak
soak: ## crash the server under writes (0 lost), 60 s mixed load (p50/p99 per kind, no 5xx, nothing lost, own writes seen), backup check (PostgreSQL with DATABASE_URL=postgres://...)
	$(GO) run ./cmd/bench soak $(SOAKFLAGS)

.PHONY: fuzz
fuzz: ## run each fuzz target for FUZZTIME (default 60s) beyond its seed corpus
	@set -e; for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME); done

.PHONY: test-fuzz
test-fuzz: ## run each fuzz target for a few seconds from its seed corpus (part of make test)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_TEST)
