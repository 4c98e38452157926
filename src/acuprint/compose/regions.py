"""Expand a module's regional wording for one clinic's region (see inputs/regions.py)."""

from __future__ import annotations

import re
from functools import cache

from acuprint.inputs.regions import FENCE, FIGURE, TERM, RegionalWording


def expand_regions(text: str, lang: str, region: str, wording: RegionalWording) -> str:
    """`text` with only `region`'s blocks (fences removed) and every [[term]] replaced.

    Figure blocks (`::: figure NAME` ... `:::`) are kept whole, for
    compose/figures.py to place. The project loader has already refused
    unknown regions, unclosed blocks and undefined terms, so every term here
    has a wording.
    """
    lines = expanded_lines(text, lang, region, wording, keep_figures=True)
    return "".join(line for _, line in lines)


_FIGURE_KEY = re.compile(r"^(?:alt|caption):[ \t]*", re.IGNORECASE)


def expanded_lines(
    text: str, lang: str, region: str, wording: RegionalWording, *, keep_figures: bool = False
) -> list[tuple[int, str]]:
    """The lines `expand_regions` keeps, each with its index (from 0) in `text`.

    Without `keep_figures`, a figure's markers go and its alt text and caption
    become paragraphs of their own: the words a reader (or a screen reader)
    meets, as sign-off and the checks read them.
    """
    kept: list[tuple[int, str]] = []
    inside: str | None = None
    in_figure = False
    for index, line in enumerate(text.splitlines(keepends=True)):
        bare = line.rstrip("\r\n")
        if FIGURE.match(bare):
            in_figure = True
            if keep_figures:
                kept.append((index, line))
            continue
        fence = FENCE.match(bare)
        if fence and in_figure and not fence.group("name"):
            in_figure = False
            if keep_figures:
                kept.append((index, line))
            continue
        if fence:
            inside = fence.group("name") or None
            continue
        if in_figure and not keep_figures and _FIGURE_KEY.match(line):
            line = "\n" + _FIGURE_KEY.sub("", line, count=1).rstrip("\r\n") + "\n\n"
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
