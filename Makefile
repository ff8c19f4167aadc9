# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint pytest browser-deps bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

## demo: run the demo wall on the embedded defaults (bundled replay, SQLite here)
demo: $(VENV)/.runtime
	$(BIN)/tweetwall demo

## test: install what the tests need (Python packages, Debian's chromium), lint, run them all
test: $(VENV)/.dev browser-deps lint pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check app tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two runs: Playwright's sync API (browser tests) and pytest-asyncio must not share a thread's loop.
pytest: $(VENV)/.dev
	$(BIN)/pytest --ignore=tests/browser
	$(BIN)/pytest tests/browser

# Browser tests drive Debian's chromium; install it when we can (root with apt), else they skip
# with a reason (and fail under CI=true).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji >/dev/null; \
	  else \
	    echo "note: /usr/bin/chromium missing; install Debian's chromium to run the browser tests"; \
	  fi; \
	fi
	@# axe-core, the accessibility checker the browser tests load into every page (from npm).
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser/js --no-audit --no-fund --loglevel=error; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null && \
	  npm ci --prefix tests/browser/js --no-audit --no-fund --loglevel=error; \
	else \
	  echo "note: npm missing; the accessibility tests need axe-core (npm ci --prefix tests/browser/js)"; \
	fi

## bench: the benchmarks of docs/benchmarks.md
bench: $(VENV)/.dev
	$(BIN)/python bench/fanout.py

clean:
	rm -rf $(VENV) tweetwall-demo.db* .pytest_cache .mypy_cache .ruff_cache
