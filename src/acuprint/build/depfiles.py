"""Is an output up to date? Its depfile (every file its render read) says.

Each render records the files it read with the hash of what it read (see
`acuprint.inputs.reads`); the manifest keeps that record per output. An
output is up to date when its key (acuprint's own code and data, WeasyPrint's
version, the date setting, the job's options) is unchanged and every file it
read still has the same hash, or is still absent. Editing a file rebuilds
exactly the outputs that read it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from acuprint import __version__, installed_version
from acuprint.inputs.reads import file_digest
from acuprint.jobs import PACKAGE, Job, depfile_path

# acuprint's own code and data; templates are files renders read and record.
_CODE_SUFFIXES = (".py", ".toml")


@cache
def _code_digest() -> str:
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file())
    hasher = hashlib.sha256()
    for path in files:
        hasher.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def job_key(job: Job, *, proofs: bool, source_date_epoch: str) -> str:
    """What, besides the files it reads, decides an output's bytes."""
    parts = [
        f"acuprint {__version__} {_code_digest()}",
        f"weasyprint {installed_version('weasyprint')}",
        f"SOURCE_DATE_EPOCH={source_date_epoch}",
        repr(job),
        f"proofs={proofs and job.format == 'pdf'}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class FileHashes:
    """Hashes files on demand, each once, for one build (or one preview request)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._seen: dict[str, str | None] = {}

    def current(self, key: str) -> str | None:
        """The hash of the file a depfile key names now; None if it is not a readable file.

        A manifest is read back from the out folder, so a key is only followed
        into the project or acuprint's package, and a file far larger than any
        input is never read (its output is simply rebuilt).
        """
        if key not in self._seen:
            self._seen[key] = _hash_of(depfile_path(key, self._root), self._root)
        return self._seen[key]

    def unchanged(self, reads: dict[str, str | None]) -> bool:
        """True if every file in a depfile still has the hash it had when read."""
        return bool(reads) and all(self.current(key) == sha for key, sha in reads.items())


# Larger than any file a render reads (the biggest bundled font is about 20 MB).
MAX_INPUT_BYTES = 64_000_000
_CHANGED = "changed"  # never equal to a recorded sha256


def _hash_of(path: Path, root: Path) -> str | None:
    """SHA-256 of a file inside the project or the package, read in chunks; see `current`."""
    try:
        resolved = path.resolve()
        if not any(resolved.is_relative_to(folder) for folder in (root.resolve(), PACKAGE)):
            return _CHANGED
        if not resolved.is_file():
            return None
        if resolved.stat().st_size > MAX_INPUT_BYTES:
            return _CHANGED
        return file_digest(resolved)
    except (OSError, ValueError):
        return None
