#!/usr/bin/env bash
# Run every check CI runs: lint, format, types, then the test suite
# (sets up first if needed). Extra arguments go to pytest, e.g.
#   scripts/test.sh -m "not slow"      the everyday loop (no browser, no full builds)
#   scripts/test.sh tests/render -n 0  one folder, in this process
# Tests run in one process per core (pytest-xdist); ACUPRINT_TEST_PROCESSES sets
# another count. The slowest tests are listed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
# pytest's last line gives the time the tests took.
exec .venv/bin/pytest -n "${ACUPRINT_TEST_PROCESSES:-auto}" --durations=10 "$@"
