"""Writing outputs: atomic files and the manifest of everything in the out folder."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__

MANIFEST = "manifest.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


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

    def as_json(self) -> dict[str, object]:
        """The entry as written to manifest.json (no `pages` for HTML)."""
        data = asdict(self)
        if self.pages is None:
            del data["pages"]
        return data


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
        os.chmod(temp, 0o666 & ~_UMASK)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> list[ManifestEntry]:
    """Entries of an existing manifest whose files still exist; [] if there is none."""
    try:
        raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        entries = [ManifestEntry(**item) for item in raw["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [entry for entry in entries if (out_dir / entry.path).is_file()]


def write_manifest(out_dir: Path, entries: list[ManifestEntry]) -> Path:
    """Merge `entries` into the out folder's manifest and write it atomically."""
    merged = {entry.path: entry for entry in read_manifest(out_dir)}
    merged.update({entry.path: entry for entry in entries})
    document = {
        "generator": f"acuprint {__version__}",
        "outputs": [merged[path].as_json() for path in sorted(merged)],
    }
    path = out_dir / MANIFEST
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
    return path
