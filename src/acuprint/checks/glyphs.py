"""Check, before rendering, that the clinic's fonts can draw every character of a handout.

Only bundled fonts exist for the renderer, so a character no bundled font
has would print as an empty box. This finds it first and names the
character, the file and the line.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path

from acuprint.atomic import write_atomic
from acuprint.compose.handout import ComposedHandout
from acuprint.compose.labels import PAGE_NUMBER, format_date, labels_for
from acuprint.errors import Problem
from acuprint.inputs.environment import cache_dir
from acuprint.inputs.project import Project
from acuprint.inputs.reads import read_bytes

_TAG = re.compile(r"<[^>]+>")


# Raise when what the cached character maps hold changes, so old ones are not reused.
_CMAP_VERSION = "1"


@cache
def _cmap(path: Path, cache_root: Path) -> frozenset[int]:
    """The code points the font at `path` maps; cached on disk by the font's bytes.

    Reading a character map needs fontTools, which is slow to import; a build
    with nothing to render (every output up to date) must not pay for it, so
    the map is read once per font file and kept under the cache folder.
    """
    source = read_bytes(path)
    key = hashlib.sha256(_CMAP_VERSION.encode() + source).hexdigest()
    cached = cache_root / "cmaps" / f"{key}.txt"
    with suppress(OSError, ValueError):
        known = frozenset(int(n, 16) for n in cached.read_text(encoding="ascii").split())
        if known:  # an empty (cut short) cache file is a miss, not a font with no characters
            return known
    from fontTools.ttLib import TTFont  # slow to import; only needed on a cache miss

    with TTFont(io.BytesIO(source), lazy=True) as font:
        covered = frozenset(font.getBestCmap())
    with suppress(OSError):  # a read-only cache only costs speed
        write_atomic(cached, " ".join(f"{n:x}" for n in sorted(covered)).encode("ascii"))
    return covered


def clinic_characters(project: Project, clinic_id: str, lang: str) -> frozenset[int]:
    """Every code point some face of the clinic's fonts (for `lang`) can draw."""
    profile = project.clinics[clinic_id].profile
    covered: set[int] = set()
    cache_root = cache_dir(project.root)
    for key in project.font_keys(profile, lang):
        for file, _, _ in project.fonts[key].faces():
            covered |= _cmap(project.fonts_dir / file, cache_root)
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
