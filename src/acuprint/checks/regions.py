"""Region check: a handout prints only its clinic's region's wording.

Run on every build before anything is rendered (like the glyph check): each
planned handout is composed in its clinic's region, and every word that
region must never print (handouts/regions.toml, `forbidden`) fails the build
with the file and line that put it there.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from acuprint.checks.readability import plain_text
from acuprint.compose.handout import ComposedHandout, compose_handout
from acuprint.compose.regions import forbidden_terms
from acuprint.errors import Problem
from acuprint.inputs.project import Project

_OTHER = {"us": "UK", "uk": "US"}


def region_problems(project: Project, composed: ComposedHandout) -> list[Problem]:
    """Every forbidden word in one composed handout, each traced to the file that prints it."""
    clinic = composed.clinic
    profile = clinic.profile
    region, lang = profile.region_code, composed.lang
    found: list[Problem] = []

    def report(path: Path, text: str, what: str) -> None:
        for term in forbidden_terms(text, lang, region, project.regions):
            found.append(
                Problem(
                    path,
                    f"'{term}' is {_OTHER[region]} wording, but {clinic.id} is a "
                    f"{region.upper()} clinic ({composed.handout.id}, {lang}, {what})",
                    f"put it in a '::: {_OTHER[region].lower()}' block with a "
                    f"'::: {region}' version beside it, or use a [[term]] from "
                    "handouts/regions.toml",
                    _line(path, term),
                )
            )

    for section in composed.all_sections:
        report(section.path, plain_text(section.html), f"section '{section.id}'")
    text = composed.recipe_text
    report(composed.handout.path, f"{text.title}. {text.subtitle}", "title")
    clinic_text = [
        profile.name,
        profile.tagline_in(lang),
        profile.address.street,
        profile.address.city,
        *profile.opening_hours_in(lang),
        profile.directions_in(lang),
        *(f"{p.name}, {p.credentials}, {p.license}" for p in profile.practitioners),
    ]
    report(clinic.folder / "clinic.toml", ". ".join(t for t in clinic_text if t), "clinic")
    return found


def check_regions(project: Project, handouts: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """Region problems of every (clinic, handout, language), deduplicated and sorted."""
    problems: dict[tuple[object, ...], Problem] = {}
    for clinic, handout, lang in dict.fromkeys(handouts):
        composed = compose_handout(
            project, project.clinics[clinic], project.handouts[handout], lang
        )
        for problem in region_problems(project, composed):
            problems.setdefault((problem.file, problem.line, problem.message), problem)
    return sorted(problems.values(), key=lambda p: (str(p.file), p.line or 0))


def _line(path: Path, term: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return None
    index = text.find(term)
    return text.count("\n", 0, index) + 1 if index >= 0 else None
