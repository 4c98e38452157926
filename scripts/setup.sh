#!/usr/bin/env bash
# Set up what acuprint needs on a Debian machine, then get out of the way.
#   scripts/setup.sh          what building needs (scripts/build.sh runs this)
#   scripts/setup.sh --test   that, plus what the tests need (scripts/test.sh runs this)
# Safe to run again: each step is skipped when it is already done.
# Fonts are not installed: they are bundled in styles/fonts/.
#
# Every command-line tool a test calls is listed in TEST_TOOLS below with the
# Debian package that provides it; tests/tools.py reads this table, and a test
# that calls a tool missing from it fails, naming the tool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# System libraries WeasyPrint loads. libharfbuzz-subset0 makes PDFs about 3x
# faster and byte-identical (HarfBuzz subsets the fonts instead of fontTools).
BUILD_PACKAGES=(
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz0b
  libharfbuzz-subset0
  libfontconfig1
  fontconfig
  cups-client  # lp and lpstat: `acuprint print` sends handouts to CUPS with them
)

# tool=package: the independent judges the tests use on our output.
TEST_TOOLS=(
  pdffonts=poppler-utils
  pdfinfo=poppler-utils
  pdftoppm=poppler-utils
  pdftotext=poppler-utils
  zbarimg=zbar-tools
  chromium=chromium
  qpdf=qpdf
  gs=ghostscript
  mutool=mupdf-tools
  # A private CUPS server for the `acuprint print` tests; ipptool reads a job back.
  cupsd=cups-daemon
  lpadmin=cups-client
  lpstat=cups-client
  cupsdisable=cups-client
  ipptool=cups-ipp-utils
)
# Packages the tests need that are not a command: CUPS and the virtual PDF printer's driver.
TEST_PACKAGES=(
  cups
  printer-driver-cups-pdf
)

PYTHON=${PYTHON:-python3}
VENV=.venv
mode=build
[ "${1:-}" = "--test" ] && mode=test

say() { printf 'setup: %s\n' "$*" >&2; }

wanted=("${BUILD_PACKAGES[@]}")
if [ "$mode" = test ]; then
  for pair in "${TEST_TOOLS[@]}"; do wanted+=("${pair#*=}"); done
  wanted+=("${TEST_PACKAGES[@]}")
fi
missing=()
for pkg in $(printf '%s\n' "${wanted[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi
if [ "$mode" = test ] && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)  # axe-core for the browser tests comes from the npm registry
fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    say "missing system packages: ${missing[*]}; install them with your package manager"
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "run as root, or install: ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  say "installing system packages (a few minutes the first time): ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "acuprint needs Python 3.11 or newer; $("$PYTHON" --version) found (set PYTHON=...)"
  exit 1
fi

stamp="$VENV/.acuprint-installed"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if ! { [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  say "installing locked Python dependencies into $VENV (about a minute the first time)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi

# JavaScript the tests inject into Chromium (axe-core), pinned in
# package-lock.json and installed from the npm registry; no browser download.
if [ "$mode" = test ]; then
  command -v npm >/dev/null || { say "the tests need Node.js and npm (apt-get install nodejs npm)"; exit 1; }
  stamp=node_modules/.acuprint-installed
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if ! { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
    say "installing pinned test JavaScript (axe-core) into node_modules"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" > "$stamp"
  fi
fi
