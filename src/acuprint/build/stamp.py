"""Has anything changed since the last complete build? A stamp of its inputs says, fast.

A build that planned N outputs and ended with all N written or up to date,
nothing failed, leaves a stamp in the out folder (`.acuprint-stamp.json`):

- what it was asked for (the settings that change what is written, the
  project and out folder, the day approvals and review dates were judged on,
  SOURCE_DATE_EPOCH, acuprint's version, Python's and every installed
  distribution's);
- every file of the project's sources (clinics/, handouts/, styles/,
  review/, claims.toml) and of acuprint's own package, as it was *before*
  the build read anything: size, modification time and SHA-256;
- every file in the out folder as the build left it: size and time.

The next build with the same settings on the same day compares: the same
set of files, each with the same size and time, or failing that the same
hash; the out folder untouched. Then nothing a build reads has changed and
the answer is the one the last build gave: everything is up to date, without
loading the project, checking its text or importing the renderer. Anything
else (an edited, added or removed file, other settings, another day, a
touched output) takes the full path, which checks everything and decides per
output from its depfile. A file whose time is within two seconds of the
snapshot is always hashed ("racy": it may change again within the clock's
resolution without its size or time showing it).

This module imports nothing heavy: the CLI asks it before loading the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from acuprint import __version__
from acuprint.atomic import write_inside
from acuprint.build.manifest import LOCK, MANIFEST, read_manifest
from acuprint.build.report import BuildReport
from acuprint.build.settings import BuildSettings
from acuprint.inputs.environment import lint_date, source_date_epoch
from acuprint.inputs.reads import file_digest
from acuprint.inputs.sources import SOURCE_FILES, SOURCE_FOLDERS
from acuprint.jobs import PACKAGE

STAMP = ".acuprint-stamp.json"
SOURCES = (*SOURCE_FOLDERS, *SOURCE_FILES)
_FORMAT = 1
_RACY_NS = 2_000_000_000  # a file this close to the snapshot is hashed every time
_HASH_AT_MOST = 512 * 1024 * 1024  # a project bigger than this is not stamped
_NOT_OUTPUTS = {STAMP, LOCK}

# (size, mtime in ns or -1 when racy, sha256)
FileState = tuple[int, int, str]


@dataclass(frozen=True)
class Snapshot:
    """The project's and acuprint's files at one moment, and what they were built with."""

    settings: str
    files: dict[str, FileState]


def out_dir_for(root: Path, settings: BuildSettings) -> Path:
    """The out folder a build of `root` with `settings` writes (as `out_folder` resolves it)."""
    given = settings.out_dir
    return (given if given is not None else root.resolve() / "out").resolve()


def unchanged_build(root: Path, settings: BuildSettings) -> BuildReport | None:
    """The report of a build that finds everything up to date, if nothing the last build
    read or wrote has changed since; else None (the full build decides)."""
    started = time.perf_counter()
    if settings.force:
        return None
    try:
        out_dir = out_dir_for(root, settings)
        stamp = json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
        if not isinstance(stamp, dict) or stamp.get("format") != _FORMAT:
            return None
        if stamp.get("settings") != _settings_key(root, settings):
            return None
        if _out_state(out_dir) != {k: tuple(v) for k, v in stamp["out"].items()}:
            return None
        recorded = {key: tuple(value) for key, value in stamp["files"].items()}
        if _walk(root) != set(recorded):
            return None
        if any(not _same(root, key, state) for key, state in recorded.items()):
            return None
        planned = set(stamp["outputs"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no stamp, or one we cannot trust: the full path decides
    entries = [entry for entry in read_manifest(out_dir) if entry.path in planned]
    if len(entries) != len(planned):
        return None
    seconds = time.perf_counter() - started
    return BuildReport(out_dir, (), tuple(entries), (), (), out_dir / MANIFEST, seconds)


def take_snapshot(root: Path, settings: BuildSettings) -> Snapshot | None:
    """The files a build is about to read, hashed (reusing the last stamp's hashes where
    size and time match); None if the project cannot be stamped (a symlink, too big)."""
    started = time.time_ns()
    try:
        previous = json.loads((out_dir_for(root, settings) / STAMP).read_text(encoding="utf-8"))
        known = {k: tuple(v) for k, v in previous["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        known = {}
    files: dict[str, FileState] = {}
    hashed = 0
    try:
        for key in sorted(_walk(root)):
            info = os.lstat(_path(root, key))
            mtime = -1 if info.st_mtime_ns >= started - _RACY_NS else info.st_mtime_ns
            old = known.get(key)
            if old and mtime != -1 and old[0] == info.st_size and old[1] == mtime:
                sha = str(old[2])
            else:
                hashed += info.st_size
                if hashed > _HASH_AT_MOST:
                    return None
                sha = file_digest(_path(root, key))
            files[key] = (info.st_size, mtime, sha)
    except (OSError, _Unstampable):
        return None
    return Snapshot(_settings_key(root, settings), files)


def forget_stamp(out_dir: Path) -> None:
    """Remove the stamp: the out folder is about to change."""
    (out_dir / STAMP).unlink(missing_ok=True)


def write_stamp(
    out_dir: Path, snapshot: Snapshot, outputs: list[str], covered: list[dict[str, str | None]]
) -> None:
    """Stamp the out folder as the result of `snapshot`, if every file the outputs read
    (`covered`: their depfiles) is one the snapshot watches; otherwise leave no stamp."""
    for reads in covered:
        if any(not _watched(snapshot, key, sha) for key, sha in reads.items()):
            forget_stamp(out_dir)
            return
    stamp = {
        "format": _FORMAT,
        "settings": snapshot.settings,
        "outputs": sorted(outputs),
        "files": snapshot.files,
        "out": _out_state(out_dir),
    }
    write_inside(out_dir, STAMP, json.dumps(stamp, sort_keys=True).encode())


def _watched(snapshot: Snapshot, key: str, sha: str | None) -> bool:
    """True if a change to this depfile entry would show in the next snapshot."""
    if key in snapshot.files:
        return True
    # A file that was absent (optional) shows when it appears, if it is under a watched tree.
    return sha is None and (key.startswith("acuprint:") or key.split("/")[0] in SOURCES)


class _Unstampable(Exception):
    """A source that the stamp cannot vouch for (a symlink, a special file)."""


def _settings_key(root: Path, settings: BuildSettings) -> str:
    """Everything besides the files that decides what a build writes and what it checks."""
    # Not where the project is: a project copied with its out folder is as up to date as
    # the original (depfiles name files relative to it), only where its out folder is.
    out_dir, root = out_dir_for(root, settings), root.resolve()
    parts = {
        "out": out_dir.relative_to(root).as_posix()
        if out_dir.is_relative_to(root)
        else str(out_dir),
        "clinics": sorted(settings.clinics),
        "handouts": sorted(settings.handouts),
        "langs": sorted(settings.langs),
        "variants": sorted(settings.variants),
        "formats": sorted(settings.formats),
        "profile": settings.profile,
        "forms": settings.forms,
        "strict": settings.strict,
        "release": settings.release,
        "shard": settings.shard,
        "proofs": settings.proofs,
        "day": lint_date(settings.lint_as_of).isoformat(),
        "source_date_epoch": source_date_epoch(),
        "acuprint": __version__,
        "python": sys.version,
        "installed": _distributions(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _distributions() -> list[str]:
    """Every installed distribution with its version, from the names of its metadata folders."""
    names: set[str] = set()
    for entry in sys.path:
        try:
            names.update(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
        except OSError:
            continue
    return sorted(names)


def _walk(root: Path) -> set[str]:
    """Keys of every source file: 'clinics/...' for the project, 'acuprint:...' for the package."""
    keys: set[str] = set()
    for name in SOURCES:
        _add_tree(root / name, name, keys)
    _add_tree(PACKAGE, "acuprint:", keys)
    return keys


def _add_tree(top: Path, prefix: str, keys: set[str]) -> None:
    if top.is_symlink():
        raise _Unstampable(top)
    if top.is_file():
        keys.add(prefix)
        return
    if not top.is_dir():
        return
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        base = Path(folder).relative_to(top).as_posix()
        for name in (*dirs, *names):
            path = Path(folder, name)
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                raise _Unstampable(path)
        for name in names:
            relative = name if base == "." else f"{base}/{name}"
            keys.add(prefix + relative if prefix.endswith(":") else f"{prefix}/{relative}")


def _path(root: Path, key: str) -> Path:
    if key.startswith("acuprint:"):
        return PACKAGE / key.removeprefix("acuprint:")
    return root / key


def _same(root: Path, key: str, state: FileState) -> bool:
    size, mtime, sha = state
    info = os.lstat(_path(root, key))
    if info.st_size != size:
        return False
    if mtime != -1 and info.st_mtime_ns == mtime:
        return True
    return file_digest(_path(root, key)) == sha


def _out_state(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file in the out folder (but the stamp and the lock): size and time."""
    state: dict[str, tuple[int, int]] = {}
    for folder, _dirs, names in os.walk(out_dir):
        for name in names:
            path = Path(folder, name)
            key = path.relative_to(out_dir).as_posix()
            if key in _NOT_OUTPUTS:
                continue
            info = os.lstat(path)
            state[key] = (info.st_size, info.st_mtime_ns)
    if MANIFEST not in state:
        raise ValueError("no manifest")
    return state
