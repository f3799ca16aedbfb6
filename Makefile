# Two commands matter: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: install install-test test lint typecheck demo report-shot bench bench-aws bench-transfer clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e . > $(VENV)/pip.log 2>&1 \
		|| (cat $(VENV)/pip.log; exit 1)
	@touch $@

install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml package.json
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]' > $(VENV)/pip.log 2>&1 \
		|| (cat $(VENV)/pip.log; exit 1)
	@bash scripts/install_system_deps.sh
	@touch $@

lint: install-test
	$(BIN)/ruff check residency scripts tests

typecheck: install-test
	$(BIN)/mypy

test: install-test lint typecheck
	$(BIN)/python -m pytest -n 2 -q

demo: install-test
	$(BIN)/python -m scripts.demo

report-shot: install-test
	$(BIN)/python -m scripts.report_shot

bench: install
	$(BIN)/python scripts/bench_engine.py

bench-aws: install-test
	$(BIN)/python scripts/bench_aws.py --buckets 1000
	$(BIN)/python scripts/bench_aws.py --buckets 1000 --latency-ms 30

bench-transfer: install-test
	$(BIN)/python -m scripts.bench_transfer --rows 10000000 --memory-limit 2GB

clean:
	rm -rf $(VENV) node_modules reports .mypy_cache .ruff_cache .pytest_cache
