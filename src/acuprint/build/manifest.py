"""Writing outputs: atomic files and the manifest of everything in the out folder."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from acuprint import __version__
from acuprint.errors import BuildLocked

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    """One output file as the manifest records it."""

    clinic: str
    handout: str
    lang: str
    format: str
    path: str
    sha256: str
    bytes: int
    pages: int | None = None
    profile: str = ""
    inputs: str = ""

    def as_json(self) -> dict[str, object]:
        """The entry as written to manifest.json (no `pages` for HTML)."""
        data = asdict(self)
        if self.pages is None:
            del data["pages"]
        return data


@cache
def _umask() -> int:
    # The only way to read the umask is to set it; done once, on first write.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> list[ManifestEntry]:
    """Entries of an existing manifest that still describe a file in `out_dir`.

    An entry is dropped if its path leaves the folder, or its file is gone
    or has another size; [] if there is no readable manifest.
    """
    try:
        raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        entries = [ManifestEntry(**item) for item in raw["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [entry for entry in entries if _describes_file(out_dir, entry)]


def _describes_file(out_dir: Path, entry: ManifestEntry) -> bool:
    path = out_dir / entry.path
    if Path(entry.path).is_absolute() or not path.resolve().is_relative_to(out_dir.resolve()):
        return False
    try:
        return path.is_file() and path.stat().st_size == entry.bytes
    except OSError:
        return False


def write_manifest(
    out_dir: Path,
    entries: list[ManifestEntry],
    keep: Callable[[ManifestEntry], bool] = lambda entry: True,
) -> Path:
    """Merge `entries` into the out folder's manifest (earlier entries `keep` allows)."""
    merged = {entry.path: entry for entry in read_manifest(out_dir) if keep(entry)}
    merged.update({entry.path: entry for entry in entries})
    path = out_dir / MANIFEST
    write_manifest_file(path, [merged[key] for key in sorted(merged)])
    return path


class ManifestConflict(ValueError):
    """Two manifests disagree about the same output."""


def merge_manifests(paths: list[Path]) -> list[ManifestEntry]:
    """Combine shard manifests; the same path with different bytes is a conflict."""
    merged: dict[str, ManifestEntry] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = [ManifestEntry(**item) for item in raw["outputs"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ManifestConflict(f"{path}: not a readable acuprint manifest ({exc})") from None
        for entry in entries:
            seen = merged.get(entry.path)
            if seen is not None and seen.sha256 != entry.sha256:
                raise ManifestConflict(
                    f"{entry.path}: {origin[entry.path]} and {path} list different files"
                    f" (sha256 {seen.sha256[:12]}... and {entry.sha256[:12]}...)"
                )
            merged[entry.path] = entry
            origin[entry.path] = path
    return [merged[key] for key in sorted(merged)]


def write_manifest_file(path: Path, entries: list[ManifestEntry]) -> None:
    """Write exactly `entries` as a manifest at `path`."""
    document = {
        "generator": f"acuprint {__version__}",
        "outputs": [entry.as_json() for entry in entries],
    }
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())


LOCK = ".acuprint.lock"
_PARTIAL = ".*.tmp"  # what write_atomic names a file it has not finished


@contextmanager
def lock_out_folder(out_dir: Path) -> Iterator[None]:
    """Hold the out folder for one build; a second build at once gets BuildLocked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(
                f"another acuprint build ({holder}) is writing to {out_dir}\n"
                "    fix: wait for it to finish, or build into another folder with --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_partial_files(out_dir: Path) -> list[Path]:
    """Delete files a killed build left half-written (call with the folder locked)."""
    partial = [p for p in out_dir.rglob(_PARTIAL) if p.is_file()]
    for path in partial:
        path.unlink(missing_ok=True)
    return partial
