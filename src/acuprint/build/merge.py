"""Merging the manifests of sharded builds into the folder that holds all their files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from acuprint.build.manifest import (
    ManifestEntry,
    ManifestError,
    check_manifest_target,
    write_manifest_file,
)
from acuprint.build.proofs import check_sheet_target, has_proofs, write_contact_sheet

SHOWN = 20  # missing files named one by one; past this, a count


class OutputsMissing(ManifestError):
    """The manifests list outputs that are not in the merged folder (a shard was not copied)."""

    def __init__(self, folder: Path, missing: list[str]) -> None:
        self.folder = folder
        self.missing = missing
        super().__init__(f"{len(missing)} output(s) the manifests list are not in {folder}")


class NothingToMerge(ManifestError):
    """The manifests list no output at all."""


@dataclass(frozen=True)
class Merged:
    """What a merge wrote: the manifest, and the contact sheet or why there is none."""

    manifest: Path
    entries: list[ManifestEntry]
    sheet: Path | None
    no_sheet: str = ""  # why no contact sheet was written


def missing_outputs(folder: Path, entries: list[ManifestEntry]) -> list[str]:
    """Each entry whose file is not in `folder` as the manifest describes it, in words."""
    missing = []
    for entry in entries:
        path = folder / entry.path
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None:
            missing.append(f"{entry.path}: missing")
        elif size != entry.bytes:
            missing.append(f"{entry.path}: {size} bytes, the manifest lists {entry.bytes}")
    return missing


def merge_into(
    out: Path, manifests: list[Path], read: Callable[[list[Path]], list[ManifestEntry]]
) -> Merged:
    """Merge `manifests` into `out`, whose folder must hold every output they list.

    Nothing is written when a manifest conflicts, lists nothing, or names a file
    the folder lacks; the contact sheet is written when the folder has proofs.
    """
    check_manifest_target(out)
    entries = read(manifests)
    folder = out.parent
    if not entries:
        raise NothingToMerge(
            f"the manifests list no outputs: {', '.join(str(m) for m in manifests)}\n"
            "    fix: check that each shard's build succeeded and wrote its manifest.json"
        )
    write_sheet = has_proofs(folder, entries)
    if write_sheet:
        check_sheet_target(folder)
    missing = missing_outputs(folder, entries)
    if missing:
        raise OutputsMissing(folder, missing)
    write_manifest_file(out, entries)
    if not write_sheet:
        pdfs = sum(1 for e in entries if e.format == "pdf")
        why = (
            f"no contact sheet: none of the {pdfs} PDF(s) has its page proofs in {folder} "
            "(built with --no-proofs, or the proofs folders were not copied)"
            if pdfs
            else "no contact sheet: the manifests list no PDFs (HTML only)"
        )
        return Merged(out, entries, None, why)
    return Merged(out, entries, write_contact_sheet(folder, entries))
