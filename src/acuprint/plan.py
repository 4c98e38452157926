"""The build plan: which clinic x handout x language x format to produce."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import UsageError
from .project import Project
from .validate import suggest

Format = Literal["pdf", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "html")


class SelectionError(UsageError):
    """A --clinic or --handout option names something that does not exist."""


@dataclass(frozen=True, order=True)
class Job:
    """One output file."""

    clinic: str
    handout: str
    lang: str
    format: Format

    @property
    def path(self) -> str:
        """Where the output goes, relative to the out folder."""
        return f"{self.clinic}/{self.handout}.{self.lang}.{self.format}"


def plan_jobs(
    project: Project,
    clinics: Sequence[str] = (),
    handouts: Sequence[str] = (),
    formats: Sequence[Format] = FORMATS,
) -> list[Job]:
    """Every requested output, in a stable order; unknown ids raise SelectionError."""
    chosen_clinics = _select("clinic", clinics, sorted(project.clinics), "clinics/<id>/")
    chosen_handouts = _select(
        "handout", handouts, sorted(project.handouts), "handouts/recipes/<id>.toml"
    )
    return sorted(
        Job(clinic, handout, lang, fmt)
        for clinic in chosen_clinics
        for handout in chosen_handouts
        for lang in project.clinics[clinic].profile.languages
        for fmt in formats
    )


def _select(kind: str, wanted: Sequence[str], known: list[str], where: str) -> list[str]:
    if not wanted:
        return known
    for name in wanted:
        if name not in known:
            raise SelectionError(
                f"unknown {kind} '{name}'.{suggest(name, known)}\n"
                f"    fix: use one of: {', '.join(known)} (from {where})"
            )
    return list(dict.fromkeys(wanted))


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
