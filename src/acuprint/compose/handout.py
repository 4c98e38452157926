"""Compose a handout: pick the clinic's modules in recipe order, force the disclaimer last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from markupsafe import Markup

from acuprint.compose.markdown import render_markdown
from acuprint.inputs.environment import source_date
from acuprint.inputs.project import DISCLAIMER_ID, SOURCE_LANGUAGE, Clinic, Handout, Module, Project
from acuprint.inputs.schema import RecipeText, Source


@dataclass(frozen=True)
class Section:
    """One module as it appears in a handout."""

    id: str
    title: str
    html: Markup
    path: Path
    version: int
    last_reviewed: date
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ComposedHandout:
    """A handout ready for templating: clinic, ordered sections, disclaimer, dates."""

    clinic: Clinic
    handout: Handout
    lang: str
    sections: tuple[Section, ...]
    disclaimer: Section
    issued: datetime
    # The files composition read, with their hashes as loaded: the modules
    # printed, the English modules looked at to decide what to add, the recipe
    # and the clinic profile. Part of every output's depfile.
    read: tuple[tuple[Path, str], ...] = ()

    @property
    def recipe_text(self) -> RecipeText:
        """The handout's title and subtitle in its language."""
        return self.handout.recipe.text(self.lang)

    @property
    def all_sections(self) -> tuple[Section, ...]:
        """Every section in print order, the disclaimer last."""
        return (*self.sections, self.disclaimer)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every cited source once, in order of first citation."""
        unique: dict[str, Source] = {}
        for section in self.all_sections:
            for source in section.sources:
                unique.setdefault(source.id, source)
        return tuple(unique.values())


SAFETY_CHECKLIST_ID = "safety-checklist"


def needs_safety_checklist(project: Project, modules: list[str]) -> bool:
    """True if any of `modules` (in English) talks about needles."""
    return any(
        "needl" in project.modules[(m, SOURCE_LANGUAGE)].body.lower()
        for m in modules
        if (m, SOURCE_LANGUAGE) in project.modules
    )


def compose_handout(
    project: Project, clinic: Clinic, handout: Handout, lang: str
) -> ComposedHandout:
    """Assemble one handout for one clinic in one language.

    The disclaimer always prints, last; a handout that talks about needling
    always has the safety checklist (before the disclaimer, if the recipe
    leaves it out). A recipe cannot switch either off.
    """
    module_ids = [m for m in handout.recipe.modules if m != DISCLAIMER_ID]
    if SAFETY_CHECKLIST_ID not in module_ids and needs_safety_checklist(project, module_ids):
        module_ids.append(SAFETY_CHECKLIST_ID)
    sections = tuple(_section(project.module(m, lang)) for m in dict.fromkeys(module_ids))
    disclaimer = _section(project.module(DISCLAIMER_ID, lang))
    reviewed = max(s.last_reviewed for s in (*sections, disclaimer))
    looked_at = [
        project.modules[key]
        for key in [(m, lang) for m in [*module_ids, DISCLAIMER_ID]]
        + [(m, SOURCE_LANGUAGE) for m in handout.recipe.modules]
        if key in project.modules
    ]
    read = sorted(
        {(clinic.folder / "clinic.toml", clinic.digest), (handout.path, handout.digest)}
        | {(m.path, m.digest) for m in looked_at}
    )
    return ComposedHandout(
        clinic, handout, lang, sections, disclaimer, issued_at(reviewed), tuple(read)
    )


def issued_at(reviewed: date) -> datetime:
    """The handout's date: SOURCE_DATE_EPOCH if set, else the newest review date.

    Never the wall clock, so the same inputs always give the same bytes.
    """
    pinned = source_date()
    if pinned is not None:
        return pinned
    return datetime(reviewed.year, reviewed.month, reviewed.day, tzinfo=UTC)


def _section(module: Module) -> Section:
    meta = module.meta
    return Section(
        meta.id,
        meta.title,
        render_markdown(module.body),
        module.path,
        meta.version,
        meta.last_reviewed,
        tuple(meta.sources),
    )
