"""Markup check: Markdown syntax never reaches the printed text; CJK emphasis closes."""

from __future__ import annotations

from pathlib import Path

from acuprint.checks.markup import markup_leftovers, printed_text
from acuprint.compose.markdown import render_markdown
from tests.conftest import build


def test_leftover_markup_is_found_with_its_context() -> None:
    html = "<p>Call <strong>now</strong> if **you** have [[term]] or __this__</p>"
    found = markup_leftovers(html)
    assert any(f.startswith("'**'") for f in found)
    assert any(f.startswith("'[['") for f in found)
    assert any(f.startswith("'__'") for f in found)


def test_write_in_lines_styles_and_attributes_are_not_markup() -> None:
    html = (
        "<style>a::after { content: '**' }</style>"
        '<p title="**">Your name: ______________ Date: ________</p>'
    )
    assert markup_leftovers(html) == []
    assert printed_text(html) == "Your name: ______________ Date: ________"


def test_chinese_bold_after_full_width_punctuation_closes() -> None:
    # CommonMark alone leaves '**' here: a closer after '。' or '：' followed by a
    # Han character or a Latin letter is not right-flanking.
    html = render_markdown("**针灸可能短期内有帮助。**然后**再说**。\n\n- **2021 年：**NICE 说")
    assert "**" not in html
    assert "<strong>针灸可能短期内有帮助。</strong>然后<strong>再说</strong>" in html
    assert "<strong>2021 年：</strong>NICE" in html


def test_english_emphasis_is_unchanged() -> None:
    html = render_markdown("**Call 911 now** if you have *both* legs, and snake_case_word.")
    assert "<strong>Call 911 now</strong>" in html and "<em>both</em>" in html
    assert "snake_case_word" in html


def test_a_real_build_fails_an_output_whose_bold_would_print_as_asterisks(
    project: Path,
) -> None:
    module = project / "handouts/modules/what-to-expect-short.zh-Hans.md"
    text = module.read_text(encoding="utf-8")
    # An unclosed bold: the '**' would print.
    module.write_text(text.replace("**先问问题：**", "**先问问题：", 1), encoding="utf-8")
    report = build(
        project,
        workers=1,
        clinics=["cedar-hollow"],
        handouts=["first-visit"],
        langs=["zh-Hans"],
        proofs=False,
    )
    assert len(report.failures) == 3  # the PDF, its large print and the HTML
    assert all("markup in printed text: '**'" in f for f in report.failures)
    assert not (project / "out/cedar-hollow/first-visit.zh-Hans.pdf").exists()
