"""Layout rules read from the laid-out pages: each rule is broken on purpose and fails."""

from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

from acuprint.checks.layout import check_layout, page_budget
from acuprint.checks.page_layout import PX_PER_MM, DocumentLayout, Line, PageLayout, Placed
from tests.conftest import REPO, build
from tests.tools import tool

ONE = {"clinics": ["marlowe-street"], "handouts": ["first-visit"], "formats": ("pdf",)}


def _page(number: int, *placed: Placed, lines: tuple[Line, ...] = ()) -> PageLayout:
    page = PageLayout(number, 50.0, 1000.0, list(placed), list(lines))
    return page


def _rules(layout: DocumentLayout, **options: object) -> set[str]:
    return {f.rule for f in check_layout(layout, **options)}  # type: ignore[arg-type]


def _text(module: str, page: int, top: float) -> Placed:
    return Placed("paragraph", "", page, top, top + 40, module=module)


GOOD = DocumentLayout(
    [
        _page(
            1,
            Placed("module", "red-flags", 1, 60, 400, module="red-flags"),
            Placed("heading", "Back pain warning signs", 1, 60, 80, module="red-flags"),
            _text("red-flags", 1, 80),
            lines=(Line("red-flags", 70, 14.67, True),) * 6,
        ),
        _page(2, lines=(Line("disclaimer", 70, 14.67, True),)),
    ]
)


def test_a_good_layout_passes() -> None:
    assert _rules(GOOD, red_flags="red-flags", line_length=True) == set()


def test_a_heading_alone_at_the_foot_of_a_page_fails() -> None:
    layout = DocumentLayout(
        [
            _page(1, Placed("heading", "Side effects", 1, 960, 990, module="side-effects")),
            _page(2, _text("side-effects", 2, 60)),
        ]
    )
    assert "heading alone" in _rules(layout)


def test_a_checklist_split_over_two_pages_fails() -> None:
    layout = DocumentLayout(
        [
            _page(1, Placed("checklist", "", 1, 800, 1000, module="safety-checklist")),
            _page(2, Placed("checklist", "", 2, 50, 200, module="safety-checklist")),
        ]
    )
    assert "checklist split" in _rules(layout)


def test_an_emergency_box_split_over_two_pages_fails() -> None:
    layout = DocumentLayout(
        [
            _page(1, Placed("callout", "Call 911 now", 1, 900, 1000, module="side-effects")),
            _page(2, Placed("callout", "Call 911 now", 2, 50, 90, module="side-effects")),
        ]
    )
    assert "callout split" in _rules(layout)  # in every variant, large print included


def test_warning_signs_whose_emergency_box_runs_onto_page_2_fail() -> None:
    layout = DocumentLayout(
        [
            _page(
                1,
                Placed("module", "red-flags", 1, 600, 1000, module="red-flags"),
                Placed("callout", "Call 911", 1, 650, 1000, module="red-flags"),
            ),
            _page(2, Placed("callout", "Call 911", 2, 50, 200, module="red-flags")),
        ]
    )
    rules = check_layout(layout, red_flags="red-flags")
    details = [f.detail for f in rules if f.rule == "red flags on page 1"]
    assert details and "emergency box" in details[0]
    assert "callout split" in {f.rule for f in rules}


def test_warning_signs_off_the_first_page_fail() -> None:
    layout = DocumentLayout(
        [_page(1, _text("main-message", 1, 60)), _page(2, _text("red-flags", 2, 60))]
    )
    assert "red flags on page 1" in _rules(layout, red_flags="red-flags")
    assert "red flags on page 1" not in _rules(layout)  # a form is not about pain


def test_a_disclaimer_smaller_than_the_body_fails() -> None:
    body = (Line("what-to-expect", 70, 16.0, True),) * 5
    layout = DocumentLayout([_page(1, lines=(*body, Line("disclaimer", 70, 14.67, True)))])
    [failure] = check_layout(layout)
    assert failure.rule == "disclaimer size"
    assert "11.0 pt, smaller than the body text (12.0 pt)" in failure.detail


def test_tick_boxes_closer_than_3_mm_fail() -> None:
    close = Placed("task", "", 1, 100, 120, 0, 12, module="safety", text_left=12 + 2 * PX_PER_MM)
    far = Placed("task", "", 1, 100, 120, 0, 12, module="safety", text_left=12 + 3.5 * PX_PER_MM)
    assert "tick-box gap" in _rules(DocumentLayout([_page(1, close)]))
    assert "tick-box gap" not in _rules(DocumentLayout([_page(1, far)]))


def test_long_lines_fail_where_lines_are_checked() -> None:
    layout = DocumentLayout([_page(1, lines=(Line("benefits", 95, 14.67, True),) * 8)])
    assert "line length" in _rules(layout, line_length=True)
    assert "line length" not in _rules(layout)


def test_the_page_budget_says_by_how_much_and_what_to_cut() -> None:
    lines = (Line("red-flags", 60, 14.67, True),) * 40
    layout = DocumentLayout(
        [
            _page(1, lines=lines),
            _page(2, lines=(Line("benefits", 60, 14.67, True),) * 30),
            _page(3, lines=(Line("benefits", 60, 14.67, True),) * 10),
        ]
    )
    message = page_budget(layout, 2)
    assert message.startswith("cut about 13 lines")
    assert "red-flags (40 lines), benefits (40 lines)" in message


def test_the_build_fails_a_pdf_that_breaks_a_rule(project: Path) -> None:
    css = project / "clinics/marlowe-street/clinic.css"
    css.write_text(
        css.read_text()
        + "\n.module--disclaimer { font-size: 9pt; }\n"
        + ".module--red-flags { break-before: page; }\n"
    )
    report = build(project, workers=1, **ONE)  # type: ignore[arg-type]
    # The standard sheet (its large print breaks the same rules, on a page of its own).
    [failure] = [f for f in report.failures if f.startswith("marlowe-street/first-visit.en.pdf")]
    assert (
        "red flags on page 1: the warning signs ('red-flags') are not on the first page" in failure
    )
    assert "disclaimer size: the disclaimer prints at 9.0 pt" in failure
    assert not (project / "out/marlowe-street/first-visit.en.pdf").exists()


def test_large_print_is_18pt_with_nothing_under_16pt_and_the_emergency_list_on_page_1(
    tmp_path: Path,
) -> None:
    """One real build, the tightest page 1 (Spanish first-visit on Letter): every glyph,
    footer, phone and page numbers included, is 16pt or more; most text is 18pt; the
    last emergency sign is on page 1."""
    report = build(
        REPO,
        tmp_path / "out",
        clinics=["cedar-hollow"],
        handouts=["first-visit"],
        langs=["es"],
        formats=("pdf",),
        proofs=False,
    )
    assert not report.failures
    pdf = report.out_dir / "cedar-hollow/first-visit.es.large-print.pdf"
    stext = subprocess.run(
        [tool("mutool"), "draw", "-q", "-F", "stext", "-o", "-", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes: collections.Counter[float] = collections.Counter()
    for size, body in re.findall(r'<font name="[^"]*" size="([\d.]+)">(.*?)</font>', stext, re.S):
        sizes[round(float(size), 1)] += body.count("<char ")
    assert min(sizes) >= 15.95, sizes
    assert sizes.most_common(1)[0][0] == 18.0
    page_1 = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "choque de auto o una caída fuerte" in " ".join(page_1.split())


def test_every_large_print_chronic_pain_handout_keeps_its_emergency_box_whole_on_page_1(
    project: Path,
) -> None:
    """A real build: the 911/999 list of every large-print chronic-pain handout, every language."""
    report = build(
        project,
        workers=1,
        handouts=["chronic-pain"],
        formats=("pdf",),
        proofs=False,
    )
    assert not report.failures
    large = sorted((project / "out").glob("*/chronic-pain.*.large-print.pdf"))
    assert len(large) == 5  # cedar-hollow en/es/zh-Hans, bayside, marlowe-street
