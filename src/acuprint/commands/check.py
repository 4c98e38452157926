"""`acuprint check`: preflight (and conformance) of any PDF, each file in a supervised child."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import EXIT_FAILED, EXIT_INVALID, PrintProfileChoice, say
from acuprint.commands.usage import between
from acuprint.errors import AcuprintError

MAX_PDF_BYTES = 500_000_000


class PaperChoice(StrEnum):
    """Paper sizes."""

    letter = "letter"
    a4 = "a4"


def check_file(
    state: object,
    path: Path,
    profile: str | None,
    paper: str | None,
    max_pages: int | None,
    conformance: bool,
) -> tuple[list[str], bool]:
    """The report lines for one PDF and whether it passed (runs in a child process)."""
    from acuprint.checks.preflight import preflight_file

    try:
        report = preflight_file(
            path,
            profile=profile,
            paper=paper,
            max_pages=max_pages,
            page_limit_reason=f"--max-pages allows {max_pages}",
        )
    except Exception as exc:
        return [f"{path}: not a readable PDF ({type(exc).__name__}); nothing was checked"], False
    lines, ok = [report.format()], report.ok
    if conformance:
        from acuprint.checks.conformance.run import PROFILE_STANDARDS, check_conformance, rules_of

        standard = PROFILE_STANDARDS.get(report.profile, "")
        try:
            violations = check_conformance(path, [standard])
        except Exception as exc:
            return [
                *lines,
                f"  conformance: the file could not be read ({type(exc).__name__})",
            ], False
        lines.append(
            f"  conformance ({standard}): {len(rules_of(standard))} rules, "
            f"{len(violations)} violation(s)"
        )
        for violation in violations:
            page = f" (page {violation.page})" if violation.page else ""
            lines.append(f"  FAIL  {violation.rule}{page}: {violation.message}")
        ok = ok and not violations
    return lines, ok


def check(
    files: Annotated[list[Path], typer.Argument(help="PDF files to check.", metavar="FILE.pdf")],
    profile: Annotated[
        PrintProfileChoice | None,
        typer.Option("--profile", help="Expected profile [default: read from each file]."),
    ] = None,
    paper: Annotated[
        PaperChoice | None,
        typer.Option("--paper", case_sensitive=False, help="Expected paper size."),
    ] = None,
    max_pages: Annotated[
        int | None,
        typer.Option("--max-pages", callback=between(1), metavar="N", help="Most pages allowed."),
    ] = None,
    conformance: Annotated[
        bool,
        typer.Option(
            "--conformance",
            help="Also check the rules of the file's standard (PDF/X-4, PDF/A-3b, PDF/UA-1).",
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", callback=between(0), metavar="SECONDS", help="Time limit per file."
        ),
    ] = 120.0,
) -> None:
    """Preflight finished PDFs: boxes, fonts, glyphs, title, tags, output intent, images.

    With --conformance, also check each file against the published rules of
    the standard its profile promises, each finding named by its rule id.
    Each file is read in a separate process with a time and memory limit, so
    a damaged or hostile PDF fails alone.

    Example: acuprint check out/cedar-hollow/back-pain.en.press.pdf --paper letter --conformance
    """
    from acuprint.build.supervisor import Limits, call_limited

    missing = [path for path in files if not path.is_file()]
    if missing:
        for path in missing:
            say(f"error: {path} is not a file", err=True)
        say("    fix: give the paths of PDF files", err=True)
        raise typer.Exit(EXIT_INVALID)
    failed = 0
    for path in files:
        if path.stat().st_size > MAX_PDF_BYTES:
            lines, ok = [f"{path}: larger than {MAX_PDF_BYTES:,} bytes; not checked"], False
        else:
            try:
                lines, ok = call_limited(
                    f"checking {path}",
                    Limits(timeout, 1536),
                    check_file,
                    path,
                    profile.value if profile else None,
                    paper.value if paper else None,
                    max_pages,
                    conformance,
                )
            except AcuprintError as error:
                lines, ok = [f"{path}: {error}"], False
        for line in lines:
            say(line)
        failed += not ok
    say(f"{len(files) - failed} of {len(files)} file(s) passed")
    if failed:
        raise typer.Exit(EXIT_FAILED)
