"""`acuprint build`: options in, one BuildSettings to the library, a summary and exit code out."""

from __future__ import annotations

import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    PrintProfileChoice,
    ProjectOption,
    fail_input,
    parse_day,
    print_findings,
    say,
)
from acuprint.commands.usage import between
from acuprint.errors import AcuprintError, BuildLocked, InputError, LintFailed, OutputError

# Up to this many outputs, a build lists every path it wrote; above it, a count.
LIST_PATHS_UP_TO = 12


class FormatChoice(StrEnum):
    """Which output formats to build."""

    pdf = "pdf"
    html = "html"
    all = "all"


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise typer.BadParameter(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(index), int(count)


def build(
    clinic: Annotated[
        list[str] | None,
        typer.Option("--clinic", metavar="ID", help="Only this clinic id (repeatable)."),
    ] = None,
    handout: Annotated[
        list[str] | None,
        typer.Option("--handout", metavar="ID", help="Only this handout id (repeatable)."),
    ] = None,
    lang: Annotated[
        list[str] | None,
        typer.Option("--lang", metavar="CODE", help="Only this language, e.g. es (repeatable)."),
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant",
            metavar="NAME",
            help="Only this PDF variant: standard, large-print, tri-fold (repeatable).",
        ),
    ] = None,
    format: Annotated[
        FormatChoice, typer.Option("--format", help="Which files to write.")
    ] = FormatChoice.all,
    out: Annotated[
        str | None,  # a string: Typer would turn "" into "." (the current folder)
        typer.Option("--out", metavar="DIR", help="Output folder [default: PROJECT/out]."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Lint first, and fail on any warning.")
    ] = False,
    release: Annotated[
        bool,
        typer.Option(
            "--release", help="Refuse to write anything that prints unapproved or lapsed text."
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Date reviews and approvals are judged by [SOURCE_DATE_EPOCH, else today].",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            callback=between(1),
            metavar="N",
            help="Worker processes [default: cores].",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Rebuild everything; write into a folder acuprint did not make."
        ),
    ] = False,
    shard: Annotated[
        str | None,
        typer.Option("--shard", metavar="K/N", help="Build only slice K of N (for CI matrices)."),
    ] = None,
    profile_option: Annotated[
        PrintProfileChoice | None,
        typer.Option(
            "--profile", help="PDF profile for every clinic [default: each clinic's print_profile]."
        ),
    ] = None,
    forms: Annotated[
        bool, typer.Option("--forms", help="Fillable checklist tick boxes and name/date fields.")
    ] = False,
    proofs: Annotated[
        bool,
        typer.Option("--proofs/--no-proofs", help="Write a PNG proof of every PDF page."),
    ] = True,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            callback=between(0),
            metavar="SECONDS",
            help="Time limit per output (0: none).",
        ),
    ] = 120.0,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            callback=between(0),
            metavar="MB",
            help="Memory limit per worker process (0: none).",
        ),
    ] = 1536,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every file written.")
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Build again whenever a project file changes.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Build handouts (PDF and HTML) for every clinic into out/.

    Outputs whose inputs have not changed are skipped; see --force.

    Example: acuprint build --clinic cedar-hollow --handout first-visit --lang es --format pdf
    """
    from acuprint.build.settings import BuildSettings
    from acuprint.build.supervisor import Limits
    from acuprint.jobs import FORMATS, Format

    chosen: dict[FormatChoice, tuple[Format, ...]] = {
        FormatChoice.pdf: ("pdf",),
        FormatChoice.html: ("html",),
    }
    formats = chosen.get(format, FORMATS)
    if out is not None and not out.strip():
        say("error: --out is empty\n    fix: give a folder, e.g. --out out", err=True)
        say("Nothing was built.", err=True)
        raise typer.Exit(EXIT_INVALID)
    settings = BuildSettings(
        out_dir=Path(out) if out is not None else None,
        clinics=tuple(clinic or ()),
        handouts=tuple(handout or ()),
        langs=tuple(lang or ()),
        variants=tuple(variant or ()),
        formats=formats,
        profile=profile_option.value if profile_option else None,
        forms=forms,
        strict=strict,
        force=force,
        shard=_shard(shard),
        workers=jobs,
        limits=Limits(timeout, max_memory),
        proofs=proofs,
        lint_as_of=parse_day(as_of, "--as-of"),
        release=release,
    )
    if not watch:
        code = run_once(project, settings, verbose)
        if code:
            raise typer.Exit(code)
        return
    from acuprint.preview.watch import watch_changes

    try:
        for _ in watch_changes(project):
            run_once(project, settings, verbose)
            say("Watching clinics/, handouts/, styles/, review/ and claims.toml (Ctrl-C stops).")
    except KeyboardInterrupt:
        say("Stopped watching.")


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a build the way Ctrl-C does: cleanly


def run_once(project: Path, settings: Any, verbose: bool) -> int:
    """One build; prints what happened and returns the exit code."""
    from acuprint.build.stamp import unchanged_build

    # Nothing changed since the last build: say so without loading the project.
    report = unchanged_build(project, settings)
    return _report(report) if report is not None else _run_build(project, settings, verbose)


def _run_build(project: Path, settings: Any, verbose: bool) -> int:
    from acuprint.build.pipeline import build as run_build
    from acuprint.build.progress import progress_for
    from acuprint.checks.signoff import ReleaseRefused

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with progress_for(sys.stderr) as observer:
            report = run_build(project, settings, observer)
    except ReleaseRefused as error:
        root = project.resolve()
        say(f"error: {len(error.problems)} unit(s) of text are not approved for release:", err=True)
        for problem in error.problems:
            say(f"  {problem.format(root)}", err=True)
        say(
            "Nothing was built: a release prints only approved text. Review it with "
            "`acuprint review`, approve it, and build again (without --release: a draft).",
            err=True,
        )
        return EXIT_INVALID
    except InputError as error:
        fail_input(error, project.resolve())
        return EXIT_INVALID
    except LintFailed as error:
        print_findings(error.report, project.resolve())  # type: ignore[arg-type]
        say("Nothing was built: --strict stops on any lint finding.", err=True)
        return EXIT_FAILED
    except (OutputError, BuildLocked) as error:
        say(f"error: {error}", err=True)
        return EXIT_FAILED
    except AcuprintError as error:  # usage: a bad option, an unsafe --out, a stopped loader
        say(f"error: {error}", err=True)
        say("Nothing was built.", err=True)
        return EXIT_INVALID
    except KeyboardInterrupt:
        say("Interrupted: the outputs written so far are kept; nothing half-written.", err=True)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    return _report(report, verbose)


def _report(report: Any, verbose: bool = False) -> int:
    """Print what a build did; the exit code."""
    for warning in report.warnings:
        say(f"warning: {warning}", err=True)
    written = [report.out_dir / entry.path for entry in report.built]
    if written and (verbose or len(written) <= LIST_PATHS_UP_TO):
        for path in written:
            say(f"wrote {path}")
    summary = (
        f"{len(report.built)} built, {len(report.skipped)} up to date, "
        f"{len(report.failures)} failed in {report.seconds:.1f} s; "
        f"manifest: {report.manifest}"
    )
    if report.failures:
        say(f"error: {len(report.failures)} output(s) failed:", err=True)
        for failure in report.failures:
            say(f"  {failure}", err=True)
        say(summary, err=True)
        return EXIT_FAILED
    say(summary)
    return 0
