"""Writing outputs: atomic files and the manifest of everything in the out folder."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from acuprint import __version__
from acuprint.atomic import write_atomic
from acuprint.errors import AcuprintError, BuildLocked, OutputError, UsageError

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    """One output file as the manifest records it, with its depfile."""

    clinic: str
    handout: str
    lang: str
    format: str
    path: str
    sha256: str
    bytes: int
    pages: int | None = None
    profile: str = ""
    key: str = ""  # the job's options and acuprint's version (see depfiles.job_key)
    inputs: dict[str, str | None] = field(default_factory=dict)  # file -> sha256 it read
    # Approved or a draft, who approved it, when, and when it is due for review
    # (inputs/approvals.Signoff.as_json); None for an output built before sign-off existed.
    signoff: dict[str, object] | None = None

    def as_json(self) -> dict[str, object]:
        """The entry as written to manifest.json (no `pages` for HTML)."""
        data = asdict(self)
        if self.pages is None:
            del data["pages"]
        if self.signoff is None:
            del data["signoff"]
        return data


_TEXT_FIELDS = ("clinic", "handout", "lang", "format", "path", "sha256")
_MAX_PAGES = 10_000


def entry_from_json(item: object) -> ManifestEntry | None:
    """A manifest entry from parsed JSON, or None if anything in it is malformed."""
    if not isinstance(item, dict):
        return None
    texts = [item.get(name) for name in _TEXT_FIELDS]
    if not all(isinstance(v, str) and v and "\0" not in v and len(v) < 1000 for v in texts):
        return None
    size, pages = item.get("bytes"), item.get("pages")
    if type(size) is not int or size < 0:
        return None
    if pages is not None and (type(pages) is not int or not 0 < pages <= _MAX_PAGES):
        return None
    inputs = item.get("inputs", {})
    if not isinstance(inputs, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in inputs.items()
    ):
        inputs = {}  # an old or damaged depfile: the output is simply rebuilt
    profile, key = item.get("profile", ""), item.get("key", "")
    path = str(item["path"])
    clinic, handout, lang, fmt = (str(v) for v in texts[:4])
    if not isinstance(profile, str) or not isinstance(key, str):
        return None
    if not _is_output_path(path, clinic, handout, lang, fmt):
        return None
    return ManifestEntry(
        clinic,
        handout,
        lang,
        fmt,
        path,
        str(item["sha256"]),
        size,
        pages,
        profile,
        key,
        inputs,
        _signoff_from_json(item.get("signoff")),
    )


_SIGNOFF_TEXT = ("state", "approved_on", "review_by")


def _signoff_from_json(value: object) -> dict[str, object] | None:
    """A manifest entry's sign-off summary, or None if it is missing or malformed."""
    if not isinstance(value, dict) or set(value) != {"pending", "approved_by", *_SIGNOFF_TEXT}:
        return None
    texts = [value[name] for name in _SIGNOFF_TEXT]
    people = value["approved_by"]
    if value["state"] not in ("approved", "draft") or type(value["pending"]) is not int:
        return None
    if not all(t is None or (isinstance(t, str) and len(t) <= 10) for t in texts[1:]):
        return None
    if not isinstance(people, list) or not all(
        isinstance(p, str) and len(p) <= 200 for p in people
    ):
        return None
    return dict(value)


_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# The only paths acuprint writes (render.job.Job.path):
# CLINIC/HANDOUT.LANG[.VARIANT][.PROFILE].FORMAT. Nothing else is taken from a manifest,
# so a URL ("http:", "javascript:") never becomes a link.
_OUTPUT_PATH = re.compile(
    rf"(?P<clinic>{_SLUG})/(?P<handout>{_SLUG})\.(?P<lang>[A-Za-z]{{2,3}}(?:-[A-Za-z0-9]{{1,8}})*)"
    rf"(?:\.{_SLUG})*\.(?P<format>pdf|html)"
)


def _is_output_path(path: str, clinic: str, handout: str, lang: str, fmt: str) -> bool:
    match = _OUTPUT_PATH.fullmatch(path)
    return match is not None and match.group("clinic", "handout", "lang", "format") == (
        clinic,
        handout,
        lang,
        fmt,
    )


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


MAX_MANIFEST_BYTES = 50_000_000


def _load_entries(path: Path) -> list[ManifestEntry]:
    """Every well-formed entry of a manifest file; raises ManifestError if it is not one."""
    if not path.is_file():
        raise ManifestError(f"{path} is not a regular file")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path} is larger than {MAX_MANIFEST_BYTES:,} bytes")
    try:
        raw = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        raise ManifestError(f"{path} is not valid JSON") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("outputs"), list):
        raise ManifestError(f'{path} has no list of "outputs"')
    entries = [entry_from_json(item) for item in raw["outputs"]]
    return [entry for entry in entries if entry is not None]


def read_manifest(out_dir: Path) -> list[ManifestEntry]:
    """Entries of an existing manifest that still describe a file in `out_dir`.

    An entry is dropped if it is malformed, its path leaves the folder, or its
    file is gone or has another size; [] if there is no readable manifest.
    """
    try:
        entries = _load_entries(out_dir / MANIFEST)
    except (OSError, ManifestError):
        return []
    return [entry for entry in entries if _describes_file(out_dir, entry)]


def _describes_file(out_dir: Path, entry: ManifestEntry) -> bool:
    path = out_dir / entry.path
    try:
        if not path.resolve().is_relative_to(out_dir.resolve()):
            return False
        return path.is_file() and path.stat().st_size == entry.bytes
    except (OSError, ValueError):
        return False


def write_manifest(
    out_dir: Path,
    entries: list[ManifestEntry],
    keep: Callable[[ManifestEntry], bool] = lambda entry: True,
    failed: dict[str, str] | None = None,
) -> Path:
    """Merge `entries` into the out folder's manifest (earlier entries `keep` allows).

    `failed` (path -> why) replaces the list of outputs that failed; None keeps it.
    """
    merged = {entry.path: entry for entry in read_manifest(out_dir) if keep(entry)}
    merged.update({entry.path: entry for entry in entries})
    failures = read_failed(out_dir) if failed is None else failed
    failures = {p: why for p, why in failures.items() if p not in merged}
    path = out_dir / MANIFEST
    write_manifest_file(path, [merged[key] for key in sorted(merged)], failures)
    return path


def read_failed(out_dir: Path) -> dict[str, str]:
    """The outputs the manifest lists as failed (path -> why); {} if none or unreadable."""
    try:
        raw = json.loads((out_dir / MANIFEST).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    items = raw.get("failed") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return {}
    return {
        str(item["path"]): str(item.get("error", ""))[:2000]
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and _OUTPUT_PATH.fullmatch(item["path"])
    }


class ManifestError(AcuprintError):
    """A manifest cannot be read, or two manifests disagree about the same output."""


class ManifestConflict(ManifestError):
    """Two manifests list different files at the same path: the shards disagree."""


def merge_manifests(paths: list[Path]) -> list[ManifestEntry]:
    """Combine shard manifests; the same path with different bytes is a conflict."""
    merged: dict[str, ManifestEntry] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        try:
            entries = _load_entries(path)
        except OSError as exc:
            raise ManifestError(f"{path} cannot be read: {exc.strerror}") from None
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


def is_acuprint_manifest(path: Path) -> bool:
    """True if `path` is a manifest that acuprint wrote."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return False
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(raw, dict) and str(raw.get("generator", "")).startswith("acuprint ")


def check_manifest_target(path: Path) -> None:
    """Refuse to write a merged manifest anywhere but a new file or a manifest acuprint wrote."""
    if not path.parent.is_dir():
        raise UsageError(
            f"--out {path}: the folder {path.parent} does not exist\n"
            "    fix: create it first, or give a path in an existing folder"
        )
    if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
        raise UsageError(
            f"--out {path} is not a regular file (a link, folder or device)\n"
            "    fix: give the path of a new file or of a manifest acuprint wrote"
        )
    if path.exists() and not is_acuprint_manifest(path):
        raise UsageError(
            f"--out {path} exists and is not a manifest acuprint wrote; it would be replaced\n"
            "    fix: give the path of a new file or of a manifest acuprint wrote"
        )


def write_manifest_file(
    path: Path, entries: list[ManifestEntry], failed: dict[str, str] | None = None
) -> None:
    """Write exactly `entries` (and the outputs that `failed`, path -> why) at `path`."""
    document: dict[str, object] = {
        "generator": f"acuprint {__version__}",
        "outputs": [entry.as_json() for entry in entries],
    }
    if failed:
        document["failed"] = [{"path": p, "error": failed[p]} for p in sorted(failed)]
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomic(path, text.encode())


LOCK = ".acuprint.lock"
# What write_atomic names a file it has not finished: ".NAME.XXXXXXXX.tmp".
_PARTIAL = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")


@contextmanager
def lock_out_folder(out_dir: Path) -> Iterator[str | None]:
    """Hold the out folder for one build; a second build at once gets BuildLocked.

    The lock is the kernel's (flock), so a build that dies, however it dies,
    releases it. It is held on the out folder itself, which a build cannot
    lose, and on the lock file, which names the build that holds it and is
    emptied when the build ends normally (deleting that file mid-build no
    longer lets a second build in). Yields the pid text of a build that died
    holding it, or None.
    """
    path = out_dir / LOCK
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"{path} is not a regular file\n    fix: remove it")
    folder = -1
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        folder = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        handle = path.open("a+")
    except OSError as exc:
        if folder >= 0:
            os.close(folder)
        raise OutputError(
            f"cannot write to {out_dir}: {exc.strerror}\n"
            "    fix: make the folder writable, free some space, or choose another with --out"
        ) from None
    with handle, _closing_descriptor(folder):
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read(200).strip() or "another process"
            raise BuildLocked(
                f"another acuprint build ({holder}) is writing to {out_dir}\n"
                "    fix: wait for it to finish, or build into another folder with --out"
            ) from None
        handle.seek(0)
        stale = handle.read(200).strip() or None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield stale
            handle.seek(0)
            handle.truncate()
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            fcntl.flock(folder, fcntl.LOCK_UN)


@contextmanager
def _closing_descriptor(descriptor: int) -> Iterator[int]:
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def remove_partial_files(out_dir: Path, clinics: Iterable[str]) -> list[Path]:
    """Delete files a killed build left half-written (call with the folder locked).

    Only temporary names write_atomic makes for the files acuprint writes, and
    only in the folders it writes: the manifest and contact sheet in the out
    folder, outputs in each clinic's folder, PNGs in its proofs folder. The
    same kind of name for any other file (someone else's) is left alone.
    """
    places: list[tuple[Path, Callable[[str], bool]]] = [
        (out_dir, lambda name: name in (MANIFEST, "index.html", ".acuprint-stamp.json"))
    ]
    for clinic in clinics:
        places.append((out_dir / clinic, lambda name: name.endswith((".pdf", ".html"))))
        places.append((out_dir / clinic / "proofs", lambda name: name.endswith(".png")))
    partial = []
    for folder, ours in places:
        if any(p.is_symlink() for p in (folder, folder.parent)) or not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = _PARTIAL.match(path.name)
            if match and ours(match.group(1)) and path.is_file() and not path.is_symlink():
                partial.append(path)
    for path in partial:
        path.unlink(missing_ok=True)
    return partial
