"""`acuprint init`: a new project (handouts, styles, a sample clinic) from the package."""

from __future__ import annotations

import shutil
from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import EXIT_INVALID, say

STARTER = ("clinics", "handouts", "styles", "review")


def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new project.")],
) -> None:
    """Start a project: recipes, content modules, styles and one sample clinic, ready to build.

    Example: acuprint init my-handouts
    """
    taken = [name for name in STARTER if (folder / name).exists()]
    if taken:
        say(f"error: {folder} already holds {', '.join(taken)}/", err=True)
        say("    fix: choose an empty or new folder", err=True)
        raise typer.Exit(EXIT_INVALID)
    with as_file(files("acuprint") / "data" / "project") as starter:
        for name in STARTER:
            shutil.copytree(starter / name, folder / name)
    for cache in folder.rglob("__pycache__"):
        shutil.rmtree(cache)
    say(f"Created an acuprint project in {folder}: clinics/, handouts/, styles/, review/")
    say(f"Next: cd {folder} && acuprint new clinic my-clinic   (or: acuprint build)")
