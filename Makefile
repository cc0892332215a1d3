# Procura+ Network: `make run` to see the site, `make test` to check everything.
# Every target installs what it needs; `make help` lists them.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_FILE ?= demo/content.json
# The suite runs on every core (pytest-xdist); a test file stays on one worker, as the browser
# journeys build on each other. TEST_WORKERS=0 runs it in one process. The browser tests run
# in a session of their own (Playwright's event loop would stop Django's database calls in a
# worker it shares with them); BROWSER_TESTS=no leaves them out.
TEST_WORKERS ?= auto
BROWSER_TESTS ?= yes

.DEFAULT_GOAL := help
.PHONY: help install browser-deps edge-deps messages migrate setup demo demo-reset run worker backup restore serve test lint checks pytest lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gettext >/dev/null; } || { echo "gettext (msgfmt) is needed: apt-get install gettext"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP) messages ## Create the virtualenv and install the locked dependencies
	@mkdir -p var

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch node_modules/.installed

browser-deps: node_modules/.installed ## Chromium (Debian package), axe-core and the Nu Html Checker for the browser tests
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "Chromium is needed for the browser tests: sudo apt-get install chromium"; exit 1; }
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; } || { echo "Java is needed for the Nu Html Checker: sudo apt-get install default-jre-headless"; exit 1; }

# A catalogue is compiled when its .po file is newer than its .mo file (as compilemessages
# does it, msgfmt --check-format), so that make runs side by side never rewrite a catalogue
# that a running process is reading.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(CATALOGUES) ## Compile the interface translations (locale/*/LC_MESSAGES/django.po)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(STAMP)
	@msgfmt --check-format -o $@.tmp $< && mv $@.tmp $@

migrate: install ## Create or update the database (SQLite in var/ unless DATABASE_URL is set)
	$(MANAGE) migrate --no-input --verbosity 1

setup: migrate ## Locales, synchronised language trees, roles and workflows, the site's address HOST:PORT (idempotent)
	$(MANAGE) setup_site --hostname $(HOST) --port $(PORT)

demo: setup ## Load the demo content into an empty site (content already there is kept) and create the demo accounts
	$(MANAGE) load_demo $(DEMO_FILE)
	$(MANAGE) demo_accounts

demo-reset: install ## Start afresh: a new SQLite database and media folder in var/ with the demo content (refused while DATABASE_URL or MEDIA_ROOT is set, in the environment or .env)
	@for name in DATABASE_URL MEDIA_ROOT; do \
		if [ -n "$$(printenv $$name)" ] || { [ -f .env ] && grep -qE "^[[:space:]]*(export[[:space:]]+)?'?$$name'?[[:space:]]*=" .env; }; then \
			echo "$$name is set (in the environment or .env): this site is not the one in var/; empty its database and media yourself, then run make demo"; exit 1; fi; \
	done
	rm -rf var/db.sqlite3 var/media
	$(MAKE) demo

run: demo ## Install, migrate, load demo content, print the logins and serve on http://127.0.0.1:8000
	@echo "Serving on http://$(HOST):$(PORT)/ with the workers (Ctrl+C stops all)"
	@$(MANAGE) run_worker & scheduler=$$!; $(MANAGE) db_worker --no-reload -v0 & tasks=$$!; \
		trap 'kill $$scheduler $$tasks 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

serve: demo edge-deps ## Production on one machine: Varnish on http://127.0.0.1:8080 before gunicorn (production settings), with the workers
	bash deploy/serve-local.sh

edge-deps: ## Varnish (Debian package) for make serve and the edge cache tests
	@command -v varnishd >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish >/dev/null; } || { echo "Varnish is needed: sudo apt-get install varnish"; exit 1; }

backup: install ## Archive the database and media into var/backups/ (BACKUP_DIR); docs/operations.md
	$(MANAGE) backup

restore: install ## Restore ARCHIVE=var/backups/procura-….tar.gz into an empty database and media folder
	@if [ -z "$(ARCHIVE)" ]; then echo "Name the archive: make restore ARCHIVE=var/backups/procura-….tar.gz"; exit 1; fi
	$(MANAGE) restore "$(ARCHIVE)"

worker: migrate ## Run the workers alone: queued tasks (fallback-page copies, search index) and the scheduled jobs (publishing at its time, expiry)
	@$(MANAGE) db_worker --no-reload -v0 & tasks=$$!; trap 'kill $$tasks 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) run_worker

test: install browser-deps edge-deps lint checks pytest ## Install and run every check and the whole test suite (browser tests included)

lint: install ## ruff (lint and format), djlint on templates, hadolint on the Dockerfile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates */templates --lint
	$(BIN)/hadolint Dockerfile

checks: install ## Django system checks, migrations in step, deployment settings
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run --verbosity 1
	DJANGO_SETTINGS_MODULE=procura.settings.production SECRET_KEY=dummy-secret-for-checks-$$(date +%s)-only-never-served-xxxxxxxxxxxx ALLOWED_HOSTS=procuraplus.example \
		EMAIL_URL=smtp://mail.procuraplus.example WAGTAILADMIN_BASE_URL=https://procuraplus.example \
		$(MANAGE) check --deploy --fail-level WARNING

pytest: install ## The test suite (SQLite, or PostgreSQL when DATABASE_URL is set); PYTEST_ARGS to narrow it, TEST_WORKERS=0 for one process, BROWSER_TESTS=no
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser" $(PYTEST_ARGS)
ifneq ($(BROWSER_TESTS),no)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: none selected
endif

lock: ## Re-resolve the dependency ranges in pyproject.toml into constraints.txt
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --upgrade pip
	var/lock-venv/bin/python -m pip install --quiet -e ".[test]"
	var/lock-venv/bin/python -m pip freeze --exclude-editable | sort > constraints.txt
	rm -rf var/lock-venv

clean: ## Remove the virtualenv, node_modules, test-results and what is in var/ (database, media, test databases), but var/backups/ and any folder holding a backup archive
	rm -rf $(VENV) node_modules test-results
	@if [ -d var ]; then for entry in var/* var/.[!.]*; do \
		[ -e "$$entry" ] && [ "$$entry" != var/backups ] || continue; \
		if [ -n "$$(find "$$entry" -name 'procura-*.tar.gz' -print -quit)" ]; then echo "kept $$entry: it holds backup archives"; \
		else rm -rf "$$entry"; fi; \
	done; fi
