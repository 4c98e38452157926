"""Errors the library raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file: where, what, and how to fix it."""

    file: Path
    message: str
    fix: str = ""
    line: int | None = None
    key: str | None = None

    def where(self, root: Path | None = None) -> str:
        """Return `file:line: key` in the form editors and terminals link to."""
        path = self.file
        if root is not None and self.file.resolve().is_relative_to(root.resolve()):
            path = self.file.resolve().relative_to(root.resolve())
        text = str(path)
        if self.line is not None:
            text += f":{self.line}"
        if self.key:
            text += f": {self.key}"
        return text

    def format(self, root: Path | None = None) -> str:
        """Return the whole problem as one or two lines of plain text."""
        text = f"{self.where(root)}: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


class AcuprintError(Exception):
    """Base class for every error acuprint reports to a user."""


class InputError(AcuprintError):
    """The project's files are invalid; nothing was rendered or written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input files")

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        return (InputError, (self.problems,))  # travels whole from a worker process


class UsageError(AcuprintError):
    """A command-line option names something that does not exist or cannot be used."""


class OutputError(AcuprintError):
    """An output file could not be written."""


class LintFailed(AcuprintError):
    """The content lint found errors (or warnings, under strict mode)."""

    def __init__(self, report: object) -> None:
        self.report = report
        super().__init__("the content lint failed")

    def __reduce__(self) -> tuple[type[LintFailed], tuple[object]]:
        return (LintFailed, (self.report,))


class BuildLocked(AcuprintError):
    """Another build is writing to the same out folder."""
