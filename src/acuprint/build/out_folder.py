"""Where a build writes: the out folder, refused when writing there would be unsafe."""

from __future__ import annotations

import os
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
    default = project.root / "out"
    if given is None and default.is_symlink():
        raise UsageError(
            f"{default} is a symbolic link (to {_link_target(default)}); a project may not "
            "send its outputs elsewhere\n"
            "    fix: remove the link, or pass --out with the folder you mean"
        )
    out_dir = (given if given is not None else default).resolve()
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
    if out_dir.is_dir() and _foreign(out_dir):
        if not settings.force:
            raise UsageError(
                f"{out_dir} holds files acuprint did not write (it has no acuprint manifest)\n"
                "    fix: choose an empty or new folder with --out, or pass --force to write there"
            )
        # --force writes beside someone else's files, never over the ones a build replaces.
        replaced = (MANIFEST, CONTACT_SHEET) if settings.proofs else (MANIFEST,)
        theirs = [out_dir / name for name in replaced if os.path.lexists(out_dir / name)]
        if theirs:
            raise UsageError(
                f"{theirs[0]} was not written by acuprint, and a build would replace it\n"
                "    fix: move it out of the folder, or choose an empty or new folder with --out"
            )
    return out_dir


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


_EMPTY = {LOCK, ".gitkeep"}  # a folder holding only these has nothing of anyone's


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
    return bool(names - _EMPTY) and not ours
