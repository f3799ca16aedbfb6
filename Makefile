# Two commands matter: `make demo` and `make test`. Each installs only what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.demo-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: install install-demo install-test chromium java test lint typecheck demo localcloud report-shot bench bench-aws bench-transfer clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e . > $(VENV)/pip.log 2>&1 \
		|| (cat $(VENV)/pip.log; exit 1)
	@touch $@

# The demo: moto's server (pip) and Azurite (npm); no apt, no browser.
install-demo: $(DEMO_STAMP)

$(DEMO_STAMP): $(STAMP) pyproject.toml package.json package-lock.json
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[demo]' > $(VENV)/pip.log 2>&1 \
		|| (cat $(VENV)/pip.log; exit 1)
	@bash scripts/install_system_deps.sh emulators
	@touch $@

# The tests: everything the demo needs, the test tools, every npm package, and chromium (best effort,
# not stamped: a failed or skipped chromium install is tried again on the next run).
install-test: $(TEST_STAMP) chromium java

$(TEST_STAMP): $(DEMO_STAMP) pyproject.toml package.json package-lock.json
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]' > $(VENV)/pip.log 2>&1 \
		|| (cat $(VENV)/pip.log; exit 1)
	@bash scripts/install_system_deps.sh npm
	@touch $@

chromium:
	@bash scripts/install_system_deps.sh chromium

# A Java runtime for the Spark engine's tests (best effort, not stamped, like chromium).
java:
	@bash scripts/install_system_deps.sh java

lint: install-test
	$(BIN)/ruff check residency scripts tests
	$(BIN)/lint-imports --no-cache

typecheck: install-test
	$(BIN)/mypy

test: install-test lint typecheck
	$(BIN)/python -m pytest -n 2 -q

demo: install-demo
	$(BIN)/python -m scripts.demo

# Every local cloud service, seeded with the demo estate, until Ctrl-C (ARGS="--empty --env-file .localcloud.env")
localcloud: install-demo
	$(BIN)/python -m scripts.localcloud up $(ARGS)

report-shot: install-test
	$(BIN)/python -m scripts.report_shot

bench: install
	$(BIN)/python scripts/bench_engine.py

bench-aws: install-demo
	$(BIN)/python scripts/bench_aws.py --buckets 1000
	$(BIN)/python scripts/bench_aws.py --buckets 1000 --latency-ms 30
	$(BIN)/python scripts/bench_aws.py --buckets 1000 --mixed 1000
	$(BIN)/python scripts/bench_aws.py --buckets 1000 --mixed 1000 --latency-ms 30

bench-transfer: install-test
	$(BIN)/python -m scripts.bench_transfer --rows 10000000 --memory-limit 2GB

clean:
	rm -rf $(VENV) node_modules reports .localcloud .mypy_cache .ruff_cache .pytest_cache
