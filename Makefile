# Two entry points for a new user: `make run` (set up and serve) and `make test` (set up and test).
#   make run [HOST=127.0.0.1] [PORT=5000]    serve the game (HOST=0.0.0.0 listens beyond this machine)
#   make test                                the whole suite (installs Debian's chromium for tests/e2e if it can)
#   make lint                                ruff and mypy on everything (make test runs tests/test_lint.py)
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOG    := $(VENV)/install.log
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM := /usr/bin/chromium

.PHONY: run test setup browser lint bench clean

$(BIN)/python:
	@[ -n "$(PYTHON)" ] || { echo "Python 3.12 is needed: neither python3.12 nor python3 is on PATH" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 is needed, $(PYTHON) is " + sys.version.split()[0] + "; install python3.12 or give its path: make PYTHON=/path/to/python3.12")'
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }

# The install's own chatter (setuptools' notes on editable installs) goes to $(LOG); shown only when it fails.
$(STAMP): $(BIN)/python pyproject.toml
	@echo "Installing the wargame and its dependencies into $(VENV) (log: $(LOG))"
	@$(BIN)/python -m pip install --quiet -e '.[dev]' >$(LOG) 2>&1 || { cat $(LOG); exit 1; }
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@$(BIN)/wargame serve --host $(HOST) --port $(PORT)

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

# The browser tests (tests/e2e) drive Debian's chromium (Playwright cannot download its own browsers here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  mkdir -p $(VENV); \
	  how="install Debian's chromium first: sudo apt-get install chromium"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	  else echo "make test: the browser tests need $(CHROMIUM); $$how" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null || { echo "make test: the browser tests need $(CHROMIUM); $$how" >&2; exit 1; }; \
	  echo "Installing Debian's chromium for the browser tests (apt-get)"; \
	  { $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; } \
	    >$(VENV)/apt.log 2>&1 || { echo "make test: apt-get could not install chromium (log: $(VENV)/apt.log); $$how" >&2; exit 1; }; \
	  [ -x $(CHROMIUM) ] || { echo "make test: apt-get installed chromium but $(CHROMIUM) is missing; $$how" >&2; exit 1; }; \
	fi

lint: $(STAMP)
	@status=0; $(BIN)/ruff check . || status=1; $(BIN)/mypy || status=1; exit $$status

bench: $(STAMP)
	for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
