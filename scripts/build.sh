#!/usr/bin/env bash
# Build every clinic's handouts into out/ (sets up first if needed).
# Any arguments go to `acuprint build`, e.g. scripts/build.sh --clinic cedar-hollow
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
exec .venv/bin/acuprint build "$@"
