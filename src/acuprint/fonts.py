"""Font subsetting for standalone HTML: embed only the glyphs a page can need."""

from __future__ import annotations

import io
import logging
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Latin-1, general punctuation (dashes, curly quotes, bullets) and the
# characters the template itself prints (middle dot, ellipsis).
_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2030, 0x20AC]


# fontTools logs chatter (timestamps, dropped tables) that is not a problem with the output.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@cache
def subset_font(path: Path) -> bytes:
    """Return `path` subset to Latin text, as WOFF (zlib: fast to write, small enough)."""
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Keep the font's own timestamp: "now" would make every build differ.
    font = TTFont(str(path), lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()
