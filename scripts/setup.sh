#!/usr/bin/env bash
# Set up everything acuprint needs on a Debian machine, then get out of the way.
# Safe to run again: each step is skipped when it is already done.
#   - system libraries WeasyPrint loads (Pango, HarfBuzz with its subsetter for
#     fast, byte-identical PDFs, fontconfig), and for the tests, which check
#     PDFs with tools independent of our own code, poppler-utils (pdffonts,
#     pdftoppm), zbar-tools (zbarimg reads the printed QR codes) and
#     chromium (the browser tests drive it with Playwright);
#   - a virtual environment in .venv with the locked dependencies (hashes
#     checked) and acuprint itself, installed in editable mode.
# Fonts are not installed: they are bundled in styles/fonts/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fontconfig poppler-utils zbar-tools chromium)
PYTHON=${PYTHON:-python3}
VENV=.venv

say() { printf 'setup: %s\n' "$*" >&2; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
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
  say "installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "acuprint needs Python 3.11 or newer; $("$PYTHON" --version) found (set PYTHON=...)"
  exit 1
fi

stamp="$VENV/.acuprint-installed"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
say "installing locked dependencies into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
