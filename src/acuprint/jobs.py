"""What one output is (`Job`), what rendering it gave (`JobResult`), and how depfiles name files.

A small module of plain values that the planner, the build, the workers and
the preview share; it imports nothing heavy, so a command that only needs to
know what a build would write starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PACKAGE = Path(__file__).resolve().parent
Format = Literal["pdf", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "html")
PrintProfile = Literal["office", "press", "archive"]
PRINT_PROFILES: tuple[PrintProfile, ...] = ("office", "press", "archive")


@dataclass(frozen=True, order=True)
class Job:
    """One output file."""

    clinic: str
    handout: str
    lang: str
    format: Format
    profile: str = ""  # a PDF's print profile; "" for HTML
    variant: str = ""  # "" for the standard handout, or "large-print"
    forms: bool = False  # fillable form fields in the PDF

    @property
    def path(self) -> str:
        """Where the output goes, relative to the out folder (office PDFs carry no suffix)."""
        suffix = f".{self.variant}" if self.variant else ""
        suffix += f".{self.profile}" if self.profile not in ("", "office") else ""
        return f"{self.clinic}/{self.handout}.{self.lang}{suffix}.{self.format}"


@dataclass(frozen=True)
class JobResult:
    """What one job produced: the bytes, or the error that stopped it."""

    job: Job
    data: bytes | None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    proofs: tuple[bytes, ...] = ()  # a PNG per page of a PDF
    reads: dict[str, str | None] = field(default_factory=dict)  # the depfile: file -> sha256


def depfile_key(path: Path, root: Path) -> str:
    """How a depfile names a file: relative to the project, or 'acuprint:' + package path."""
    # acuprint's own files first: in a clone the package sits inside the sample
    # project, and a copy of that project must still find them.
    if path.is_relative_to(PACKAGE):
        return "acuprint:" + path.relative_to(PACKAGE).as_posix()
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return path.as_posix()


def depfile_path(key: str, root: Path) -> Path:
    """The file a depfile key names (the inverse of `depfile_key`)."""
    if key.startswith("acuprint:"):
        return PACKAGE / key.removeprefix("acuprint:")
    return root / key
