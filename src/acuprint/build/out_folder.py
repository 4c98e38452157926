"""Where a build writes: the out folder, refused when writing there would be unsafe."""

from __future__ import annotations

from pathlib import Path

from acuprint.build.manifest import LOCK, MANIFEST, is_acuprint_manifest
from acuprint.build.proofs import CONTACT_SHEET
from acuprint.build.settings import BuildSettings
from acuprint.errors import UsageError
from acuprint.inputs.project import Project
from acuprint.inputs.sources import SOURCE_FOLDERS


def out_folder(project: Project, settings: BuildSettings) -> Path:
    """The folder to write into, refused if it is unsafe: the project itself, a file, foreign."""
    given = settings.out_dir
    if given is not None and not str(given).strip():
        raise UsageError("--out is empty\n    fix: give a folder, e.g. --out out")
    out_dir = (given if given is not None else project.root / "out").resolve()
    if out_dir == project.root or project.root.is_relative_to(out_dir):
        raise UsageError(
            f"--out {given} is the project folder (or contains it)\n"
            "    fix: give a folder of its own, e.g. --out out"
        )
    if any(out_dir.is_relative_to(project.root / name) for name in SOURCE_FOLDERS):
        raise UsageError(
            f"--out {given} is inside the project's source files\n"
            "    fix: give a folder of its own, e.g. --out out"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"the out folder {out_dir} is a file\n    fix: pass --out with a folder")
    if out_dir.is_dir() and not settings.force and _foreign(out_dir):
        raise UsageError(
            f"{out_dir} holds files acuprint did not write (it has no acuprint manifest)\n"
            "    fix: choose an empty or new folder with --out, or pass --force to write there"
        )
    return out_dir


_OURS = {MANIFEST, CONTACT_SHEET, LOCK, ".gitkeep"}


def _foreign(out_dir: Path) -> bool:
    """True if the folder has content but no sign that acuprint made it.

    The signs: a manifest acuprint wrote, or its lock file (created before a
    build writes anything, so a first build killed early still counts).
    """
    try:
        names = {p.name for p in out_dir.iterdir()}
    except OSError:
        return False
    ours = is_acuprint_manifest(out_dir / MANIFEST) or (out_dir / LOCK).is_file()
    return bool(names - _OURS) and not ours
