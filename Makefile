# The whole check, as CI runs it: `make test`. The demo: `make demo`.
# Each nested module (examples, browser suite, shared-cache test, benchmarks, API gate) is its own Go module, so
# that none of their dependencies reach the library's go.mod; lint and fuzz walk all of them (MODULES), the
# other targets the modules they name.

MODULES      := . examples internal/browsertest internal/cachetest internal/benchmarks internal/apicheck
# The public packages, whose exported API `make api` holds to their listings, api/<last path element>.txt.
API_PACKAGES := . ./corstest
STATICCHECK  := go run honnef.co/go/tools/cmd/staticcheck@v0.8.2
# A number of executions, not a duration: before Go 1.27 a duration-bounded run can fail with a bare
# "context deadline exceeded" at the deadline, with no failing input (go.dev/issue/75804).
FUZZTIME     ?= 50000x
MIN_COVERAGE := 95
# The newest Go the module proxy serves here; the go command downloads it once (about 76 MB). The library's
# tests run on it beside the machine's Go (unit-newest-go); its go line, 1.24, is what users need.
NEWEST_GO    := go1.27.3
# Mutation testing (`make mutation`), pinned and run with `go run`, so that it never enters the root go.mod.
GREMLINS     := go run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0

.PHONY: test deps toolchains lint api api-update unit unit-newest-go contract fuzz nested bench-smoke bench demo fuzz-long mutation mutation-report mutation-uncovered

test: deps lint api unit unit-newest-go contract fuzz nested bench-smoke
	@echo "make test: all checks passed"

# The browser suite needs Debian's chromium, firefox-esr and webkit2gtk-driver (WebKitWebDriver, run on a
# virtual display: xvfb, xauth), and the shared-cache test needs nginx. As root, install what is missing;
# otherwise say what to install (the suites fail with the same command if still missing).
deps:
	@have() { command -v "$$1" >/dev/null 2>&1 || [ -x "/usr/bin/$$1" ] || [ -x "/usr/sbin/$$1" ]; }; missing=""; \
	 have chromium        || missing="$$missing chromium"; \
	 have firefox-esr     || missing="$$missing firefox-esr"; \
	 have WebKitWebDriver || missing="$$missing webkit2gtk-driver"; \
	 have Xvfb            || missing="$$missing xvfb"; \
	 have xauth           || missing="$$missing xauth"; \
	 have nginx           || missing="$$missing nginx"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	   else echo "missing:$$missing — run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing"; fi; fi

# The two Go versions make test runs the library's tests on: the machine's, and $(NEWEST_GO), fetched
# through the module proxy on first use. GOTOOLCHAIN set for one command overrides a "local" default.
toolchains:
	go version
	GOTOOLCHAIN=$(NEWEST_GO) go version

# The devserver: a frontend on http://localhost:3000 calling an API on http://localhost:8080.
demo:
	cd examples && go run ./devserver

# gofmt over every tracked Go file; go vet (its stdversion check included) and staticcheck in every module.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@for m in $(MODULES); do echo "== vet + staticcheck: $$m"; (cd $$m && go vet ./... && $(STATICCHECK) ./...) || exit 1; done

# The API gate (internal/apicheck): the exported API of each package of API_PACKAGES against its listing in api/.
# A removed or changed feature fails, each named, with what to do; an addition passes and is listed. The gate's
# own tests run first: they plant a removal and a changed signature, and expect exactly those named.
api:
	cd internal/apicheck && go test ./... && go run . -root ../.. $(API_PACKAGES)

# Records the current API of API_PACKAGES in api/, and corscheck's contract in api/cmd/corscheck.txt: when a
# release is cut, or for a newly guarded package. Records nothing if a change is incompatible, unless
# API_FLAGS=-allow-breaking (a new major version only).
api-update:
	cd internal/apicheck && go run . -root ../.. -update $(API_FLAGS) $(API_PACKAGES)
	go test -count=1 -run '^TestCommandContract$$' ./cmd/corscheck -args -update $(API_FLAGS)

# The root module's tests (the library, corstest, internal/, cmd/) with the race detector on the machine's
# Go, the root package's coverage held at $(MIN_COVERAGE)% or more.
unit:
	go test -race -count=1 ./internal/... ./cmd/... ./corstest/...
	go test -race -count=1 -coverprofile=coverage.out .
	@go tool cover -func=coverage.out | awk -v min=$(MIN_COVERAGE) '/^total:/ { sub("%", "", $$3); print "root package coverage: " $$3 "%"; if ($$3 + 0 < min) { print "coverage below " min "%"; exit 1 } }'

# The root module's tests again on $(NEWEST_GO), so that a Go release that changes what the library
# relies on (net/http's header handling, netip, the toolchain's vet) is seen before users see it.
unit-newest-go:
	GOTOOLCHAIN=$(NEWEST_GO) go test -race -count=1 ./...

# The devserver's CORS contract: every call its page makes (allowed, with the headers it reads) and the
# calls that must never work (blocked), listed in examples/devserver/calls.json, judged as a browser judges
# them against its policy, examples/devserver/cors.json, served in-process. A policy edit that breaks the
# page or lets a lookalike in fails here, with the fix.
contract:
	go run ./cmd/corscheck -calls examples/devserver/calls.json -config examples/devserver/cors.json

# Every fuzz target of every module, from its committed seed corpus, for $(FUZZTIME): the targets are
# found by `go test -list` in each package whose tests declare a Fuzz function, so a new one runs without
# editing this file. A real finding fails the run and writes the failing input under that package's
# testdata/fuzz/. For a long run: make fuzz-long
fuzz:
	@set -e; for m in $(MODULES); do \
	  for dir in $$(cd $$m && grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u); do \
	    for t in $$(cd $$m && go test -list '^Fuzz' $$dir | grep '^Fuzz'); do \
	      p=$$m/$${dir#./}; echo "== $$t ($${p#./})"; \
	      (cd $$m && go test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -timeout 0 -parallel 2 $$dir); \
	    done; \
	  done; \
	done

# Every fuzz target for 3,000,000 executions: two hours or more on two cores (docs/security.md, "Fuzzing",
# has the last run's times).
fuzz-long:
	$(MAKE) fuzz FUZZTIME=3000000x

# The nested modules' tests with the race detector: the router examples and the demo, the real browsers
# (Chromium, Firefox, WebKit), the real nginx cache. (The benchmarks' own tests run in bench-smoke.)
nested:
	@for m in examples internal/browsertest internal/cachetest; do echo "== go test: $$m"; (cd $$m && go test -race -count=1 ./...) || exit 1; done

# The benchmark module's tests (the peers' outcomes, the allocation targets), then each benchmark of it and
# of the root package once, so that the benchmark code cannot rot; `make bench` is the real run.
bench-smoke:
	cd internal/benchmarks && go test -count=1 -run . -bench . -benchtime=1x ./...
	go test -run '^$$' -bench . -benchtime=1x .

# The side-by-side benchmark report of docs/performance.md: several minutes, both cores.
bench:
	cd internal/benchmarks && go run ./cmd/report

# Mutation testing, NOT part of `make test`: it takes about 20 minutes on two cores. gremlins (v0.6.0) mutates
# each package of the library in turn (the root, corstest, and every internal package they use), runs the
# tests against each mutant, and counts the mutants that the tests kill. A package with tests of its own is
# judged by them alone (`go test <package>` per mutant); internal/explain and internal/call, tested mostly
# through corstest and corscheck, by the whole module's tests (--integration; coverage via -coverpkg). Prints per package, then in
# total: killed, lived, not covered, timed out, not viable, and the efficacy, killed / (killed + lived); every
# LIVED mutant is listed. The logs and gremlins' JSON reports are kept in $(MUTATION_OUT). GOFLAGS=-count=1:
# with cached test results the coverage run takes no time, and gremlins' per-mutant timeout (that time
# multiplied by MUTATION_TIMEOUT) times out every mutant. MUTATION_PACKAGES=internal/method runs only some.
# docs/development.md#test-strength-mutation-testing has the figures and the equivalent mutants.
MUTATION_PACKAGES    ?= . corstest internal/origin internal/header internal/method internal/headerlist internal/fetch internal/scan internal/explain internal/call
MUTATION_INTEGRATION := internal/explain internal/call
MUTATION_WORKERS     ?= 2
MUTATION_TIMEOUT     ?= 6
MUTATION_OUT         ?= $(CURDIR)/.mutation

mutation:
	@mkdir -p $(MUTATION_OUT); start=$$(date +%s); \
	 for p in $(MUTATION_PACKAGES); do \
	   name=$$(echo "$$p" | tr / - | sed "s/^\.$$/root/"); mode=""; t0=$$(date +%s); \
	   case " $(MUTATION_INTEGRATION) " in *" $$p "*) mode="--integration --coverpkg github.com/crossorigin/cors/$$p";; esac; \
	   echo "== gremlins: $$p $$mode"; \
	   (GOFLAGS=-count=1 $(GREMLINS) unleash --workers $(MUTATION_WORKERS) \
	     --timeout-coefficient $(MUTATION_TIMEOUT) $$mode --exclude-files / --output $(MUTATION_OUT)/$$name.json $(CURDIR)/$$p \
	     > $(MUTATION_OUT)/$$name.log 2>&1) || { tail -20 $(MUTATION_OUT)/$$name.log; exit 1; }; \
	   grep -E '^ *LIVED ' $(MUTATION_OUT)/$$name.log | sed "s|^ *|   |; s| at | at $$p/|; s| at \./| at |" || true; \
	   echo "   $$(( $$(date +%s) - t0 )) s"; \
	 done; \
	 echo "== mutation testing: $$(( ($$(date +%s) - start) / 60 )) min $$(( ($$(date +%s) - start) % 60 )) s"
	@$(MAKE) --no-print-directory mutation-report

# The figures of the last `make mutation` (of MUTATION_PACKAGES), from its logs in $(MUTATION_OUT).
mutation-report:
	@for p in $(MUTATION_PACKAGES); do echo "$$p $(MUTATION_OUT)/$$(echo "$$p" | tr / - | sed "s/^\.$$/root/").log"; done | \
	 awk '{ pkg = $$1; order[++n] = pkg; \
	        while ((getline line < $$2) > 0) { \
	          if (line ~ /^ *KILLED /) k[pkg]++; else if (line ~ /^ *LIVED /) l[pkg]++; \
	          else if (line ~ /^ *NOT COVERED /) c[pkg]++; else if (line ~ /^ *TIMED OUT /) t[pkg]++; \
	          else if (line ~ /^ *NOT VIABLE /) v[pkg]++ } } \
	      function row(name, k, l, c, t, v) { \
	        printf "%-22s %7d %6d %12d %10d %11d %9s\n", name, k, l, c, t, v, (k + l) ? sprintf("%.1f %%", 100 * k / (k + l)) : "-" } \
	      END { printf "%-22s %7s %6s %12s %10s %11s %9s\n", "package", "killed", "lived", "not covered", "timed out", "not viable", "efficacy"; \
	        for (i = 1; i <= n; i++) { p = order[i]; row(p, k[p], l[p], c[p], t[p], v[p]); K += k[p]; L += l[p]; C += c[p]; T += t[p]; V += v[p] } \
	        row("total", K, L, C, T, V); \
	        printf "mutant coverage (killed + lived + timed out of all but not viable): %.1f %%\n", 100 * (K + L + T) / (K + L + C + T) }'

# gremlins v0.6.0 runs no mutant outside a coverage block, and two kinds of tested code are outside every
# block: the condition of a `case` in a `switch {}` and a constant expression. This runs each mutant the last
# `make mutation` reported NOT COVERED by hand, as gremlins would have: the same operator changed in a copy
# of the tree, then the same tests (the package's, or the module's for MUTATION_INTEGRATION). It prints each
# verdict, then per package the mutants killed, lived and not viable (most are `+` on strings).
mutation-uncovered:
	@for p in $(MUTATION_PACKAGES); do \
	   log=$(MUTATION_OUT)/$$(echo "$$p" | tr / - | sed "s/^\.$$/root/").log; target=./$$p; \
	   case " $(MUTATION_INTEGRATION) " in *" $$p "*) target=./...;; esac; \
	   grep ' NOT COVERED ' $$log | while read -r _ _ typ _ loc; do \
	     file=$$p/$${loc%:*:*}; file=$${file#./}; pos=$${loc##*$${loc%:*:*}:}; line=$${pos%:*}; col=$${pos#*:}; \
	     tok=$$(LC_ALL=C awk -v L=$$line -v C=$$col 'NR == L { print substr($$0, C, 2) }' $$file); \
	     case "$$typ $$tok" in \
	       "CONDITIONALS_BOUNDARY >="*) from=">=" to=">";;  "CONDITIONALS_BOUNDARY <="*) from="<=" to="<";; \
	       "CONDITIONALS_BOUNDARY >"*) from=">" to=">=";;   "CONDITIONALS_BOUNDARY <"*) from="<" to="<=";; \
	       "CONDITIONALS_NEGATION =="*) from="==" to="!=";; "CONDITIONALS_NEGATION !="*) from="!=" to="==";; \
	       "CONDITIONALS_NEGATION >="*) from=">=" to="<";;  "CONDITIONALS_NEGATION <="*) from="<=" to=">";; \
	       "CONDITIONALS_NEGATION >"*) from=">" to="<=";;   "CONDITIONALS_NEGATION <"*) from="<" to=">=";; \
	       "INCREMENT_DECREMENT ++"*) from="++" to="--";;   "INCREMENT_DECREMENT --"*) from="--" to="++";; \
	       "ARITHMETIC_BASE +"*) from="+" to="-";; "ARITHMETIC_BASE -"*) from="-" to="+";; "ARITHMETIC_BASE *"*) from="*" to="/";; \
	       "ARITHMETIC_BASE /"*) from="/" to="*";; "ARITHMETIC_BASE %"*) from="%" to="*";; "INVERT_NEGATIVES -"*) from="-" to="+";; \
	       *) echo "  ?? $$typ at $$file:$$line:$$col ($$tok)"; continue;; \
	     esac; \
	     tree=$$(mktemp -d); git ls-files -z | xargs -0 tar -cf - | tar -xf - -C $$tree; \
	     LC_ALL=C awk -v L=$$line -v C=$$col -v from="$$from" -v to="$$to" \
	       'NR == L { $$0 = substr($$0, 1, C - 1) to substr($$0, C + length(from)) } { print }' $$file > $$tree/$$file; \
	     out=$$(cd $$tree && GOFLAGS=-count=1 go test -failfast $$target 2>&1); rc=$$?; rm -rf $$tree; \
	     if [ $$rc = 0 ]; then v=LIVED; elif echo "$$out" | grep -q 'build failed\|setup failed'; then v="NOT VIABLE"; else v=KILLED; fi; \
	     echo "$$p $$v $$typ at $$file:$$line:$$col"; \
	   done; \
	 done | tee $(MUTATION_OUT)/uncovered.log | sed 's/^[^ ]* /  /'; \
	 awk '{ p = $$1; if (!(p in seen)) { seen[p] = 1; order[++n] = p } } \
	      $$2 == "KILLED" { k[p]++ } $$2 == "LIVED" { l[p]++ } $$2 == "NOT" { v[p]++ } \
	      END { printf "%-22s %7s %6s %11s\n", "package", "killed", "lived", "not viable"; \
	        for (i = 1; i <= n; i++) { p = order[i]; printf "%-22s %7d %6d %11d\n", p, k[p], l[p], v[p]; K += k[p]; L += l[p]; V += v[p] } \
	        printf "%-22s %7d %6d %11d\n", "total", K, L, V }' $(MUTATION_OUT)/uncovered.log
