# Two commands do everything: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
PG_URL := postgres://iia@127.0.0.1:$(PG_PORT)/iia

.PHONY: run test setup install migrate demo lint postgres postgres-stop chromium axe system-packages test-sqlite test-postgres bench stack stack-stop bench-load

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

lint: install
	$(BIN)/ruff check .

test-sqlite: install axe
	$(BIN)/python manage.py check --fail-level WARNING
	# hostile-input fuzzing: 50 examples per endpoint here, the full 300 on PostgreSQL below
	IIA_FUZZ_EXAMPLES=50 $(BIN)/pytest -m "not postgres"

test-postgres: install postgres
	# every test but the browser one runs on PostgreSQL too; the concurrency tests only there
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -p no:cacheprovider

test: setup chromium axe lint test-sqlite test-postgres

bench: install
	$(BIN)/python benchmarks/pdf_bench.py

# The production shape on loopback (README "Production shape"): PostgreSQL, Redis, gunicorn,
# a Celery worker and beat, WhiteNoise, iia.settings.production. Data and logs in $(STACK_DIR).
STACK_PG_PORT ?= 55871
STACK_REDIS_PORT ?= 56871
STACK_WEB_PORT ?= 8871
STACK_WEB_WORKERS ?= 4
STACK_DIR ?= /tmp/iia-stack-$(STACK_PG_PORT)
STACK_ENV := STACK_PG_PORT=$(STACK_PG_PORT) STACK_REDIS_PORT=$(STACK_REDIS_PORT) STACK_WEB_PORT=$(STACK_WEB_PORT) \
	STACK_WEB_WORKERS=$(STACK_WEB_WORKERS) STACK_DIR=$(STACK_DIR)

stack: install
	$(STACK_ENV) .ci/stack.sh start

stack-stop:
	$(STACK_ENV) .ci/stack.sh stop

# Pages under load and growth (docs/performance.md): seeds large boards on the stack's
# PostgreSQL, runs gunicorn on them and drives it with wrk. BENCH_SIZES=1000,10000,100000
BENCH_SIZES ?= 10000
bench-load: install
	$(STACK_ENV) $(BIN)/python benchmarks/load_bench.py --sizes $(BENCH_SIZES)
