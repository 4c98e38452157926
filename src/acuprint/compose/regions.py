"""Expand a module's regional wording for one clinic's region (see inputs/regions.py)."""

from __future__ import annotations

import re
from functools import cache

from acuprint.inputs.regions import FENCE, TERM, RegionalWording


def expand_regions(text: str, lang: str, region: str, wording: RegionalWording) -> str:
    """`text` with only `region`'s blocks (fences removed) and every [[term]] replaced.

    The project loader has already refused unknown regions, unclosed blocks
    and undefined terms, so every term here has a wording.
    """
    return "".join(line for _, line in expanded_lines(text, lang, region, wording))


def expanded_lines(
    text: str, lang: str, region: str, wording: RegionalWording
) -> list[tuple[int, str]]:
    """The lines `expand_regions` keeps, each with its index (from 0) in `text`."""
    kept: list[tuple[int, str]] = []
    inside: str | None = None
    for index, line in enumerate(text.splitlines(keepends=True)):
        fence = FENCE.match(line.rstrip("\r\n"))
        if fence:
            inside = fence.group("name") or None
            continue
        if inside is None or inside == region:
            kept.append((index, line))
    return [
        (
            index,
            TERM.sub(
                lambda m: wording.term(lang, region, m.group("name").strip()) or m.group(0), line
            ),
        )
        for index, line in kept
    ]


def forbidden_terms(text: str, lang: str, region: str, wording: RegionalWording) -> list[str]:
    """The words `region` must never print that `text` contains, in the order listed."""
    return [t for t in wording.forbidden.get((lang, region), ()) if _pattern(t).search(text)]


@cache
def _pattern(term: str) -> re.Pattern[str]:
    # Whole words only. A term with a capital letter (GP, NHS, LAc, A&E) matches
    # its case exactly, so "lac" in "lactose" or "gp" inside a word never counts.
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    body = r"\s+".join(re.escape(word) for word in term.split())
    before = r"(?<![\w&])" if term[:1].isalnum() else ""
    after = r"(?![\w&])" if term[-1:].isalnum() else ""
    return re.compile(before + body + after, flags)
