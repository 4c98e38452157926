"""`acuprint preview`: the live preview server for designers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import (
    EXIT_INVALID,
    ProjectOption,
    say,
)
from acuprint.commands.usage import between


def preview(
    clinic: Annotated[
        str | None, typer.Option("--clinic", metavar="ID", help="Open this clinic.")
    ] = None,
    handout: Annotated[
        str | None, typer.Option("--handout", metavar="ID", help="Open this handout.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Language to open.")] = "en",
    port: Annotated[
        int, typer.Option("--port", callback=between(0, 65535), help="Port on 127.0.0.1.")
    ] = 8000,
    project: ProjectOption = Path("."),
) -> None:
    """Preview handouts in a browser: HTML and printed pages side by side, reloading on save.

    Example: acuprint preview --clinic cedar-hollow --handout first-visit --port 8000
    """
    from acuprint.preview.server import serve

    _check_selection(project, clinic, handout, lang)
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


def _check_selection(project: Path, clinic: str | None, handout: str | None, lang: str) -> None:
    """Refuse --clinic, --handout or --lang that name nothing, as build does, with the choices.

    A project that does not load still previews: the page shows its problems.
    """
    from acuprint.build.plan import SelectionError, plan_jobs
    from acuprint.build.supervisor import load_limited
    from acuprint.errors import InputError

    try:
        loaded = load_limited(project)
    except InputError:
        return
    try:
        plan_jobs(
            loaded,
            [clinic] if clinic else [],
            [handout] if handout else [],
            langs=[lang],
        )
    except SelectionError as error:
        say(f"error: {error}", err=True)
        say("Nothing was started.", err=True)
        raise typer.Exit(EXIT_INVALID) from None
