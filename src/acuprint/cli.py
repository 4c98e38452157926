"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage, 3 a bug in acuprint (see `run`), 130 interrupted.
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
from acuprint.commands.printing import print_
from acuprint.commands.review import approve, review
from acuprint.commands.snapshot import snapshot
from acuprint.commands.usage import PlainCommand, PlainGroup

app = typer.Typer(
    cls=PlainGroup,
    pretty_exceptions_enable=False,  # a bug gets a short message from `run`, not a traceback
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
app.command("print", cls=PlainCommand)(print_)
app.add_typer(new_app, name="new")
app.command(cls=PlainCommand)(init)
app.command(cls=PlainCommand)(snapshot)
app.command(cls=PlainCommand)(review)
app.command(cls=PlainCommand)(approve)


def run() -> None:
    """The `acuprint` command: the app, and for a bug a short message instead of a traceback.

    The traceback goes to a file in the temporary folder, named in the message,
    and the exit code is 3, distinct from findings (1) and bad input (2).
    """
    from acuprint.private_api import UnsupportedVersion, check_typer

    try:
        check_typer()
        app(prog_name="acuprint")
    except UnsupportedVersion as exc:
        from acuprint.commands.common import EXIT_INVALID, say

        say(f"error: {exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    except Exception as exc:
        import sys
        import tempfile
        import traceback

        from acuprint.commands.common import EXIT_INTERNAL, say

        details = "".join(traceback.format_exception(exc))
        try:
            handle, path = tempfile.mkstemp(prefix="acuprint-crash-", suffix=".txt")
            with open(handle, "w", encoding="utf-8") as report:
                report.write(f"acuprint {__version__}\nargs: {sys.argv[1:]!r}\n\n{details}")
            where = f"the details are in {path}"
        except OSError:
            where = "the details could not be written to the temporary folder"
        say(f"internal error: {type(exc).__name__}: {exc}", err=True)
        say(
            f"    this is a bug in acuprint, not in your files; {where}: please report it", err=True
        )
        raise SystemExit(EXIT_INTERNAL) from None
