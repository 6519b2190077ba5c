# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test install uv assets migrate demo lint typecheck test-sqlite test-postgres test-browser bench clean

uv:
	@command -v $(UV) >/dev/null 2>&1 || (echo "Installing uv…" && python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv)

install: uv
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --loglevel=error
	@$(MAKE) --no-print-directory assets

# GOV.UK Frontend and MOJ Frontend come from npm (package-lock.json); their stylesheets
# ask for fonts and images at /assets/, which WhiteNoise serves from build/webroot.
assets:
	@mkdir -p build/static/vendor build/webroot/assets build/collected
	@cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/vendor/
	@cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js build/static/vendor/
	@cp node_modules/axe-core/axe.min.js build/static/vendor/ 2>/dev/null || true
	@cp -r node_modules/govuk-frontend/dist/govuk/assets/. build/webroot/assets/
	@cp -r node_modules/@ministryofjustice/frontend/moj/assets/. build/webroot/assets/

migrate:
	$(MANAGE) migrate --no-input

demo:
	$(MANAGE) load_demo_area

run: install
	DJANGO_DEBUG=true $(MANAGE) migrate --no-input
	DJANGO_DEBUG=true $(MANAGE) load_demo_area
	DJANGO_DEBUG=true $(MANAGE) demo_mfa
	DJANGO_DEBUG=true $(MANAGE) daily_run
	@echo "Serving on http://127.0.0.1:8000 with the background worker (Ctrl+C stops both)"
	@DJANGO_DEBUG=true $(MANAGE) db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck:
	MAPPA_TESTING=true $(UV) run --frozen mypy .

# Unit, integration and API tests on SQLite, then again on PostgreSQL when it is there;
# browser tests once, on PostgreSQL when it is there. In CI a missing PostgreSQL or
# browser fails the run (tests/conftest.py).
test: install lint typecheck
	@scripts/run-tests.sh

bench: install
	@scripts/bench.sh

clean:
	rm -rf build .venv node_modules db.sqlite3
