# The newcomer's two commands: `make demo` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := var/vendor/.stamp
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=
RUN_WITH_WORKER = trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/yutong worker --interval 1 >var/worker.log 2>&1 & worker=$$!; \
	  $(BIN)/yutong runserver $(HOST)

.PHONY: demo test install assets migrate lint format serve worker benchmark screenshots clean

demo: install assets migrate
	$(BIN)/yutong demo --scale $(or $(SCALE),small)
	@echo ""
	@echo "Serving on http://$(HOST)/ (log in with an account above; Ctrl-C stops)"
	@$(RUN_WITH_WORKER)

test: install assets lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yutong needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

assets: $(ASSETS)

$(ASSETS): package.json package-lock.json tools/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/vendor_assets.py
	@touch $@

migrate: install
	$(BIN)/yutong migrate --verbosity 0

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The web server with the background worker beside it (imports over 2,000 rows, reports and
# wage codes wait for it); the worker's output goes to var/worker.log, Ctrl-C stops both.
serve: install assets migrate
	@echo "Serving on http://$(HOST)/ with the background worker (log: var/worker.log; Ctrl-C stops)"
	@$(RUN_WITH_WORKER)

worker: install
	$(BIN)/yutong worker

# Rewrites docs/screenshots/ (the README's pictures of the bench and a list at 1366×768).
screenshots: install assets
	YUTONG_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_screenshots.py

benchmark: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
