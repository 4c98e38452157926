"""What every command shares: exit codes, the --project option, how problems are printed."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acuprint.errors import InputError

if TYPE_CHECKING:
    from acuprint.checks.lint import LintReport

EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3  # a bug in acuprint: a short message, the details in a file
EXIT_INTERRUPTED = 130

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        help="Project folder (holds clinics/, handouts/, styles/).",
        file_okay=False,
        metavar="DIR",
    ),
]


class PrintProfileChoice(StrEnum):
    """PDF print profiles."""

    office = "office"
    press = "press"
    archive = "archive"


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option's day (None when not given); a usage error names the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2026-11-21", param_hint=f"'{option}'"
        ) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text fit for a terminal: control characters (escape sequences) shown as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def say(text: str, *, err: bool = False) -> None:
    """Print a line with control characters escaped."""
    typer.echo(safe(text), err=err)


def write_report(path: Path, text: str, option: str) -> None:
    """Write a file an option asked for (--json FILE); a path we cannot write is a usage error."""
    from acuprint.atomic import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        say(f"error: {option} {path}: cannot write it ({exc.strerror or exc})", err=True)
        say("    fix: give a path in a folder you can write to, e.g. out/report.json", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def fail_input(error: InputError, root: Path) -> typer.Exit:
    """Print every input problem, then the exit for invalid input."""
    say(f"error: {len(error.problems)} problem(s) in the project files:", err=True)
    for problem in error.problems:
        say(f"  {problem.format(root)}", err=True)
    say("Nothing was built. Fix the problems above and run the command again.", err=True)
    return typer.Exit(EXIT_INVALID)


def print_findings(report: LintReport, root: Path) -> None:
    """Print every lint finding, then the count."""
    for finding in report.findings:
        say(finding.format(root), err=True)
    if not report.findings:
        typer.echo("No problems found.", err=True)
        return
    files = len({f.path for f in report.findings})
    typer.echo(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) "
        f"in {files} file{'s' if files != 1 else ''}",
        err=True,
    )
