"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint import __version__
from acuprint.commands.build import build
from acuprint.commands.check import check
from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    ProjectOption,
    fail_input,
    print_findings,
)
from acuprint.commands.listing import list_
from acuprint.commands.manifest import manifest_merge
from acuprint.errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Build branded, print-ready acupuncture handouts for every clinic.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"acuprint {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Build branded, print-ready acupuncture handouts for every clinic."""


app.command()(build)


@app.command()
def lint(
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only errors.")
    ] = False,
    report: Annotated[
        bool, typer.Option("--report", help="Print a scorecard for every handout.")
    ] = False,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", metavar="FILE", help="Write findings and scorecards as JSON."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date for review-due checks [today]."),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Check content and clinics: reading level, claims, evidence, translations, contrast.

    Example: acuprint lint --strict --report --json out/lint.json
    """
    import json
    from datetime import date

    from acuprint.build.supervisor import load_limited
    from acuprint.checks.lint import lint_project

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter(
            f"{as_of!r} is not a date like 2026-11-20", param_hint="'--as-of'"
        ) from None
    try:
        loaded = load_limited(project)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    result = lint_project(loaded, day)
    print_findings(result, loaded.root)
    if report:
        typer.echo(
            f"{'handout':<14} {'lang':<8} {'reading level':<30} {'hardest module':<34} "
            f"{'words':>6} {'claims':>6} {'sources':>7} {'oldest':>6} {'reviewed':<10}"
        )
        for card in result.scorecards:
            typer.echo(
                f"{card.handout:<14} {card.lang:<8} {card.reading:<30} {card.worst_module:<34} "
                f"{card.words:>6} {card.claims:>6} {card.sources:>7} "
                f"{card.oldest_source or '-':>6} {card.oldest_review:<10}"
            )
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    if result.failed(strict):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def preview(
    clinic: Annotated[
        str | None, typer.Option("--clinic", metavar="ID", help="Open this clinic.")
    ] = None,
    handout: Annotated[
        str | None, typer.Option("--handout", metavar="ID", help="Open this handout.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Language to open.")] = "en",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1.")
    ] = 8000,
    project: ProjectOption = Path("."),
) -> None:
    """Preview handouts in a browser: HTML and printed pages side by side, reloading on save.

    Example: acuprint preview --clinic cedar-hollow --handout first-visit --port 8000
    """
    from acuprint.preview.server import serve

    running = serve(project, port)
    try:
        address = next(running)
    except OSError as error:
        typer.echo(f"error: cannot listen on 127.0.0.1:{port}: {error.strerror}", err=True)
        typer.echo("    fix: pass another --port, or stop what uses this one", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    target = f"{address}view/{clinic}/{handout}/{lang}" if clinic and handout else address
    typer.echo(f"Preview at {target} (only this computer can open it). Ctrl-C stops it.")
    try:
        next(running, None)
    except KeyboardInterrupt:
        typer.echo("Preview stopped.")


app.command()(check)
manifest_app = typer.Typer(help="Work with manifest.json files.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")
manifest_app.command("merge")(manifest_merge)
app.command("list")(list_)
