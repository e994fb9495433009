# Two commands for a new machine: `make demo` and `make test`.
# Each bootstraps .venv (pinned by constraints.txt) the first time.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# This machine's pip configuration names mirror folders that may be absent; its warnings are noise.
QUIET_PIP := { grep -v "is ignored: it is neither a file nor a directory" || true; }
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | sha1sum | cut -c1-12)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo lint test test-fast browser-deps postgres-deps bench-deps serve bench clean

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The CPU build of torch lies on local disk; install it first so nothing pulls a CUDA build.
	$(BIN)/pip install --disable-pip-version-check -q torch==2.13.0 2>&1 | $(QUIET_PIP)
	$(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e ".[dev,e5,ray]" 2>&1 | $(QUIET_PIP)
	rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)
	$(BIN)/policyalign analyze examples/medfinansiering-tech-kluster-orebro-lan.txt

# Chromium for the browser test, from Debian's packages (never a browser download).
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
			|| echo "browser-deps: could not install chromium; the browser test will be skipped"; \
		else echo "browser-deps: not root, chromium not installed; the browser test will be skipped"; fi; \
	fi
	@# axe-core (accessibility rules) from the npm registry, served to the browser test from local disk.
	@if [ ! -f tests/service/node_modules/axe-core/axe.min.js ]; then \
		if command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq npm >/dev/null; }; then \
			npm install --prefix tests/service --no-audit --no-fund --silent \
			|| echo "browser-deps: npm install failed; the accessibility check will be skipped"; \
		else echo "browser-deps: npm not available; the accessibility check will be skipped"; fi; \
	fi

# PostgreSQL for the storage tests, from Debian's packages; the tests start a throwaway cluster of their own.
postgres-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
			|| echo "postgres-deps: could not install postgresql; the PostgreSQL tests will be skipped"; \
		else echo "postgres-deps: not root, postgresql not installed; the PostgreSQL tests will be skipped"; fi; \
	fi

# The gates before the tests: ruff (pyproject's rules, complexity at most 12) and mypy, both clean.
lint: $(STAMP)
	$(BIN)/ruff check analysis service tests benchmarks
	$(BIN)/mypy analysis service

test: $(STAMP) lint browser-deps postgres-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

serve: $(STAMP)
	$(BIN)/policyalign db upgrade
	$(BIN)/policyalign serve

# wrk (Debian) is the HTTP load generator of benchmarks/service_load.py; without it the script uses httpx.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
			|| echo "bench-deps: could not install wrk; service_load.py falls back to httpx"; \
		else echo "bench-deps: not root, wrk not installed; service_load.py falls back to httpx"; fi; \
	fi

bench: $(STAMP) bench-deps
	$(BIN)/python benchmarks/pipeline_speed.py
	$(BIN)/python benchmarks/batch_throughput.py
	$(BIN)/python benchmarks/service_load.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
