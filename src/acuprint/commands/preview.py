"""`acuprint preview`: the live preview server for designers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import (
    EXIT_INVALID,
    ProjectOption,
)


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
