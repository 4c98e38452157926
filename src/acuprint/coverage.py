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

from .compose import ComposedHandout
from .errors import Problem
from .project import Project

_TAG = re.compile(r"<[^>]+>")


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # slow to import; only needed when rendering

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def clinic_characters(project: Project, clinic_id: str) -> frozenset[int]:
    """Every code point some face of the clinic's fonts can draw."""
    fonts = project.clinics[clinic_id].profile.fonts
    covered: set[int] = set()
    for key in dict.fromkeys([fonts.body, fonts.headings or fonts.body]):
        for file, _, _ in project.fonts[key].faces():
            covered |= _cmap(project.fonts_dir / file)
    return frozenset(covered)


def missing_glyphs(project: Project, composed: ComposedHandout) -> list[Problem]:
    """One problem per character (per file) that the clinic's fonts cannot draw."""
    covered = clinic_characters(project, composed.clinic.id)
    profile = composed.clinic.profile
    texts: list[tuple[Path, str]] = [
        (project.module(section.id, composed.lang).path, section.title + _text(section.html))
        for section in composed.all_sections
    ]
    texts.append(
        (composed.handout.path, composed.handout.recipe.title + composed.handout.recipe.subtitle)
    )
    clinic_text = " ".join(
        [profile.name, profile.tagline, profile.phone, profile.address.street, profile.address.city]
        + [f"{p.name} {p.credentials} {p.license}" for p in profile.practitioners]
    )
    texts.append((composed.clinic.folder / "clinic.toml", clinic_text))
    families = sorted(
        {project.fonts[k].name for k in (profile.fonts.body, profile.fonts.headings) if k}
    )
    problems = []
    for path, text in texts:
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
