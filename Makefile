# Two commands on a fresh machine: `make run` and `make test`.
# Each creates or refreshes .venv (only when pyproject.toml changed) and then runs.

PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not ((3,11) <= sys.version_info[:2] < (3,14)))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test test-pure lint bench screenshots dist dist-check clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11, 3.12 or 3.13 is needed (apt-get install python3 python3-venv)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create .venv: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,packaging]'
	@touch $(STAMP)

# The console on the built-in sandbox: a real window when there is a display.
run: $(STAMP)
ifeq ($(strip $(DISPLAY)$(WAYLAND_DISPLAY)),)
	@echo "No display found: the console runs offscreen (Ctrl-C stops it). On a desktop, run make run there."
	QT_QPA_PLATFORM=offscreen $(BIN)/criteo-console
else
	env -u QT_QPA_PLATFORM $(BIN)/criteo-console
endif

test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-pure

# The pure layers import and pass their tests with PySide6 made unimportable.
test-pure: $(STAMP)
	$(BIN)/python tests/run_without_qt.py

lint: $(STAMP)
	$(BIN)/ruff check criteo_console tests bench tools packaging
	$(BIN)/ruff format --check criteo_console tests bench tools packaging
	$(BIN)/mypy criteo_console
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# The desktop app as one folder, dist/criteo-console/ (PyInstaller; packaging/README.md).
PACKAGING_STAMP := $(VENV)/.packaging-installed

$(PACKAGING_STAMP): $(STAMP)
	@touch $(PACKAGING_STAMP)

dist: $(PACKAGING_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/criteo-console.spec

# Runs the frozen app: size budget, --version, validate, OS secret store, --self-test.
dist-check: $(STAMP)
	$(BIN)/python packaging/dist_check.py dist/criteo-console

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# Every page, light and dark, rendered offscreen to docs/screenshots/*.png.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py
