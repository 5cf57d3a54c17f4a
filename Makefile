# HeatWiki: `make run` serves the wiki locally (with a background worker), `make test` runs the whole test suite.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test bench bench-scale lint format chromium wrk clean vendor install

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "HeatWiki needs Python 3.11 or newer" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	DJANGO_DEBUG=on $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=on $(PY) manage.py rerender_bodies
	DJANGO_DEBUG=on $(PY) manage.py seed_content
	DJANGO_DEBUG=on $(PY) manage.py create_demo_accounts
	@echo "No images are seeded: to add one, sign in as editor and upload a PNG or JPEG at http://127.0.0.1:$(PORT)/files/new/ (or from any page's Edit form, as its infobox image)."
	@# A background worker beside the web server (e-mails, watchers' notifications), stopped with it.
	DJANGO_DEBUG=on $(PY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=on $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Page views under gunicorn (WORKERS, default 2) against the floor, with wrk; see heatwiki/
# bench/management/commands/bench.py. The benchmark is its own app, heatwiki.bench, installed
# only with DEBUG or HEATWIKI_BENCH=on. Figures go to var/bench/.
# Every page is loaded in ROUNDS rounds, each beginning with the floor; medians are reported.
# LAYERS=heat (a My Heat choice) has the anonymous readers send it.
WORKERS ?= 2
BENCH_SECONDS ?= 10
ROUNDS ?= 3
LAYERS ?=
bench: $(VENV)/.installed wrk
	DJANGO_DEBUG=on HEATWIKI_BENCH=on \
	  $(PY) manage.py bench --workers $(WORKERS) --seconds $(BENCH_SECONDS) --rounds $(ROUNDS) \
	  --layers "$(LAYERS)"

# The same at scale, on PostgreSQL: the seeded wiki, then PAGES pages and REVISIONS revisions
# more, compared page by page; see heatwiki/bench/management/commands/bench_scale.py and
# synthesize_wiki.py beside it. The database in BENCH_DATABASE_URL (its name must contain
# "bench") is dropped and created again. Figures go to var/bench/scale.md and .json.
PAGES ?= 100000
REVISIONS ?= 1000000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/heatwiki_bench
bench-scale: $(VENV)/.installed wrk
	DJANGO_DEBUG=on HEATWIKI_BENCH=on \
	  $(PY) manage.py bench_scale --workers $(WORKERS) --seconds $(BENCH_SECONDS) --rounds $(ROUNDS) \
	  --pages $(PAGES) --revisions $(REVISIONS) --database-url $(BENCH_DATABASE_URL)

wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 1; fi; }

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): install Debian's chromium package."; exit 1; \
	  fi; }

# One pytest-xdist worker per core (TEST_WORKERS=0 runs in this process), each test file on one
# worker (module fixtures are built once), each worker with its own test database; the
# slowest tests are listed at the end. PYTEST_ARGS passes more, e.g. PYTEST_ARGS=tests/wiki.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
test: $(VENV)/.installed chromium
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

# The browser libraries under static/vendor/ (committed; no build step): tom-select for the
# relation pickers, axe-core for the accessibility test, Leaflet for the map of locations. `make vendor` fetches the pinned
# versions from the npm registry with `npm pack` and copies their built files and licences.
# Source-map comments are cut: the maps are not shipped, and collectstatic would look for them.
TOM_SELECT_VERSION ?= 2.6.2
AXE_CORE_VERSION ?= 4.14.1
LEAFLET_VERSION ?= 1.9.4
vendor:
	@command -v npm >/dev/null || { echo "make vendor needs npm"; exit 1; }
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  (cd "$$tmp" && npm pack --silent tom-select@$(TOM_SELECT_VERSION) axe-core@$(AXE_CORE_VERSION) \
	      leaflet@$(LEAFLET_VERSION) >/dev/null \
	    && mkdir tom axe leaflet && tar xzf tom-select-$(TOM_SELECT_VERSION).tgz -C tom \
	    && tar xzf axe-core-$(AXE_CORE_VERSION).tgz -C axe \
	    && tar xzf leaflet-$(LEAFLET_VERSION).tgz -C leaflet); \
	  rm -rf static/vendor/tom-select static/vendor/axe-core static/vendor/leaflet; \
	  mkdir -p static/vendor/tom-select static/vendor/axe-core static/vendor/leaflet/images; \
	  sed '/sourceMappingURL=/d' "$$tmp/tom/package/dist/js/tom-select.complete.min.js" > static/vendor/tom-select/tom-select.complete.min.js; \
	  sed '/sourceMappingURL=/d' "$$tmp/tom/package/dist/css/tom-select.css" > static/vendor/tom-select/tom-select.css; \
	  cp "$$tmp/tom/package/LICENSE" static/vendor/tom-select/LICENSE; \
	  sed '/sourceMappingURL=/d' "$$tmp/axe/package/axe.min.js" > static/vendor/axe-core/axe.min.js; \
	  cp "$$tmp/axe/package/LICENSE" "$$tmp/axe/package/LICENSE-3RD-PARTY.txt" static/vendor/axe-core/; \
	  sed '/sourceMappingURL=/d' "$$tmp/leaflet/package/dist/leaflet.js" > static/vendor/leaflet/leaflet.js; \
	  cp "$$tmp/leaflet/package/dist/leaflet.css" "$$tmp/leaflet/package/LICENSE" static/vendor/leaflet/; \
	  cp "$$tmp/leaflet/package/dist/images/"*.png static/vendor/leaflet/images/; \
	  printf 'tom-select %s (npm), Apache-2.0: dist/js/tom-select.complete.min.js, dist/css/tom-select.css\naxe-core %s (npm), MPL-2.0: axe.min.js\nleaflet %s (npm), BSD-2-Clause: dist/leaflet.js, dist/leaflet.css, dist/images/*.png\nFetched by `make vendor`; source-map comments removed.\n' \
	    $(TOM_SELECT_VERSION) $(AXE_CORE_VERSION) $(LEAFLET_VERSION) > static/vendor/VERSIONS
	@cat static/vendor/VERSIONS

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache
