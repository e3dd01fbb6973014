# Two commands do everything: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
PG_URL := postgres://iia@127.0.0.1:$(PG_PORT)/iia

.PHONY: run test setup install migrate demo lint postgres postgres-stop chromium axe oidc-provider azurite system-packages test-sqlite test-postgres test-postgres-a test-postgres-b bench bench-workflow stack stack-stop bench-load

$(VENV)/.installed: requirements/base.txt requirements/dev.txt requirements/prod.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt -r requirements/prod.txt
	touch $@

install: $(VENV)/.installed system-packages

system-packages:
	.ci/system-packages.sh

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

setup: demo

run: setup
	@echo "iia is starting on http://127.0.0.1:8000/ (sign in as officer, lead or chief; password demo-password-1)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

postgres:
	.ci/postgres.sh start $(PG_PORT)

postgres-stop:
	.ci/postgres.sh stop $(PG_PORT)

chromium:
	.ci/chromium.sh

# axe-core for the accessibility suite, exactly as pinned in tests/browser/package-lock.json
AXE_STAMP := tests/browser/node_modules/.package-lock.json
$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	.ci/node.sh
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE_STAMP)

# the OpenID provider of the single sign-on tests (tests/oidc/provider.mjs), exactly as pinned
OIDC_STAMP := tests/oidc/node_modules/.package-lock.json
$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	.ci/node.sh
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

oidc-provider: $(OIDC_STAMP)

# Azurite, the Azure Storage emulator, exactly as pinned in tools/azurite/package-lock.json:
# `make stack` keeps evidence files in it, tests/assessments/test_evidence_azure.py stores one
AZURITE_STAMP := tools/azurite/node_modules/.package-lock.json
$(AZURITE_STAMP): tools/azurite/package.json tools/azurite/package-lock.json
	.ci/node.sh
	npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
	touch $@

azurite: $(AZURITE_STAMP)

lint: install
	$(BIN)/ruff check .

# Every test runs once: on PostgreSQL (the production database) unless it is one of these,
# which run on SQLite (the embedded default, `make run`'s): the browser tests; the tests that
# use no particular database (documents and their validators, the role matrix, the API's
# schema, the settings checks, evidence files in Azurite); and the embedded default's own
# path (the demo data, a whole IIA over HTTP with every field kept, a backup restored).
# docs/adr/0029-every-test-once.md
SQLITE_TESTS := tests/browser $(wildcard tests/fixtures/test_*.py) tests/reports/test_pdf.py tests/reports/test_conformance.py \
	tests/security/test_role_matrix.py tests/api/test_schemathesis.py tests/iia/test_checks.py \
	tests/assessments/test_evidence_azure.py tests/workflows/test_flow_http.py \
	tests/workflows/test_nothing_dropped.py tests/security/test_backup.py
# ... of which these run on PostgreSQL as well: the demo (`make stack` loads it there), the
# whole IIA over HTTP with every field kept, and a backup restored
BOTH_TESTS := tests/fixtures/test_load_demo.py tests/workflows/test_flow_http.py tests/workflows/test_nothing_dropped.py \
	tests/security/test_backup.py

test-sqlite: install axe oidc-provider azurite
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/pytest -m "not postgres" $(SQLITE_TESTS)

# The PostgreSQL tests: hostile-input fuzzing (every POST endpoint, every page's query string)
# at 60 examples each here, IIA_FUZZ_EXAMPLES=300 for a long run.
PG_PYTEST := IIA_FUZZ_EXAMPLES=60 $(BIN)/pytest -m "not browser" -p no:cacheprovider \
	$(addprefix --ignore=,$(filter-out $(BOTH_TESTS),$(SQLITE_TESTS)))
# `make test` runs them in two parts at once, each with its own database and signing keys
PG_PART_A := tests/concurrency tests/security
PG_ENV = IIA_TEST_SIGNING_DIR=$${TMPDIR:-/tmp}/iia-test-signing-pg$(1) DATABASE_URL=$(PG_URL)$(1)

test-postgres: install oidc-provider postgres
	$(call PG_ENV,) $(PG_PYTEST)

test-postgres-a: install oidc-provider postgres
	$(call PG_ENV,_a) $(PG_PYTEST) $(PG_PART_A)

test-postgres-b: install oidc-provider postgres
	$(call PG_ENV,_b) $(PG_PYTEST) $(addprefix --ignore=,$(PG_PART_A))

# Three pytest processes at once: SQLite in the foreground, the two PostgreSQL parts into
# var/test-postgres-a.log and -b.log, shown when all have finished (a pytest process and its
# database server take turns on a core, so three keep two cores busy). Any failing fails the
# run. The npm packages are installed here, before the parts, which would otherwise install
# them at once.
test: setup chromium axe oidc-provider azurite lint postgres
	@echo "Running the SQLite tests and the PostgreSQL tests' two parts at once; the PostgreSQL parts' output follows."
	@$(MAKE) --no-print-directory test-postgres-a > var/test-postgres-a.log 2>&1 & a=$$!; \
	$(MAKE) --no-print-directory test-postgres-b > var/test-postgres-b.log 2>&1 & b=$$!; \
	$(MAKE) --no-print-directory test-sqlite; sqlite=$$?; \
	wait $$a; pa=$$?; wait $$b; pb=$$?; \
	for part in a b; do echo "===== PostgreSQL part $$part (var/test-postgres-$$part.log) ====="; cat var/test-postgres-$$part.log; done; \
	word() { [ $$1 -eq 0 ] && echo passed || echo FAILED; }; \
	echo "SQLite: $$(word $$sqlite); PostgreSQL part a: $$(word $$pa); PostgreSQL part b: $$(word $$pb)"; \
	[ $$sqlite -eq 0 ] && [ $$pa -eq 0 ] && [ $$pb -eq 0 ]

# Documents: render + sign against WeasyPrint, then a 30-report agenda pack (SQLite)
bench: install
	$(BIN)/python benchmarks/pdf_bench.py

# Workflow engine overhead on a throwaway PostgreSQL of its own (port BENCH_PG_PORT)
BENCH_PG_PORT ?= 55433
bench-workflow: install
	IIA_BENCH_PG_PORT=$(BENCH_PG_PORT) $(BIN)/python benchmarks/workflow_bench.py

# The production shape on loopback (README "Production shape"): PostgreSQL, Redis, gunicorn,
# a Celery worker and beat, WhiteNoise, iia.settings.production. Data and logs in $(STACK_DIR).
STACK_PG_PORT ?= 55871
STACK_REDIS_PORT ?= 56871
STACK_WEB_PORT ?= 8871
STACK_AZURITE_PORT ?= 57871
STACK_WEB_WORKERS ?= 4
STACK_DIR ?= /tmp/iia-stack-$(STACK_PG_PORT)
STACK_ENV := STACK_PG_PORT=$(STACK_PG_PORT) STACK_REDIS_PORT=$(STACK_REDIS_PORT) STACK_WEB_PORT=$(STACK_WEB_PORT) \
	STACK_WEB_WORKERS=$(STACK_WEB_WORKERS) STACK_DIR=$(STACK_DIR) STACK_AZURITE_PORT=$(STACK_AZURITE_PORT)

stack: install azurite
	$(STACK_ENV) .ci/stack.sh start

stack-stop:
	$(STACK_ENV) .ci/stack.sh stop

# Pages under load and growth (docs/performance.md): seeds large boards on the stack's
# PostgreSQL, runs gunicorn on them and drives it with wrk. BENCH_SIZES=1000,10000,100000
BENCH_SIZES ?= 10000
bench-load: install
	$(STACK_ENV) $(BIN)/python benchmarks/load_bench.py --sizes $(BENCH_SIZES)
