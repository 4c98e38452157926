"""The build plan: which clinic x handout x language x format to produce."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from acuprint.errors import UsageError, suggest
from acuprint.inputs.project import Project
from acuprint.jobs import FORMATS, Format, Job, PrintProfile


class SelectionError(UsageError):
    """A --clinic or --handout option names something that does not exist."""


def plan_jobs(
    project: Project,
    clinics: Sequence[str] = (),
    handouts: Sequence[str] = (),
    formats: Sequence[Format] = FORMATS,
    profile: PrintProfile | None = None,
    forms: bool = False,
    langs: Sequence[str] = (),
    variants: Sequence[str] = (),
) -> list[Job]:
    """Every requested output, in a stable order; unknown ids raise one SelectionError.

    `variants` narrows the PDFs to those variants ("standard" is the handout itself,
    the others are the names recipes list, e.g. "large-print").
    """
    chosen_clinics = list(dict.fromkeys(clinics)) or sorted(project.clinics)
    offered = sorted(
        {lang for c in chosen_clinics if c in project.clinics for lang in _languages(project, c)}
    )
    unknown_clinics = _unknown("clinic", clinics, sorted(project.clinics), "clinics/<id>/")
    unknown = [
        *unknown_clinics,
        *_unknown("handout", handouts, sorted(project.handouts), "handouts/recipes/<id>.toml"),
        *_unknown("variant", variants, _variant_names(project), "the recipes' variants lists"),
        # The languages offered depend on the clinics: judge them once the clinics are right.
        *(
            []
            if unknown_clinics
            else _unknown(
                "language", langs, offered, "the chosen clinics' languages in clinic.toml"
            )
        ),
    ]
    if unknown:
        raise SelectionError("\nerror: ".join(unknown))
    chosen_handouts = list(dict.fromkeys(handouts)) or sorted(project.handouts)
    return sorted(
        Job(
            clinic,
            handout,
            lang,
            fmt,
            (profile or project.clinics[clinic].profile.print_profile) if fmt == "pdf" else "",
            variant,
            forms and fmt == "pdf",
        )
        for clinic in chosen_clinics
        for handout in chosen_handouts
        for lang in _languages(project, clinic)
        if not langs or lang in langs
        for fmt in formats
        # Variants a recipe asks for are PDFs, made in addition to the standard handout.
        for variant in ["", *(project.handouts[handout].recipe.variants if fmt == "pdf" else [])]
        if not variants or (variant or STANDARD) in variants
    )


STANDARD = "standard"  # the --variant name of a handout's own layout


def _variant_names(project: Project) -> list[str]:
    named = {v for handout in project.handouts.values() for v in handout.recipe.variants}
    return [STANDARD, *sorted(named)]


def _languages(project: Project, clinic: str) -> list[str]:
    return list(project.clinics[clinic].profile.languages)


def _unknown(kind: str, wanted: Sequence[str], known: list[str], where: str) -> list[str]:
    return [
        f"unknown {kind} '{name}'.{suggest(name, known)}\n"
        f"    fix: use one of: {', '.join(known)} (from {where})"
        for name in dict.fromkeys(wanted)
        if name not in known
    ]


def select_shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """Shard `index` of `count` (1-based): a stable slice chosen by each output's path.

    A job's shard depends only on its own path, so adding a clinic does not
    move other outputs between shards.
    """
    if not 1 <= index <= count:
        raise UsageError(f"shard {index}/{count} does not exist\n    fix: use K/N with 1 <= K <= N")
    return [job for job in jobs if _shard_of(job.path, count) == index - 1]


def _shard_of(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % count
