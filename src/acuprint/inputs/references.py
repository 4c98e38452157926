"""Cross-file checks: every id a file names must exist, and sources must agree."""

from __future__ import annotations

from pathlib import Path

from acuprint.errors import Problem, suggest
from acuprint.inputs.locate import toml_line
from acuprint.inputs.model import (
    DISCLAIMER_ID,
    RED_FLAGS_ID,
    SOURCE_LANGUAGE,
    Clinic,
    Handout,
    Module,
)
from acuprint.inputs.schema import FontFamily


def check_references(
    modules_dir: Path,
    fonts: dict[str, FontFamily],
    modules: dict[tuple[str, str], Module],
    handouts: dict[str, Handout],
    clinics: dict[str, Clinic],
    problems: list[Problem],
) -> None:
    """Cross-file checks: every id a file names must exist, and sources must agree.

    A module file that exists but failed validation counts as existing, so
    one broken file gives one problem, not one more per recipe that uses it.
    """
    english = {path.stem for path in modules_dir.glob("*.md") if "." not in path.stem}
    if DISCLAIMER_ID not in english:
        problems.append(
            Problem(
                modules_dir / f"{DISCLAIMER_ID}.md",
                "the disclaimer module is missing; every handout must end with it",
                "restore handouts/modules/disclaimer.md",
            )
        )
    pain = [h for h in handouts.values() if h.recipe.about_pain]
    if pain and RED_FLAGS_ID not in english:
        problems.append(
            Problem(
                modules_dir / f"{RED_FLAGS_ID}.md",
                "the back-pain warning signs module is missing; every handout about pain "
                f"({', '.join(h.id for h in pain)}) must carry it on its first page",
                f"restore handouts/modules/{RED_FLAGS_ID}.md",
            )
        )
    for handout in handouts.values():
        for index, module_id in enumerate(handout.recipe.modules):
            if module_id not in english:
                problems.append(
                    Problem(
                        handout.path,
                        f"unknown module '{module_id}'.{suggest(module_id, english)}",
                        "use an id from 'acuprint list' (files in handouts/modules/)",
                        toml_line(handout.text, ("modules", index), module_id),
                        f"modules[{index}]",
                    )
                )
    for clinic in clinics.values():
        for lang in clinic.profile.languages:
            missing = sorted(
                {
                    module_id
                    for handout in handouts.values()
                    for module_id in [
                        *handout.recipe.modules,
                        DISCLAIMER_ID,
                        *([RED_FLAGS_ID] if handout.recipe.about_pain else []),
                    ]
                    if (module_id, SOURCE_LANGUAGE) in modules and (module_id, lang) not in modules
                }
            )
            if missing:
                problems.append(
                    Problem(
                        clinic.folder / "clinic.toml",
                        f"language '{lang}' has no translation of: {', '.join(missing)}",
                        f"add handouts/modules/<id>.{lang}.md files or remove '{lang}'",
                        toml_line(clinic.text, ("languages",), lang),
                        "languages",
                    )
                )
    _check_sources_agree(modules, problems)


def _check_sources_agree(modules: dict[tuple[str, str], Module], problems: list[Problem]) -> None:
    """A source id means one citation everywhere, so references list it once."""
    first: dict[str, tuple[str, Path]] = {}
    for (_, lang), module in sorted(modules.items()):
        if lang != SOURCE_LANGUAGE:
            continue
        for source in module.meta.sources:
            seen = first.setdefault(source.id, (source.citation, module.path))
            if seen[0] != source.citation:
                problems.append(
                    Problem(
                        module.path,
                        f"source '{source.id}' has a different citation in {seen[1].name}",
                        "copy the citation exactly, or give this source another id",
                        key="sources",
                    )
                )
