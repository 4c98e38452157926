"""Usage errors in plain words: Typer's own messages rewritten before they are printed.

Typer (its bundled Click) words a bad option as "No such option: --colour
(Possible options: --out)", "Value error, ..." or "Input should be greater
than or equal to 1". `PlainGroup` catches those at the top command and says
what is wrong and what is allowed instead.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from acuprint.commands.common import EXIT_INVALID, say
from acuprint.errors import AcuprintError
from acuprint.private_api import click_errors

_LIBRARY_WORDS = [
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be \1 or more"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be \1 or less"),
    (re.compile(r"Input should be a valid integer.*"), "must be a whole number, e.g. 2"),
    (re.compile(r"Input should be a valid number.*"), "must be a number, e.g. 1.5"),
    (re.compile(r"is not in the range x>=(\S+)\."), r"is too small: use \1 or more."),
]


def plain(message: str) -> str:
    """A Typer/pydantic message without library wording."""
    for pattern, replacement in _LIBRARY_WORDS:
        message = pattern.sub(replacement, message)
    return message


def _options(command: Any) -> list[str]:
    return sorted(
        name
        for param in getattr(command, "params", [])
        for name in getattr(param, "opts", [])
        if name.startswith("--") and name != "--help"
    )


def rewrite(error: Exception) -> Exception:
    """The same error, worded for people."""
    if isinstance(error, click_errors.NoSuchOption):
        command = error.ctx.command if error.ctx else None
        options = _options(command)
        name = command.name if command and command.name else "this command"
        close = difflib.get_close_matches(error.option_name, options, n=1, cutoff=0.8)
        hint = f" Did you mean {close[0]}?" if close else ""
        return click_errors.UsageError(
            f"'{name}' has no option {error.option_name}.{hint}\n"
            f"    fix: use one of: {', '.join(options)}",
            error.ctx,
        )
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        opts = [o for o in getattr(error.param, "opts", []) if o.startswith("-")]
        if opts:
            return click_errors.UsageError(f"the option {opts[0]} is missing", error.ctx)
        what = getattr(error.param, "metavar", None) or str(error.param.name).upper()
        many = getattr(error.param, "nargs", 1) == -1
        return click_errors.UsageError(
            f"give at least one {what.rstrip('.')}" if many else f"{what} is missing", error.ctx
        )
    if isinstance(error, click_errors.BadParameter):
        where = error.param_hint or (error.param.get_error_hint() if error.param else None)
        hint_text = where if isinstance(where, str) else " / ".join(where or [])
        return click_errors.UsageError(
            f"{hint_text or 'a value'}: {plain(error.message)}", error.ctx
        )
    return error


class PlainGroup(TyperGroup):
    """The top command: every usage error below it is rewritten in plain words."""

    def invoke(self, ctx: Any) -> Any:
        """Run the subcommand; reword a usage error, and lay out any acuprint error left over."""
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as error:
            raise rewrite(error) from None
        except AcuprintError as error:  # a command that did not expect it: a message, not a trace
            say(f"error: {error}", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        except MemoryError:
            say("error: acuprint ran out of memory (an input may be far too large)", err=True)
            say("    fix: look for an input file that grew by mistake (module, manifest)", err=True)
            raise typer.Exit(EXIT_INVALID) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse the top command's own options; reword a usage error."""
        try:
            return super().parse_args(ctx, args)
        except click_errors.UsageError as error:
            raise rewrite(error) from None


def between(low: float, high: float | None = None) -> Any:
    """An option callback that refuses a number outside low..high, in plain words.

    Used instead of Typer's `min=`/`max=`, which print "[x>=1]" in --help.
    """

    def check(value: float | None) -> float | None:
        if value is not None and value < low:
            raise typer.BadParameter(f"{value:g} is too small: use {low:g} or more")
        if value is not None and high is not None and value > high:
            raise typer.BadParameter(f"{value:g} is too large: use {high:g} or less")
        return value

    return check


_TYPE_LABEL = re.compile(r" <(?:str|path|int|float|list\[[^\]]*\])>")


class PlainCommand(TyperCommand):
    """A command whose --help shows no Python type names ("<list[Path]>", "<str>")."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Typer's help, without the type labels."""
        super().format_help(ctx, formatter)
        formatter.buffer[:] = [_TYPE_LABEL.sub("", part) for part in formatter.buffer]
