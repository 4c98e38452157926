"""Check, before rendering, that the clinic's fonts can draw every character of a handout.

Only bundled fonts exist for the renderer, so a character no bundled font
has would print as an empty box. This finds it first and names the
character, the file and the line.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from acuprint.compose.handout import ComposedHandout
from acuprint.compose.labels import PAGE_NUMBER, format_date, labels_for
from acuprint.errors import Problem
from acuprint.inputs.project import Project

_TAG = re.compile(r"<[^>]+>")


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # slow to import; only needed when rendering

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def clinic_characters(project: Project, clinic_id: str, lang: str) -> frozenset[int]:
    """Every code point some face of the clinic's fonts (for `lang`) can draw."""
    profile = project.clinics[clinic_id].profile
    covered: set[int] = set()
    for key in project.font_keys(profile, lang):
        for file, _, _ in project.fonts[key].faces():
            covered |= _cmap(project.fonts_dir / file)
    return frozenset(covered)


def _texts(composed: ComposedHandout) -> list[tuple[Path, str]]:
    """Every text a handout prints, each with the file it comes from."""
    profile = composed.clinic.profile
    lang = composed.lang
    labels = labels_for(lang)
    recipe = composed.recipe_text
    texts = [
        (section.path, section.title + " " + _text(section.html))
        for section in composed.all_sections
    ]
    texts.append((composed.handout.path, f"{recipe.title} {recipe.subtitle}"))
    clinic_text = " ".join(
        [profile.name, profile.tagline_in(lang), profile.phone, profile.address.street]
        + [profile.address.city, profile.address.region, profile.address.postal_code]
        + [f"{p.name} {p.credentials} {p.license}" for p in profile.practitioners]
    )
    texts.append((composed.clinic.folder / "clinic.toml", clinic_text))
    fixed = " ".join(vars(labels).values()) + " ".join(PAGE_NUMBER.get(lang, PAGE_NUMBER["en"]))
    fixed += format_date(composed.issued.date(), lang, profile.address.country) + " ·"
    texts.append((Path(__file__).parents[1] / "compose" / "labels.py", fixed))
    return texts


def handout_characters(composed: ComposedHandout) -> frozenset[int]:
    """The code points a handout prints (to subset a script font for it)."""
    return frozenset(ord(c) for _, text in _texts(composed) for c in text)


def missing_glyphs(project: Project, composed: ComposedHandout) -> list[Problem]:
    """One problem per character (per file) that the clinic's fonts cannot draw."""
    covered = clinic_characters(project, composed.clinic.id, composed.lang)
    families = [
        project.fonts[k].name for k in project.font_keys(composed.clinic.profile, composed.lang)
    ]
    problems = []
    for path, text in _texts(composed):
        for char in _uncovered(text, covered):
            problems.append(
                Problem(
                    path,
                    f"character {char!r} ({_describe(char)}) is not in the clinic's fonts "
                    f"({', '.join(families)}), so it would print as an empty box",
                    "replace the character, or choose fonts that have it in the clinic's [fonts]",
                    _line_of(path, char),
                )
            )
    return problems


def _text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


def _uncovered(text: str, covered: frozenset[int]) -> Iterable[str]:
    seen = set()
    for char in text:
        if char not in seen and not char.isspace() and ord(char) not in covered:
            seen.add(char)
            yield char


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _line_of(path: Path, char: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    index = text.find(char)
    return text.count("\n", 0, index) + 1 if index >= 0 else None
