"""What a laid-out document looks like to the layout checks: pages, elements, lines.

`acuprint.render.layout` fills these in from WeasyPrint's boxes; the checks
read them without knowing anything about WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PX_PER_MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels
PX_PER_PT = 96 / 72


@dataclass(frozen=True)
class Placed:
    """One element on one page: what it is, its id or text, and where (points from the top)."""

    kind: str  # heading, module, checklist, task, tickbox, callout, list, lead-in, paragraph
    name: str  # module id, heading text, or "" when it has none
    page: int  # 1-based
    top: float
    bottom: float
    left: float = 0.0
    right: float = 0.0
    font_size: float = 0.0
    module: str = ""  # the module it belongs to
    text_left: float | None = None  # for a task item: where its first line of text starts


@dataclass(frozen=True)
class Line:
    """One line of text: its module, length, font size, and whether it is running text."""

    module: str
    chars: int
    font_size: float
    running: bool  # a paragraph of the main text, not a list, box or heading


@dataclass
class PageLayout:
    """One page: its content area, its elements and its lines of text."""

    number: int
    content_top: float
    content_bottom: float
    placed: list[Placed] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    last_line_bottom: float = 0.0
    seen: set[int] = field(default_factory=set, repr=False)


@dataclass
class DocumentLayout:
    """Every page of a laid-out document."""

    pages: list[PageLayout]

    def find(self, kind: str, name: str | None = None) -> list[Placed]:
        """Every placement of elements of `kind` (named `name`, if given), in page order."""
        return [
            p
            for page in self.pages
            for p in page.placed
            if p.kind == kind and (name is None or p.name == name)
        ]
