"""Layout rules checked on the laid-out pages of every PDF (run with preflight).

Each rule reads where headings, modules, boxes and lines landed
(render/layout.py) and fails the output when a reader would be let down: a
heading alone at the foot of a page, a checklist or an emergency box split
across pages, warning signs missing from the first page of a handout about
pain, a disclaimer smaller than the body text, tick boxes too close to their
text, lines too long to read easily. `page_budget` says by how much a handout
is over its page budget and what to cut.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from acuprint.checks.page_layout import PX_PER_MM, DocumentLayout, Placed

TICK_GAP_MM = 3.0
MAX_LINE_CHARS = 80  # "about 60-75": the median running line may not pass this
MIN_LINE_CHARS = 45


@dataclass(frozen=True)
class LayoutFailure:
    """One broken rule: its name and what is wrong, in plain words."""

    rule: str
    detail: str


def check_layout(
    layout: DocumentLayout,
    *,
    red_flags: str | None = None,
    line_length: bool = False,
) -> list[LayoutFailure]:
    """Every layout rule the pages break; `red_flags` names the module page 1 must show."""
    failures: list[LayoutFailure] = []
    failures += _headings_alone(layout)
    failures += _split(layout, "checklist", "a checklist")
    # An emergency box (a blockquote call-out) never splits, in any variant:
    # large print included, where a reader must not meet half a 911/999 list.
    failures += _split(layout, "callout", "a boxed call-out")
    if red_flags:
        first = {p.module for p in layout.pages[0].placed} if layout.pages else set()
        boxes = [p for p in layout.find("callout") if p.module == red_flags]
        if red_flags not in first:
            failures.append(
                LayoutFailure(
                    "red flags on page 1",
                    f"the warning signs ('{red_flags}') are not on the first page",
                )
            )
        elif boxes and any(p.page != 1 for p in boxes):
            # The heading on page 1 is not enough: the whole emergency list must be there.
            failures.append(
                LayoutFailure(
                    "red flags on page 1",
                    f"the emergency box of the warning signs ('{red_flags}') is not all on "
                    "the first page",
                )
            )
    failures += _disclaimer_size(layout)
    failures += _tick_gaps(layout)
    if line_length:
        failures += _line_length(layout)
    return failures


def _headings_alone(layout: DocumentLayout) -> list[LayoutFailure]:
    found = []
    for page in layout.pages:
        for heading in (p for p in page.placed if p.kind == "heading" and p.module):
            others = [
                p
                for p in page.placed
                if p.module == heading.module
                and p.kind not in ("heading", "module")
                and p.bottom > heading.top
            ]
            if not others and page.number < len(layout.pages):
                found.append(
                    LayoutFailure(
                        "heading alone",
                        f"page {page.number}: heading '{heading.name}' has none of its text "
                        "below it on the same page",
                    )
                )
    return found


def _split(layout: DocumentLayout, kind: str, what: str) -> list[LayoutFailure]:
    pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    for placed in layout.find(kind):
        pages[(placed.module, placed.name)].add(placed.page)
    return [
        LayoutFailure(
            f"{kind} split",
            f"{what} in '{module}' runs over pages {', '.join(map(str, sorted(numbers)))}",
        )
        for (module, _), numbers in pages.items()
        if len(numbers) > 1
    ]


def _disclaimer_size(layout: DocumentLayout) -> list[LayoutFailure]:
    sizes = [line.font_size for page in layout.pages for line in page.lines if line.running]
    disclaimer = [
        line.font_size
        for page in layout.pages
        for line in page.lines
        if line.module == "disclaimer"
    ]
    others = [
        line.font_size
        for page in layout.pages
        for line in page.lines
        if line.running and line.module != "disclaimer"
    ]
    if not sizes or not disclaimer or not others:
        return []
    body = statistics.median(others)
    if min(disclaimer) + 0.01 < body:
        return [
            LayoutFailure(
                "disclaimer size",
                f"the disclaimer prints at {min(disclaimer) * 0.75:.1f} pt, smaller than the "
                f"body text ({body * 0.75:.1f} pt)",
            )
        ]
    return []


def _tick_gaps(layout: DocumentLayout) -> list[LayoutFailure]:
    tight = [
        task
        for task in layout.find("task")
        if task.text_left is not None and task.text_left - task.right < TICK_GAP_MM * PX_PER_MM
    ]
    if not tight:
        return []
    gap = min(t.text_left - t.right for t in tight if t.text_left is not None) / PX_PER_MM
    return [
        LayoutFailure(
            "tick-box gap",
            f"{len(tight)} tick box(es) sit {gap:.1f} mm from their text "
            f"(at least {TICK_GAP_MM:.0f} mm)",
        )
    ]


def _line_length(layout: DocumentLayout) -> list[LayoutFailure]:
    lengths = [
        line.chars
        for page in layout.pages
        for line in page.lines
        if line.running and line.chars >= MIN_LINE_CHARS // 2
    ]
    if len(lengths) < 5:
        return []
    typical = statistics.median(lengths)
    if typical > MAX_LINE_CHARS:
        return [
            LayoutFailure(
                "line length",
                f"running text has about {typical:.0f} characters a line "
                f"(aim for 60-75, at most {MAX_LINE_CHARS})",
            )
        ]
    return []


def page_budget(layout: DocumentLayout, allowed: int) -> str:
    """How much to cut, and from where, when `layout` has more pages than `allowed`."""
    over = [line for page in layout.pages[allowed:] for line in page.lines]
    last = layout.pages[allowed - 1] if 0 < allowed <= len(layout.pages) else None
    # Lines that are short of a full page still have to go somewhere: count the
    # overflowing lines, plus a little for spacing and headings.
    extra = round(len(over) * 1.15) + (1 if last is not None else 0)
    per_module: dict[str, int] = defaultdict(int)
    for page in layout.pages:
        for line in page.lines:
            per_module[line.module] += 1
    longest = sorted(
        ((m, n) for m, n in per_module.items() if m not in ("disclaimer", "")),
        key=lambda item: -item[1],
    )[:3]
    where = ", ".join(f"{m} ({n} lines)" for m, n in longest)
    return f"cut about {max(extra, 1)} lines, for example from the longest sections: {where}"


def placed_pages(placed: list[Placed]) -> set[int]:
    """The pages a group of placements covers."""
    return {p.page for p in placed}
