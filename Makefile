# newsportal: `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app newsportal
PO     := $(wildcard newsportal/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.DEFAULT_GOAL := help
.PHONY: help install install-runtime lock dist run test test-quick coverage lint fmt typecheck translations extract db-migrate db-upgrade demo screenshots bench bench-search clean vendor-editor

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

# Serving needs the package alone; the dev extra adds the test, lint and build tools.
# Installing the package compiles the catalogues (setup.py); the %.mo rule redoes one after an edit.
$(VENV)/.runtime: pyproject.toml setup.py | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.runtime

install-runtime: $(VENV)/.runtime $(MO) ## create the virtualenv with what serving needs

install: $(VENV)/.installed $(MO) ## create the virtualenv with the test, lint and build tools too

%.mo: %.po $(VENV)/.runtime
	$(BIN)/pybabel compile --statistics -i $< -o $@ 2>&1 | grep -v '^$$' || true
	@test -f $@

translations: $(MO) ## compile the translation catalogues

extract: install ## collect interface strings into the catalogues
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* .venv" -k _l -k lazy_gettext -o newsportal/translations/messages.pot .
	$(BIN)/pybabel update -i newsportal/translations/messages.pot -d newsportal/translations --no-fuzzy-matching
	@# English msgids are the English text: copy them into the en catalogue so it is complete.
	$(BIN)/python -c 'from babel.messages.pofile import read_po, write_po; p = "newsportal/translations/en/LC_MESSAGES/messages.po"; c = read_po(open(p, "rb")); [setattr(m, "string", m.id) for m in c if m.id and not m.string]; write_po(open(p, "wb"), c, width=100)'
	@echo "Now translate the new entries in newsportal/translations/vi/LC_MESSAGES/messages.po"

db-upgrade: install-runtime ## apply the database migrations
	$(FLASK) db upgrade

db-migrate: install-runtime ## write a new migration from the models (review it before committing)
	$(FLASK) db migrate -m "$(or $(m),schema change)"

demo: db-upgrade ## load the demo content (idempotent)
	$(FLASK) demo load

run: demo ## set up and serve the site on http://127.0.0.1:5000 (SQLite)
	$(FLASK) run --host 127.0.0.1 --port 5000

dist: install ## build the wheel and sdist into dist/ (templates, static, migrations, catalogues inside)
	$(BIN)/python -m build --no-isolation --outdir dist .

lock: install ## pin the runtime dependencies with hashes into requirements.lock (Python 3.11, Linux)
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	  --python-platform linux --custom-compile-command "make lock" --output-file requirements.lock

# Two workers (the CI machine has two cores); a file's tests stay on one, in order.
# --no-loadscope-reorder: xdist would hand out the files with the most tests first, which put
# the two-test XSS corpus files (minutes each) at the very end; tests/conftest.py orders them.
XDIST := -n 2 --dist loadfile --no-loadscope-reorder

test: install ## the whole suite: SQLite, PostgreSQL, browser; line coverage, the 15 slowest
	$(BIN)/pytest $(XDIST) --cov --cov-report=term $(ARGS)

test-quick: install ## SQLite only, no browser, no slow tests: the edit-test loop
	NEWSPORTAL_TEST_BACKENDS=sqlite $(BIN)/pytest $(XDIST) -m "not browser and not slow" $(ARGS)

# fail_under (pyproject.toml) is a line-coverage floor for `make test`; branches are reported, not gated.
coverage: install ## the whole suite with branch coverage, and an HTML report in htmlcov/
	$(BIN)/pytest $(XDIST) --cov --cov-branch --cov-fail-under=0 --cov-report=term --cov-report=html $(ARGS)

# The README's pictures, from a browser test on the demo content; skipped unless the folder is named.
screenshots: install ## the README's pictures (home, article, complaints, moderation desk; desktop and phone) into docs/screenshots/
	NEWSPORTAL_SCREENSHOTS=docs/screenshots NEWSPORTAL_TEST_BACKENDS=sqlite $(BIN)/pytest -p no:cacheprovider -q tests/browser/test_screenshots.py $(ARGS)

bench: install ## measure the site against a bare Flask app, and through nginx (ARGS="--small", "--proxy only", "--profile article")
	@command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)
	@test -x /usr/sbin/nginx || apt-get install -y nginx-light || (apt-get update && apt-get install -y nginx-light)
	$(BIN)/python -m tests.perf.bench $(ARGS)

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check newsportal tests
	$(BIN)/mypy

fmt: install ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format newsportal tests

bench-search: install ## time /search at 100,000 synthetic articles on SQLite (takes minutes)
	$(BIN)/python tests/perf/bench_search.py

clean: ## remove the virtualenv and caches (keeps instance/)
	rm -rf $(VENV) build dist newsportal.egg-info .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov $(MO)

vendor-editor: ## rebuild static/vendor/toastui-editor-<version>/ from npm (needs Node and npm)
	npm ci --prefix vendor/toastui-editor --no-audit --no-fund
	npm run --prefix vendor/toastui-editor build
