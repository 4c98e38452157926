"""`acuprint manifest merge`: combine the manifests of sharded builds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acuprint.commands.common import EXIT_FAILED, EXIT_INVALID, say
from acuprint.errors import AcuprintError, UsageError

if TYPE_CHECKING:
    from acuprint.build.manifest import ManifestEntry


def _merge(state: object, manifests: list[Path]) -> list[ManifestEntry]:
    from acuprint.build.manifest import merge_manifests

    return list(merge_manifests(manifests))


def manifest_merge(
    manifests: Annotated[
        list[Path], typer.Argument(metavar="MANIFEST.json", help="Shard manifests to combine.")
    ],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="Merged manifest to write.")],
) -> None:
    """Combine the manifests of sharded builds into one; fail on a conflict or a missing file.

    The folder of --out must hold every shard's files (they are checked).

    Example: acuprint manifest merge s1/manifest.json s2/manifest.json --out out/manifest.json
    """
    from acuprint.build.manifest import ManifestConflict
    from acuprint.build.merge import SHOWN, NothingToMerge, OutputsMissing, merge_into
    from acuprint.build.supervisor import Limits, call_limited

    def read(paths: list[Path]) -> list[ManifestEntry]:
        entries: list[ManifestEntry] = call_limited(
            "reading the manifests", Limits(60, 1024), _merge, paths
        )
        return entries

    try:
        merged = merge_into(out, manifests, read)
    except UsageError as error:  # where to write is wrong: its message carries the fix
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except ManifestConflict as error:  # the shards disagree: a failed merge, not bad usage
        say(f"error: {error}", err=True)
        say("    fix: build every shard from the same commit and settings, then merge", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except OutputsMissing as error:  # a shard's files were not collected: a failed merge
        say(f"error: {error}:", err=True)
        for line in error.missing[:SHOWN]:
            say(f"  {error.folder / line}", err=True)
        if len(error.missing) > SHOWN:
            say(f"  ... and {len(error.missing) - SHOWN} more", err=True)
        say(
            f"    fix: copy every shard's output files into {error.folder} (the folder of --out), "
            "then merge again; nothing was written",
            err=True,
        )
        raise typer.Exit(EXIT_FAILED) from None
    except NothingToMerge as error:
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except AcuprintError as error:
        say(f"error: {error}", err=True)
        say("    fix: give the manifest.json files the sharded builds wrote", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as error:
        say(f"error: cannot write {out}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    say(f"Merged {len(manifests)} manifest(s), {len(merged.entries)} output(s), into {out}")
    if merged.sheet is not None:
        say(f"wrote {merged.sheet}")
    else:
        say(merged.no_sheet)
