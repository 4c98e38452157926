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
    """Combine the manifests of sharded builds into one; fail on any conflict.

    Example: acuprint manifest merge s1/manifest.json s2/manifest.json --out out/manifest.json
    """
    from acuprint.build.manifest import (
        ManifestConflict,
        check_manifest_target,
        write_manifest_file,
    )
    from acuprint.build.proofs import check_sheet_target, has_proofs, write_contact_sheet
    from acuprint.build.supervisor import Limits, call_limited

    sheet = None
    try:
        check_manifest_target(out)
        entries = call_limited("reading the manifests", Limits(60, 1024), _merge, manifests)
        # A sharded build's shards each wrote a partial contact sheet: write the whole one.
        write_sheet = has_proofs(out.parent, entries)
        if write_sheet:
            check_sheet_target(out.parent)
        write_manifest_file(out, entries)
        if write_sheet:
            sheet = write_contact_sheet(out.parent, entries)
    except UsageError as error:  # where to write is wrong: its message carries the fix
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except ManifestConflict as error:  # the shards disagree: a failed merge, not bad usage
        say(f"error: {error}", err=True)
        say("    fix: build every shard from the same commit and settings, then merge", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except AcuprintError as error:
        say(f"error: {error}", err=True)
        say("    fix: give the manifest.json files the sharded builds wrote", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as error:
        say(f"error: cannot write {out}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    say(f"Merged {len(manifests)} manifest(s), {len(entries)} output(s), into {out}")
    if sheet is not None:
        say(f"wrote {sheet}")
