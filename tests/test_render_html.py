"""Standalone HTML: everything inlined, nothing loaded from elsewhere, text escaped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acuprint.build import build
from acuprint.compose import compose_handout
from acuprint.markdown import render_markdown
from acuprint.project import load_project
from acuprint.render_html import HtmlDocument, render_html

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
    assert document.warnings == ()


def test_remote_and_outside_urls_are_removed_with_a_warning(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"x")
    (project / "clinics/cedar-hollow/clinic.css").write_text(
        '@import url("https://example.com/theme.css");\n'
        '.a { background: url("https://example.com/pixel.png"); }\n'
        f'.b {{ background: url("{outside.as_uri()}"); }}\n'
    )
    document = _standalone(project)
    assert "example.com/pixel.png" not in document.html
    assert outside.as_uri() not in document.html
    assert "theme.css" not in document.html
    assert len(document.warnings) == 3
    assert all(w.startswith("clinics/cedar-hollow/clinic.css: ") for w in document.warnings)


def test_strict_build_fails_on_a_blocked_url_in_html(project: Path) -> None:
    (project / "clinics/cedar-hollow/clinic.css").write_text(
        '.a { background: url("https://example.com/pixel.png"); }\n'
    )
    report = build(
        project, clinics=["cedar-hollow"], handouts=["first-visit"], formats=("html",), strict=True
    )
    assert not report.built
    assert "only files inside the project may be used" in report.failures[0]


def test_clinic_text_is_escaped(project: Path, edit: Edit) -> None:
    edit(
        "clinics/cedar-hollow/clinic.toml",
        'tagline = "Calm, careful care for long-lasting pain"',
        'tagline = "<script>alert(1)</script>"',
    )
    html = _standalone(project).html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


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
