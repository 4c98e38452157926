"""The units of text a patient reads, each with the fingerprint of its words.

A unit is what a person signs off: a paragraph, list item or heading of a
module as a clinic prints it (its region's wording, in one language), a
module's title, a recipe's title or subtitle, or one printed field of a
clinic's profile. Each carries the file and line it comes from, so review
and release messages point at the words to read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from acuprint.compose.handout import ComposedHandout
from acuprint.compose.markdown import markdown_tokens
from acuprint.compose.regions import expanded_lines
from acuprint.inputs.approvals import fingerprint, normalise
from acuprint.inputs.locate import toml_line
from acuprint.inputs.project import Clinic, Handout, Module, Project
from acuprint.inputs.regions import REGIONS
from acuprint.inputs.schema import Source


@dataclass(frozen=True)
class Unit:
    """One unit of printed text and where it comes from."""

    text: str  # the words, normalised
    fingerprint: str
    file: Path
    line: int | None
    where: str  # a stable name for the place: "<file relative to the project> <key>"
    lang: str  # the language the words are in
    shared: bool  # library content (a module or recipe) rather than a clinic's own text
    module: Module | None = None  # the module it is part of, for its sources

    @property
    def short(self) -> str:
        """The fingerprint prefix people type (`acuprint approve --unit`)."""
        return self.fingerprint[:12]

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources the module cites (none for a recipe or clinic unit)."""
        return tuple(self.module.meta.sources) if self.module else ()


def _unit(
    text: str,
    file: Path,
    line: int | None,
    where: str,
    lang: str,
    shared: bool,
    module: Module | None = None,
) -> Unit | None:
    words = normalise(text)
    if not words:
        return None
    return Unit(words, fingerprint(words), file, line, where, lang, shared, module)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def module_units(project: Project, module: Module, lang: str, region: str) -> list[Unit]:
    """The title and every paragraph, list item and heading of a module as `region` prints it."""
    root, path = project.root, module.path
    name = f"{_relative(path, root)} ({region})"
    units = [
        _unit(
            module.meta.title, path, module.lines.get("title"), f"{name} title", lang, True, module
        )
    ]
    lines = expanded_lines(module.body, lang, region, project.regions)
    text = "".join(line for _, line in lines)
    for count, (token, words) in enumerate(_blocks(markdown_tokens(text)), start=1):
        start = token.map[0] if token.map else None
        line = (
            lines[start][0] + module.body_line if start is not None and start < len(lines) else None
        )
        units.append(_unit(words, path, line, f"{name} block {count}", lang, True, module))
    return [u for u in units if u is not None]


def _blocks(tokens: list[Token]) -> Iterable[tuple[Token, str]]:
    """(token, words) for every block of text: inline runs, code blocks."""
    for token in tokens:
        if token.type == "inline":
            yield token, _words(token.children or [])
        elif token.type in ("fence", "code_block"):
            yield token, token.content


def _words(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def recipe_units(project: Project, handout: Handout, lang: str) -> list[Unit]:
    """The handout's title and subtitle in `lang`."""
    translated = lang in handout.recipe.translations
    text = handout.recipe.text(lang)
    name = _relative(handout.path, project.root)
    units = []
    for key, value in (("title", text.title), ("subtitle", text.subtitle)):
        loc = ("translations", lang, key) if translated else (key,)
        dotted = ".".join(loc)
        line = toml_line(handout.text, loc)
        units.append(
            _unit(value, handout.path, line, f"{name} {dotted}", lang if translated else "en", True)
        )
    return [u for u in units if u is not None]


def clinic_units(project: Project, clinic: Clinic, lang: str, details: bool) -> list[Unit]:
    """The clinic's own printed text in `lang`; `details`: opening hours and directions too."""
    profile = clinic.profile
    path = clinic.folder / "clinic.toml"
    name = _relative(path, project.root)
    translation = profile.translations.get(lang)
    fields: list[tuple[tuple[str | int, ...], str, str]] = [
        (("name",), profile.name, "en"),
        (("phone",), profile.phone, "en"),
        (("email",), profile.email, "en"),
        (("website",), profile.website, "en"),
        (("booking_url",), profile.booking_url, "en"),
    ]
    address = profile.address
    for key in ("street", "city", "region", "postal_code"):
        fields.append((("address", key), getattr(address, key), "en"))
    if translation is not None:
        fields.append((("translations", lang, "tagline"), translation.tagline, lang))
    if translation is None or not translation.tagline:
        fields.append((("tagline",), profile.tagline, "en"))
    for index, person in enumerate(profile.practitioners):
        for key in ("name", "credentials", "license"):
            fields.append((("practitioners", index, key), getattr(person, key), "en"))
    if details:
        if translation is not None and translation.opening_hours:
            for index, hours in enumerate(translation.opening_hours):
                fields.append((("translations", lang, "opening_hours", index), hours, lang))
        else:
            for index, hours in enumerate(profile.opening_hours):
                fields.append((("opening_hours", index), hours, "en"))
        if translation is not None and translation.directions:
            fields.append((("translations", lang, "directions"), translation.directions, lang))
        else:
            fields.append((("directions",), profile.directions, "en"))
    units = []
    for loc, value, words_lang in fields:
        dotted = ".".join(str(part) for part in loc)
        line = toml_line(clinic.text, loc)
        units.append(_unit(value, path, line, f"{name} {dotted}", words_lang, False))
    return [u for u in units if u is not None]


def handout_units(project: Project, composed: ComposedHandout) -> list[Unit]:
    """Every unit one composed handout prints, each fingerprint once, in print order."""
    clinic, handout, lang = composed.clinic, composed.handout, composed.lang
    region = clinic.profile.region_code
    units = [
        *clinic_units(project, clinic, lang, handout.recipe.next_appointment),
        *recipe_units(project, handout, lang),
    ]
    for section in composed.all_sections:
        units.extend(module_units(project, project.module(section.id, lang), lang, region))
    return list({u.fingerprint: u for u in reversed(units)}.values())[::-1]


def library_units(
    project: Project, handouts: Iterable[str] | None = None, langs: Iterable[str] | None = None
) -> list[Unit]:
    """Every unit the library can print: each module in each language and region, each recipe.

    Limited to the modules of `handouts` and to `langs` when given.
    """
    from acuprint.compose.handout import required_modules
    from acuprint.inputs.project import DISCLAIMER_ID

    chosen = sorted(project.handouts) if handouts is None else list(handouts)
    wanted_langs = None if langs is None else set(langs)
    module_ids: set[str] | None = None
    if handouts is not None:
        module_ids = {DISCLAIMER_ID}
        for handout_id in chosen:
            module_ids.update(required_modules(project, project.handouts[handout_id]))
    units: list[Unit] = []
    for (module_id, lang), module in sorted(project.modules.items()):
        if (module_ids is None or module_id in module_ids) and (
            wanted_langs is None or lang in wanted_langs
        ):
            for region in REGIONS:
                units.extend(module_units(project, module, lang, region))
    all_langs = sorted({lang for _, lang in project.modules})
    for handout_id in chosen:
        for lang in all_langs:
            if wanted_langs is None or lang in wanted_langs:
                units.extend(recipe_units(project, project.handouts[handout_id], lang))
    return list({u.fingerprint: u for u in reversed(units)}.values())[::-1]
