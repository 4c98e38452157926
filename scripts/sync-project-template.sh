#!/usr/bin/env bash
# Refresh the starter project `acuprint init` copies (src/acuprint/data/project/)
# from this repository: every handout, the styles, two font families and one
# sample clinic, and the editorial approvals of the library (review/shared.jsonl).
# tests/commands/test_init.py fails when the copy drifts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dest=src/acuprint/data/project
rm -rf "$dest/handouts" "$dest/styles"
mkdir -p "$dest/styles/fonts" "$dest/clinics" "$dest/review/clinics"
cp -r handouts "$dest/handouts"
# The editorial approvals of the library (scripts/approve-shipped-content.sh); the
# sample clinic's own approvals are made in place, for its own text.
cp review/shared.jsonl review/.gitattributes "$dest/review/"
cp styles/*.css styles/README.md "$dest/styles/"
cp -r styles/color "$dest/styles/color"
cp -rL styles/icons "$dest/styles/icons"  # -L: real files, never links (init refuses links)
cp -rL styles/figures "$dest/styles/figures"
for family in open-sans roboto-slab; do cp -r "styles/fonts/$family" "$dest/styles/fonts/$family"; done
# The catalogue, cut to the families copied above.
python3 - "$dest/styles/fonts/fonts.toml" <<'PY'
import re, sys
text = open("styles/fonts/fonts.toml", encoding="utf-8").read()
head, *tables = re.split(r"\n(?=(?:#[^\n]*\n)*\[)", text)
keep = [t for t in tables if re.search(r"^\[(open-sans|roboto-slab)\]", t, re.M)]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join([head, *keep]).rstrip() + "\n")
PY
