"""Icons: self-drawn, coloured from the clinic's tokens, with alt text in every language."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from acuprint.compose.handout import compose_handout
from acuprint.compose.labels import LABELS
from acuprint.inputs.project import ICONS, load_project
from acuprint.render.html import render_html

ALT = ("icon_warning", "icon_emergency", "icon_checklist", "icon_calendar")


def _html(project: Path, clinic: str, handout: str, lang: str) -> str:
    loaded = load_project(project)
    composed = compose_handout(loaded, loaded.clinics[clinic], loaded.handouts[handout], lang)
    return render_html(loaded, composed, standalone=True).html


def _icons(html: str) -> dict[str, tuple[str, str]]:
    found = {}
    for name, src, alt in re.findall(
        r'<img class="[^"]*icon--([a-z-]+)" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"',
        html,
    ):
        found[name] = (base64.b64decode(src).decode(), alt)
    return found


def test_every_icon_is_drawn_in_current_color(project: Path) -> None:
    for name in ICONS:
        svg = (project / "styles/icons" / f"{name}.svg").read_text()
        assert "currentColor" in svg and "<script" not in svg


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_icons_take_the_clinic_colours_and_alt_text_in_the_language(
    project: Path, lang: str
) -> None:
    html = _html(project, "cedar-hollow", "first-visit", lang)
    icons = _icons(html)
    assert set(icons) == {"warning", "emergency-phone", "checklist", "calendar"}
    labels = LABELS[lang]
    assert icons["warning"][1] == labels.icon_warning
    assert icons["emergency-phone"][1] == labels.icon_emergency
    assert icons["calendar"][1] == labels.icon_calendar
    assert "#a4161a" in icons["warning"][0]  # the alert token (default)
    assert "#2f6b4f" in icons["checklist"][0]  # Cedar Hollow's primary colour
    assert "currentColor" not in icons["warning"][0]


def test_a_clinic_alert_colour_recolours_the_warning_icons(project: Path) -> None:
    clinic = project / "clinics/marlowe-street/clinic.toml"
    clinic.write_text(clinic.read_text().replace("[colors]\n", '[colors]\nalert = "#8b0000"\n'))
    icons = _icons(_html(project, "marlowe-street", "back-pain", "en"))
    assert "#8b0000" in icons["warning"][0] and "#8b0000" in icons["emergency-phone"][0]


def test_every_language_has_every_icon_label() -> None:
    for labels in LABELS.values():
        assert all(getattr(labels, key).strip() for key in ALT)


def test_the_warning_box_is_marked_apart_from_tips(project: Path) -> None:
    html = _html(project, "marlowe-street", "back-pain", "en")
    assert '<section class="module module--red-flags module--with-icon"' in html
    assert (
        '<blockquote class="callout">\n<p><img class="callout__icon icon--emergency-phone"' in html
    )
    assert 'class="module module--main-message-back-pain module--main-message"' in html
