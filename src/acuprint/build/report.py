"""What a build tells its caller: progress as it goes (`BuildObserver`), and a `BuildReport`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from acuprint.build.manifest import ManifestEntry
from acuprint.jobs import JobResult


class BuildObserver(Protocol):
    """Told about a build's progress (the CLI shows it; tests may record it)."""

    def planned(self, todo: int, skipped: int) -> None:
        """The plan is known: how many outputs will render, how many are up to date."""

    def finished(self, result: JobResult, status: str) -> None:
        """One output is done; status is 'built' or 'failed'."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    out_dir: Path
    built: tuple[ManifestEntry, ...]
    skipped: tuple[ManifestEntry, ...]
    failures: tuple[str, ...]
    warnings: tuple[str, ...]
    manifest: Path
    seconds: float

    @property
    def entries(self) -> tuple[ManifestEntry, ...]:
        """Every output this build is responsible for (built or already up to date)."""
        return tuple(sorted((*self.built, *self.skipped), key=lambda e: e.path))
