"""Make the bundled Simplified Chinese font: Noto Sans CJK SC, subset, with TrueType outlines.

Maintainers run this when Chinese content needs a character the bundled
subset lacks (`acuprint build` then names the character). It needs Debian's
fonts-noto-cjk package, which only this script uses:

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/make-cjk-font.py

The subset keeps the 3,755 most common characters (GB 2312 level 1), Chinese
punctuation and full-width forms, Latin, and every character of the zh-Hans
modules, recipes, clinic profiles and labels, so most edits need no new font.

Why TrueType outlines: Noto Sans CJK is a CID-keyed CFF font. Once subset, its
glyph ids are no longer its CIDs, and a PDF that embeds it (WeasyPrint writes
glyph ids as CIDs) prints boxes in Ghostscript and nothing in MuPDF; only
poppler looks glyphs up by id. A glyf font is embedded as a CIDFontType2 with
an identity CID-to-glyph map, which every renderer reads the same way. The
cubic outlines are converted to quadratic ones within 1 font unit (of 1,000),
as fontTools' otf2ttf does; the font is unhinted, like the original's CJK
glyphs. The OFL allows modified versions; Noto has no Reserved Font Name.

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto")
TARGET = REPO / "styles" / "fonts" / "noto-sans-sc"
FAMILY = "Noto Sans CJK SC"
MAX_ERROR = 1.0  # font units (of 1,000 per em) a quadratic curve may stray from the cubic


def gb2312(rows: range) -> set[int]:
    """Characters of GB 2312 rows (0xA1..0xF7), decoded with Python's own codec."""
    found = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            with suppress(UnicodeDecodeError):  # cells GB 2312 leaves empty
                found.add(ord(bytes([row, cell]).decode("gb2312")))
    return found


def characters() -> set[int]:
    """Every character the subset keeps."""
    wanted = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2027))
    wanted |= gb2312(range(0xA1, 0xA4)) | gb2312(range(0xB0, 0xD8))  # symbols + level 1
    wanted |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))  # CJK punctuation, forms
    texts = [
        *sorted((REPO / "handouts" / "modules").glob("*.zh-Hans.md")),
        *sorted((REPO / "handouts" / "recipes").glob("*.toml")),
        *sorted((REPO / "clinics").glob("*/clinic.toml")),
        REPO / "src" / "acuprint" / "compose" / "labels.py",
    ]
    for path in texts:
        wanted |= {ord(c) for c in path.read_text(encoding="utf-8")}
    return {c for c in wanted if c >= 0x20}


def to_truetype(font: TTFont) -> None:
    """Replace the font's CFF outlines with quadratic glyf outlines, in place."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # vertical origins are a CFF-only table
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():  # left side bearings come from the new outlines
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main() -> None:
    """Write the Regular and Bold subsets to styles/fonts/noto-sans-sc/."""
    TARGET.mkdir(parents=True, exist_ok=True)
    wanted = characters()
    for weight in ("Regular", "Bold"):
        collection = TTCollection(str(SOURCE / f"NotoSansCJK-{weight}.ttc"))
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.desubroutinize = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        to_truetype(font)
        font.recalcTimestamp = False
        out = TARGET / f"NotoSansSC-{weight}-subset.ttf"
        font.save(str(out))
        print(
            f"{out.relative_to(REPO)}: {len(font.getBestCmap())} characters, "
            f"{out.stat().st_size:,} bytes",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
