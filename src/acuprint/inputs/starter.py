"""The starter project that ships inside the package, copied into a new folder whole."""

from __future__ import annotations

import shutil
import tempfile
from importlib.resources import as_file, files
from pathlib import Path

from acuprint.errors import UsageError

STARTER = ("clinics", "handouts", "styles", "review")


def start_project(folder: Path) -> None:
    """Copy the starter project into `folder` (new or without those folders); all or nothing."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is a file, not a folder\n    fix: give the path of a new or empty folder"
        )
    taken = [name for name in STARTER if (folder / name).exists()]
    if taken:
        raise UsageError(
            f"{folder} already holds {', '.join(taken)}/\n    fix: choose an empty or new folder"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Copied beside its place first, then moved in: a failed copy leaves nothing.
        with tempfile.TemporaryDirectory(dir=folder, prefix=".acuprint-init-") as temp:
            with as_file(files("acuprint") / "data" / "project") as starter:
                for name in STARTER:
                    shutil.copytree(
                        starter / name,
                        Path(temp) / name,
                        ignore=shutil.ignore_patterns("__pycache__"),
                    )
            for name in STARTER:
                (Path(temp) / name).rename(folder / name)
    except OSError as exc:
        raise UsageError(
            f"cannot create the project in {folder}: {exc.strerror or exc}\n"
            "    fix: give a path of folders you may write to (no part of it a file)"
        ) from None
