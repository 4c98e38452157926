"""A draft build skips the claims check when nothing the check reads has changed since it
last found no claim.

The claims check reads the text of every module, recipe and clinic (logos too),
the project's claims.toml, and acuprint's rules and model; it costs seconds, and
most builds change none of that (a stylesheet, a colour, an approval). After a
check that finds nothing, the build leaves an empty marker file in the cache
folder named by a hash of all those files' bytes, the clinics and languages it
covered, and the versions of the libraries the guard uses. A later draft build
with the same hash trusts it. A release or strict build never does: it checks
every word again, whatever the cache folder holds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from pathlib import Path

from acuprint import __version__, installed_version
from acuprint.atomic import write_atomic
from acuprint.inputs.environment import cache_dir
from acuprint.inputs.reads import file_digest
from acuprint.jobs import PACKAGE

_PROJECT_TREES = ("handouts", "clinics")
_GUARD = (
    PACKAGE / "checks" / "claims",
    PACKAGE / "checks" / "claim_rules.py",
    PACKAGE / "data" / "claims",
)
_LIBRARIES = ("simplemma", "py3langid", "numpy")


def clean_key(root: Path, clinic_ids: Collection[str], langs: Collection[str] | None) -> str:
    """The hash of everything the claims check of these clinics and languages reads."""
    hasher = hashlib.sha256()
    hasher.update(f"guard {guard_key()}\n".encode())
    hasher.update(f"clinics {sorted(clinic_ids)} langs {sorted(langs or ['*'])}\n".encode())
    for name, path in _files(root):
        hasher.update(f"{name}\0{file_digest(path)}\0".encode())
    return hasher.hexdigest()


def guard_key() -> str:
    """The hash of acuprint's own rules, model, corpus and the libraries they use."""
    hasher = hashlib.sha256()
    hasher.update(f"acuprint {__version__}\n".encode())
    for library in _LIBRARIES:
        hasher.update(f"{library} {installed_version(library)}\n".encode())
    for top in _GUARD:
        for name, path in _tree(top, "acuprint:" + top.relative_to(PACKAGE).as_posix()):
            if path.is_file():
                hasher.update(f"{name}\0{file_digest(path)}\0".encode())
    return hasher.hexdigest()


def cached_report(root: Path, key: str) -> str | None:
    """The corpus report made for this `guard_key`, if one was kept."""
    try:
        return (cache_dir(root) / "claims-report" / f"{key}.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def remember_report(root: Path, key: str, text: str) -> None:
    """Keep the corpus report for the next `lint --report` (best effort: a cache)."""
    try:
        folder = cache_dir(root) / "claims-report"
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.txt", text.encode())
    except OSError:
        pass


def known_clean(root: Path, key: str) -> bool:
    """True if a check of exactly these files found no claim."""
    return (_folder(root) / key).is_file()


def remember_clean(root: Path, key: str) -> None:
    """Note that the check of these files found no claim (best effort: a cache)."""
    try:
        folder = _folder(root)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / key).touch()
    except OSError:
        pass


def _folder(root: Path) -> Path:
    return cache_dir(root) / "claims-clean"


def _files(root: Path) -> list[tuple[str, Path]]:
    found = [(f"project:{name}", root / name) for name in ("claims.toml",)]
    for name in _PROJECT_TREES:
        found += _tree(root / name, f"project:{name}")
    return [(name, path) for name, path in found if path.is_file()]


def _tree(top: Path, prefix: str) -> list[tuple[str, Path]]:
    if top.is_file():
        return [(prefix, top)]
    found = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(folder, name)
            found.append((f"{prefix}/{path.relative_to(top).as_posix()}", path))
    return found
