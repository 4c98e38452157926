"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage.
"""

from __future__ import annotations

from typing import Annotated

import typer

from acuprint import __version__
from acuprint.commands.build import build
from acuprint.commands.check import check
from acuprint.commands.init import init
from acuprint.commands.lint import lint
from acuprint.commands.listing import list_
from acuprint.commands.manifest import manifest_merge
from acuprint.commands.new import new_app
from acuprint.commands.preview import preview
from acuprint.commands.review import approve, review
from acuprint.commands.snapshot import snapshot
from acuprint.commands.usage import PlainCommand, PlainGroup

app = typer.Typer(
    cls=PlainGroup,
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


app.command(cls=PlainCommand)(build)
app.command(cls=PlainCommand)(lint)
app.command(cls=PlainCommand)(preview)


app.command(cls=PlainCommand)(check)
manifest_app = typer.Typer(help="Work with manifest.json files.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")
manifest_app.command("merge", cls=PlainCommand)(manifest_merge)
app.command("list", cls=PlainCommand)(list_)
app.add_typer(new_app, name="new")
app.command(cls=PlainCommand)(init)
app.command(cls=PlainCommand)(snapshot)
app.command(cls=PlainCommand)(review)
app.command(cls=PlainCommand)(approve)
