#!/usr/bin/env bash
# Refresh the reference images of the visual snapshot tests after an intended
# change to styles, templates or content; review them with `git diff` before
# committing (image diffs show in most git tools).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
rm -rf tests/snapshots/_failures
ACUPRINT_UPDATE_SNAPSHOTS=1 exec .venv/bin/pytest -q tests/test_snapshots.py "$@"
