"""Record every file a render reads, with a hash of the bytes it read (a depfile).

A render runs inside `recording()`; the places that read files (composition,
stylesheets, fonts, templates, the sandboxed fetcher) call `record`. A file
looked for and not found is recorded too (digest None), so creating it later
makes the output out of date, as make's depfiles do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

Reads = dict[Path, str | None]  # resolved path -> sha256 of what was read, None if absent

_current: ContextVar[Reads | None] = ContextVar("acuprint_reads", default=None)


def digest(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """Hex SHA-256 of a file, read a megabyte at a time (never whole into memory)."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def record(path: Path, data: bytes | None) -> None:
    """Note that the current render read `path` (None: looked for it, found nothing)."""
    reads = _current.get()
    if reads is not None:
        reads.setdefault(path.resolve(), None if data is None else digest(data))


def record_digest(path: Path, sha256: str) -> None:
    """Note a file read earlier (at load time) whose content hash is known."""
    reads = _current.get()
    if reads is not None:
        reads.setdefault(path.resolve(), sha256)


def read_bytes(path: Path) -> bytes:
    """Read a file and record it."""
    data = path.read_bytes()
    record(path, data)
    return data


@contextmanager
def recording() -> Iterator[Reads]:
    """Collect what the code inside the block reads."""
    reads: Reads = {}
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)
