# permcat: make demo (compile a built-in example), make test (everything).
# The test target installs what the tests need (TypeScript into tools/ts,
# PostgreSQL and MariaDB from Debian's packages) before running them.

GO       ?= go
EXAMPLES := dutchie metrc cutdry
PERMCAT  := $(GO) run ./cmd/permcat

.PHONY: all test deps check-fmt vet demo generate generate-check bench fuzz clean

all: test

## test: format and vet checks, staleness of generated/, then every Go test
## (generated Go, TypeScript through tsc and node, SQL on real servers).
test: deps check-fmt vet generate-check
	$(GO) test -count=1 -timeout 20m ./...

## deps: what the tests need beyond Go (idempotent; fast when present).
deps:
	sh scripts/ensure-typescript.sh
	sh scripts/ensure-postgres.sh
	sh scripts/ensure-mariadb.sh

check-fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './tools/*')); \
	if [ -n "$$out" ]; then echo "gofmt -l reports:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## demo: validate the Cut+Dry example and render every target into demo/.
demo:
	$(PERMCAT) validate examples/cutdry
	rm -rf demo
	$(PERMCAT) generate examples/cutdry --go demo/go --go-package cutdry --ts demo/permissions.ts --sql demo/sql --docs demo/docs
	$(PERMCAT) explain salesperson --catalog examples/cutdry
	@echo
	@echo "demo/ holds the Go package, TypeScript, SQL and docs; start with demo/docs/roles.md"

## generate: rebuild generated/ and every permcat.lock from the examples.
generate:
	@for ex in $(EXAMPLES); do echo "permcat generate examples/$$ex"; $(PERMCAT) generate examples/$$ex || exit 1; done
	cd examples/consumer && $(GO) generate ./...

## generate-check: fail when generated/ or a permcat.lock is stale (CI).
generate-check:
	@for ex in $(EXAMPLES); do $(PERMCAT) generate --check examples/$$ex || exit 1; done

## bench: the benchmark suite (see BENCHMARKS.md for how results are recorded).
bench:
	$(GO) test ./bench -run '^$$' -bench 'Parse|Has|Role|Closure|Unmet' -count 1
	$(GO) test ./bench -run '^$$' -bench 'Compile|Generate|BuildGenerated|MPHBuild' -benchmem -benchtime 1x -count 1
	$(GO) test ./schema -run '^$$' -bench Compile -benchmem -count 1

## fuzz: a short run of every fuzz target (FUZZTIME per target); crashers
## land in the package's testdata/fuzz and then run as seeds in make test.
FUZZTIME ?= 20s
FUZZ_TARGETS := ./schema:FuzzCompile ./schema:FuzzParseLock ./internal/build:FuzzRender \
	./generator/mph:FuzzBuild ./generator/typescript:FuzzStringLiteralsRoundTrip \
	./generator/typescript:FuzzDocCommentsStayClosed ./generator/sql:FuzzSQLiteLiteral \
	./schema:FuzzFastSchema ./schema:FuzzKnownPatterns ./generator/golang:FuzzDocComments \
	./generator/sql:FuzzValidKey ./generator/sql:FuzzSharedLiteral ./schema:FuzzParseLockAgrees \
	./schema:FuzzYAMLSyntaxErrorPositions
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "go test $$pkg -fuzz $$fn -fuzztime $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) || exit 1; done

clean:
	rm -rf demo
