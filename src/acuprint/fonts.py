"""Font subsetting for standalone HTML: embed only the glyphs a page can need."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Latin-1, general punctuation (dashes, curly quotes, bullets) and the
# characters the template itself prints (middle dot, ellipsis).
_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2030, 0x20AC]


@cache
def subset_font(path: Path) -> bytes:
    """Return `path` subset to Latin text and compressed as WOFF2."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(path), lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()
