"""`acuprint init`: a new project (handouts, styles, a sample clinic) from the package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import EXIT_INVALID, say
from acuprint.errors import UsageError


def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new project.")],
) -> None:
    """Start a project: recipes, content modules, styles and one sample clinic, ready to build.

    Example: acuprint init my-handouts
    """
    from acuprint.inputs.starter import start_project

    try:
        start_project(folder)
    except UsageError as error:
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    say(f"Created an acuprint project in {folder}: clinics/, handouts/, styles/, review/")
    say(f"Next: cd {folder} && acuprint new clinic my-clinic   (or: acuprint build)")
