"""`acuprint snapshot`: compare a project's own clinics' pages with their reference images."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import EXIT_FAILED, EXIT_INVALID, ProjectOption, fail_input, say
from acuprint.errors import AcuprintError, InputError


def snapshot(
    clinic: Annotated[
        list[str] | None, typer.Option("--clinic", metavar="ID", help="Clinic (repeatable).")
    ] = None,
    handout: Annotated[
        list[str] | None, typer.Option("--handout", metavar="ID", help="Handout (repeatable).")
    ] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", metavar="CODE", help="Language (repeatable).")
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", metavar="NAME", help="standard, large-print... (repeatable)."),
    ] = None,
    folder: Annotated[
        Path, typer.Option("--folder", metavar="DIR", help="Reference images live here.")
    ] = Path("snapshots"),
    update: Annotated[
        bool, typer.Option("--update", help="Make the new pages the references.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Render the chosen handouts' pages and compare them with the references in --folder.

    A changed page fails (exit 1) with one line, and a side-by-side image
    (reference | new | diff) in DIR/_failures/. After an intended change, run
    it again with --update and commit the images.

    Example: acuprint snapshot --clinic harbour-lane --handout first-visit --folder snapshots
    """
    from acuprint.build.settings import BuildSettings
    from acuprint.build.snapshots import snapshot as run_snapshot

    settings = BuildSettings(
        clinics=tuple(clinic or ()),
        handouts=tuple(handout or ()),
        langs=tuple(lang or ()),
        variants=tuple(variant or ()),
    )
    target = folder if folder.is_absolute() else project / folder
    try:
        results = run_snapshot(project, target, settings, update)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    except AcuprintError as error:
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except RuntimeError as error:
        say(f"error: the build failed: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    changed = [r for r in results if r.status == "changed"]
    for result in results:
        if result.status == "changed":
            say(f"changed  {result.name}: {result.share:.2%} of pixels -> {result.image}")
        elif result.status in ("new", "written"):
            say(f"{result.status:<8} {result.name}")
    say(
        f"{len(results)} page(s): {len(changed)} changed, "
        f"{sum(r.status == 'same' for r in results)} the same; references in {target}"
    )
    if changed:
        say("If the change is intended, run again with --update.", err=True)
        raise typer.Exit(EXIT_FAILED)
