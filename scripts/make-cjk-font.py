"""Make the bundled Simplified Chinese font: Noto Sans CJK SC, subset to common characters.

Maintainers run this when Chinese content needs a character the bundled
subset lacks (`acuprint build` then names the character). It needs Debian's
fonts-noto-cjk package, which only this script uses:

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/make-cjk-font.py

The subset keeps the 3,755 most common characters (GB 2312 level 1), Chinese
punctuation and full-width forms, Latin, and every character of the zh-Hans
modules and labels, so most edits need no new font. The output is
deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto")
TARGET = REPO / "styles" / "fonts" / "noto-sans-sc"
FAMILY = "Noto Sans CJK SC"


def gb2312(rows: range) -> set[int]:
    """Characters of GB 2312 rows (0xA1..0xF7), decoded with Python's own codec."""
    found = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return found


def characters() -> set[int]:
    wanted = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2027))
    wanted |= gb2312(range(0xA1, 0xA4)) | gb2312(range(0xB0, 0xD8))  # symbols + level 1
    wanted |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))  # CJK punctuation, forms
    for path in sorted((REPO / "handouts" / "modules").glob("*.zh-Hans.md")):
        wanted |= {ord(c) for c in path.read_text(encoding="utf-8")}
    labels = (REPO / "src" / "acuprint" / "labels.py").read_text(encoding="utf-8")
    wanted |= {ord(c) for c in labels}
    return {c for c in wanted if c >= 0x20}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    wanted = characters()
    for weight in ("Regular", "Bold"):
        collection = TTCollection(str(SOURCE / f"NotoSansCJK-{weight}.ttc"))
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        font.recalcTimestamp = False
        out = TARGET / f"NotoSansSC-{weight}-subset.otf"
        font.save(str(out))
        print(f"{out.relative_to(REPO)}: {len(font.getBestCmap())} characters, "
              f"{out.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
