"""Markup check: no Markdown syntax may reach the text a patient reads.

A `**` that CommonMark could not pair (or a `[[term]]` or `:::` fence that was
not expanded) prints as literal characters, and the emphasis it was meant
to give lands on the wrong words or nowhere. Run on every rendered output,
PDF and HTML, over the text of the whole page (title, modules, clinic
details): any leftover fails that output.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What Markdown leaves behind when it did not parse as intended. A run of
# three or more underscores is a write-in line on a form, not markup.
_LEFTOVER = re.compile(
    r"\*+"  # emphasis that did not open or close
    r"|(?<!_)__(?!_)"  # strong emphasis written with underscores
    r"|`+"  # code spans
    r"|\[\[|\]\]"  # a regional [[term]] that was not expanded
    r"|:::"  # a regional fence that was not expanded
    r"|\]\(|~~"  # a link or strike-through left as text
)
_SKIP = {"style", "script", "title", "head"}
CONTEXT = 24


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def printed_text(html: str) -> str:
    """The text of an HTML page as a reader sees it (no tags, styles or scripts)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def markup_leftovers(html: str) -> list[str]:
    """Each piece of Markdown syntax in the printed text of `html`, with some context."""
    text = printed_text(html)
    found = []
    for match in _LEFTOVER.finditer(text):
        start, end = max(match.start() - CONTEXT, 0), min(match.end() + CONTEXT, len(text))
        found.append(f"'{match.group()}' in \"…{text[start:end]}…\"")
    return found
