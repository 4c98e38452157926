"""Standalone HTML: everything inlined, nothing loaded from elsewhere, text escaped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acuprint.compose.handout import compose_handout
from acuprint.compose.markdown import render_markdown
from acuprint.inputs.project import load_project
from acuprint.render.html import HtmlDocument, render_html

Edit = Callable[[str, str, str], None]


def _standalone(project: Path) -> HtmlDocument:
    loaded = load_project(project)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["first-visit"], "en"
    )
    return render_html(loaded, composed, standalone=True)


def test_local_css_images_are_inlined_as_data_urls(project: Path) -> None:
    (project / "clinics/cedar-hollow/clinic.css").write_text(
        '.title-block { background-image: url("logo.svg"); }\n'
    )
    document = _standalone(project)
    assert 'url("data:image/svg+xml;base64,' in document.html
    assert 'url("logo.svg")' not in document.html
    assert 'url("data:,")' not in document.html  # nothing was refused


def test_css_cannot_close_its_style_element(project: Path) -> None:
    (project / "clinics/cedar-hollow/clinic.css").write_text("/* </style><script>x()</script> */")
    html = _standalone(project).html
    assert "</style><script>" not in html


def test_markdown_has_no_raw_html_images_or_script_links() -> None:
    html = render_markdown(
        "<script>x()</script>\n\n![pixel](https://example.com/p.png)\n\n[go](javascript:x())\n"
        "\n- [ ] tick me\n"
    )
    assert "<script>" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert 'type="checkbox"' in html


def test_the_clinic_phone_is_beside_call_your_practitioner_and_reviews_are_dated_plainly() -> None:
    """Each language: the phone fills [[clinic-phone]]; "Last reviewed · Next review" per locale."""
    from tests.conftest import REPO

    loaded = load_project(REPO)
    expected = {
        ("cedar-hollow", "en"): (
            "Call your practitioner at (503) 555-0142 or your doctor",
            "Last reviewed: Nov 21, 2026 · Next review: Nov 2027",
        ),
        ("cedar-hollow", "es"): (
            "Llame a su acupunturista al (503) 555-0142 o a su médico",
            "Última revisión: 21 nov 2026 · Próxima revisión: nov 2027",
        ),
        ("cedar-hollow", "zh-Hans"): (
            "请打电话给您的针灸师（(503) 555-0142）或医生",
            "最近审阅：2026年11月21日 · 下次审阅：2027年11月",
        ),
        ("marlowe-street", "en"): (
            "Call your practitioner at 020 7946 0732 or your doctor",
            "Last reviewed: 21 Nov 2026 · Next review: Nov 2027",
        ),
    }
    for (clinic, lang), (call, reviewed) in expected.items():
        composed = compose_handout(
            loaded, loaded.clinics[clinic], loaded.handouts["back-pain"], lang
        )
        html = render_html(loaded, composed, standalone=False).html
        text = " ".join(html.replace("<strong>", "").replace("</strong>", "").split())
        assert call in text, (clinic, lang)
        assert reviewed in text, (clinic, lang)
        assert "{clinic-phone}" not in html
