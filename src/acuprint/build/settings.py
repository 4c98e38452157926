"""One value that says what a build should do (instead of many keyword arguments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from acuprint.build.supervisor import Limits
from acuprint.jobs import FORMATS, Format, PrintProfile


@dataclass(frozen=True)
class BuildSettings:
    """What to build, where, and how; every field has the CLI's default."""

    out_dir: Path | None = None  # default: PROJECT/out
    clinics: tuple[str, ...] = ()  # empty: every clinic
    handouts: tuple[str, ...] = ()  # empty: every handout
    langs: tuple[str, ...] = ()  # empty: each clinic's languages
    variants: tuple[str, ...] = ()  # empty: every variant; "standard" is the handout itself
    formats: tuple[Format, ...] = FORMATS
    profile: PrintProfile | None = None  # None: each clinic's print_profile
    forms: bool = False
    strict: bool = False  # the content lint first, and any warning fails
    force: bool = False  # rebuild what is up to date; write into a folder acuprint did not make
    shard: tuple[int, int] | None = None  # (K, N): slice K of N
    workers: int | None = None  # None: one per core
    limits: Limits = field(default_factory=Limits)
    proofs: bool = True  # a PNG of every PDF page, and the contact sheet
    lint_as_of: date | None = None  # None: SOURCE_DATE_EPOCH, else today (also judges approvals)
    release: bool = False  # refuse to write anything that prints text nobody approved

    @property
    def everything(self) -> bool:
        """True when the build covers the whole project (so it may drop unplanned outputs)."""
        return (
            not self.clinics
            and not self.handouts
            and not self.langs
            and not self.variants
            and self.shard is None
            and set(self.formats) == set(FORMATS)
        )
