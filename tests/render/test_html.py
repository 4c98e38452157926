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
