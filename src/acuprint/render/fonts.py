"""Font subsetting for standalone HTML: embed only the glyphs a page can need."""

from __future__ import annotations

import hashlib
import io
import logging
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from acuprint.atomic import write_atomic
from acuprint.inputs.reads import read_bytes

# Latin-1, general punctuation (dashes, curly quotes, bullets) and the
# characters the template itself prints (middle dot, ellipsis).
_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2030, 0x20AC]


# Raise when the subsetting below changes, so cached subsets are not reused.
_SUBSET_VERSION = "1"


def subset_font(path: Path, cache: Path, unicodes: frozenset[int] | None = None) -> bytes:
    """Return `path` subset (to Latin text, or to `unicodes`) as WOFF; cached on disk.

    Subsetting takes about half a second a face, and the result depends only
    on the font file and the characters, so later builds reuse it.
    """
    return _subset_cached(read_bytes(path), cache, unicodes)


@cache
def _subset_cached(source: bytes, cache: Path, unicodes: frozenset[int] | None) -> bytes:
    wanted = sorted(unicodes) if unicodes is not None else _UNICODES
    key = hashlib.sha256(
        source + _SUBSET_VERSION.encode() + ",".join(map(str, wanted)).encode()
    ).hexdigest()
    cached = cache / "fonts" / f"{key}.woff"
    with suppress(OSError):
        return cached.read_bytes()
    data = _subset(source, wanted)
    with suppress(OSError):  # a read-only cache only costs speed
        write_atomic(cached, data)
    return data


def _subset(source: bytes, unicodes: list[int]) -> bytes:
    # Imported here: fontTools is slow to import and only needed on a cache miss.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # fontTools logs chatter (timestamps, dropped tables) that is not a problem with the output.
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _subset_quietly(source, unicodes, subset, TTFont)
    finally:
        logger.setLevel(level)


def _subset_quietly(source: bytes, unicodes: list[int], subset: Any, TTFont: Any) -> bytes:
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Keep the font's own timestamp: "now" would make every build differ.
    font = TTFont(io.BytesIO(source), lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()
