"""Compose a handout: the clinic's modules in recipe order, in its region's wording.

Required content is added whatever the recipe says: the disclaimer last; the
back-pain warning signs first (after the main message) on a handout about
pain; a safety list on a handout that talks about needling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from markupsafe import Markup

from acuprint.compose.figures import render_module_body
from acuprint.compose.regions import expand_regions
from acuprint.inputs.approvals import Signoff
from acuprint.inputs.environment import source_date
from acuprint.inputs.project import (
    DISCLAIMER_ID,
    RED_FLAGS_ID,
    SOURCE_LANGUAGE,
    Clinic,
    Handout,
    Module,
    Project,
)
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
    # Approved or a draft, and the approval files that say so (checks/signoff.py);
    # None until judged: the render judges it then.
    signoff: Signoff | None = None

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
# Either of these tells a reader what to say before needling: the full form, or
# the short list a one-sheet handout carries (it points to the form).
SAFETY_MODULE_IDS = (SAFETY_CHECKLIST_ID, "safety-tell-us")
MAIN_MESSAGE_PREFIX = "main-message"


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

    The disclaimer always prints, last; a handout about pain always has the
    warning signs first (after its main message); a handout that talks about
    needling always has a safety list (the checklist before the disclaimer, if
    the recipe has neither). A recipe cannot switch any of them off.
    """
    module_ids = required_modules(project, handout)
    region = clinic.profile.region_code

    def section(module_id: str) -> Section:
        return _section(project.module(module_id, lang), lang, region, project)

    sections = tuple(section(m) for m in module_ids)
    disclaimer = section(DISCLAIMER_ID)
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


def required_modules(project: Project, handout: Handout) -> list[str]:
    """The recipe's modules in print order, with the required ones added (disclaimer apart)."""
    module_ids = list(dict.fromkeys(m for m in handout.recipe.modules if m != DISCLAIMER_ID))
    if handout.recipe.about_pain:
        if RED_FLAGS_ID in module_ids:
            module_ids.remove(RED_FLAGS_ID)
        first = 1 if module_ids and module_ids[0].startswith(MAIN_MESSAGE_PREFIX) else 0
        module_ids.insert(first, RED_FLAGS_ID)
    if not any(m in module_ids for m in SAFETY_MODULE_IDS) and needs_safety_checklist(
        project, module_ids
    ):
        module_ids.append(SAFETY_CHECKLIST_ID)
    return module_ids


def issued_at(reviewed: date) -> datetime:
    """The handout's date: SOURCE_DATE_EPOCH if set, else the newest review date.

    Never the wall clock, so the same inputs always give the same bytes.
    """
    pinned = source_date()
    if pinned is not None:
        return pinned
    return datetime(reviewed.year, reviewed.month, reviewed.day, tzinfo=UTC)


def _section(module: Module, lang: str, region: str, project: Project) -> Section:
    meta = module.meta
    return Section(
        meta.id,
        meta.title,
        render_module_body(expand_regions(module.body, lang, region, project.regions)),
        module.path,
        meta.version,
        meta.last_reviewed,
        tuple(meta.sources),
    )
