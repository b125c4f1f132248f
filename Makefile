# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
# uv is used when on PATH; otherwise it is bootstrapped into .tools/ with pip.

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench bench-100k bench-hub package deb clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv>=0.5"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-extras --group dev
	@touch $@

run: .venv/.synced
	$(UV) run satchel --demo

# The fault suite (tests/faults) regenerates docs/RELIABILITY.md when all of it passes.
# Tests run in parallel, one worker per core (pytest-xdist).
test: .venv/.synced
	SATCHEL_WRITE_RELIABILITY=1 $(UV) run pytest -n auto --dist loadfile --durations=15
	@echo "--- every core and CLI module imported, and the CLI tests, with PySide6 made unimportable ---"
	SATCHEL_BLOCK_QT=1 $(UV) run pytest -c tests/noqt.ini --rootdir . tests/core/test_layering.py tests/cli -q -m "not slow" -n auto

lint: .venv/.synced
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports
	$(UV) run mypy

bench: .venv/.synced
	$(UV) run python -m bench.run

# Search at 100k assets (about 16 minutes, most of it generating and indexing the library).
bench-100k: .venv/.synced
	$(UV) run python -m bench.run --skip-import --skip-edit --skip-relevance --skip-desktop --skip-render --skip-requests --skip-field --skip-insights --skip-hub --sizes 100000 --output build/bench-100k.md

# The team hub alone: a local PostgreSQL with 10k assets, 100k requests, 1M usage events,
# then 200 clients for five minutes (about ten minutes in all).
bench-hub: .venv/.synced
	$(UV) run python -m bench.run --skip-import --skip-edit --skip-relevance --skip-desktop --skip-render --skip-requests --skip-field --skip-insights --sizes "" --output build/bench-hub.md

package: .venv/.synced
	$(UV) sync --locked --all-extras --group dev --group package
	$(UV) run pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/satchel.spec
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} dist/satchel/satchel --self-test
	dist/satchel/satchel demo build/smoke-demo-$$$$ >/dev/null && echo "frozen build OK: dist/satchel/"

# A Debian package of that bundle (needs dpkg-deb and help2man): build/satchel_*.deb.
deb: package
	PYTHON=.venv/bin/python packaging/linux/build-deb.sh

clean:
	rm -rf .venv .tools .pytest_cache
