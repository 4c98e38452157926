"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import BuildError, InputError, OutputError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Build branded, print-ready acupuncture handouts for every clinic.",
)

EXIT_FAILED = 1
EXIT_INVALID = 2


class FormatChoice(StrEnum):
    """Which output formats to build."""

    pdf = "pdf"
    html = "html"
    all = "all"


ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        help="Project folder (holds clinics/, handouts/, styles/).",
        file_okay=False,
        metavar="DIR",
    ),
]


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


def _fail_input(error: InputError, root: Path) -> typer.Exit:
    typer.echo(f"error: {len(error.problems)} problem(s) in the project files:", err=True)
    for problem in error.problems:
        typer.echo(f"  {problem.format(root)}", err=True)
    typer.echo("Nothing was built. Fix the problems above and run the command again.", err=True)
    return typer.Exit(EXIT_INVALID)


@app.command()
def build(
    clinic: Annotated[
        list[str] | None,
        typer.Option("--clinic", metavar="ID", help="Only this clinic id (repeatable)."),
    ] = None,
    handout: Annotated[
        list[str] | None,
        typer.Option("--handout", metavar="ID", help="Only this handout id (repeatable)."),
    ] = None,
    format: Annotated[
        FormatChoice, typer.Option("--format", help="Which files to write.")
    ] = FormatChoice.all,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", help="Output folder [default: PROJECT/out]."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on any warning, WeasyPrint's included.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Build handouts (PDF and HTML) for every clinic into out/.

    Example: acuprint build --clinic cedar-hollow --handout first-visit --format pdf
    """
    from .build import Rendered
    from .build import build as run_build
    from .plan import FORMATS, Format

    formats: dict[FormatChoice, tuple[Format, ...]] = {
        FormatChoice.pdf: ("pdf",),
        FormatChoice.html: ("html",),
        FormatChoice.all: FORMATS,
    }

    def report(item: Rendered) -> None:
        pages = f", {item.pages} pages" if item.pages else ""
        typer.echo(f"built {item.job.path} ({len(item.data) // 1024} KB{pages})")

    try:
        result = run_build(
            project,
            out,
            clinics=clinic or (),
            handouts=handout or (),
            formats=formats[format],
            strict=strict,
            on_output=report,
        )
    except InputError as error:
        raise _fail_input(error, project.resolve()) from None
    except UsageError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OutputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except BuildError as error:
        typer.echo(f"error: {len(error.failures)} problem(s) while rendering:", err=True)
        for failure in error.failures:
            typer.echo(f"  {failure}", err=True)
        typer.echo("Nothing was written to the out folder.", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(
        f"Wrote {len(result.entries)} file(s) and {result.manifest.name} to {result.out_dir}"
    )


@app.command("list")
def list_(project: ProjectOption = Path(".")) -> None:
    """List clinics, handouts and content modules.

    Example: acuprint list --project path/to/project
    """
    from .project import load_project

    try:
        loaded = load_project(project)
    except InputError as error:
        raise _fail_input(error, project.resolve()) from None
    typer.echo("Clinics:")
    for clinic in loaded.clinics.values():
        p = clinic.profile
        typer.echo(f"  {clinic.id:<22} {p.name} ({p.paper}; {', '.join(p.languages)})")
    typer.echo("Handouts:")
    for handout in loaded.handouts.values():
        typer.echo(
            f"  {handout.id:<22} {handout.recipe.title}: {', '.join(handout.recipe.modules)}"
        )
    typer.echo("Modules:")
    for (module_id, lang), module in sorted(loaded.modules.items()):
        meta = module.meta
        reviewed = f"reviewed {meta.last_reviewed}"
        typer.echo(f"  {module_id:<36} {lang:<8} v{meta.version}  {reviewed}  {meta.title}")
