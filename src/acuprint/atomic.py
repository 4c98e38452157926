"""Write a file whole: readers see the old file or the new one, never half of it."""

from __future__ import annotations

import errno
import os
import secrets
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path, PurePosixPath


@cache
def _umask() -> int:
    # The only way to read the umask is to set it; done once, on first write.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_STOPS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _stops_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until a write has finished or cleaned up after itself.

    An interrupt raised between creating a temporary file and the `try` that
    removes it would leave the file behind; held for the few milliseconds of a
    write, it arrives right after (the build then stops as usual).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _stops_held():
        _write_atomic(path, data)


def _write_atomic(path: Path, data: bytes) -> None:
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


class LinkInTheWay(OSError):
    """A folder on the way to a file is a symbolic link: writing there could leave its folder."""


def link_on_the_way(root: Path, relative: str) -> Path | None:
    """The first folder of `relative` (below `root`) that is a symbolic link, or None."""
    folder = root
    for name in PurePosixPath(relative).parts[:-1]:
        folder = folder / name
        if folder.is_symlink():
            return folder
    return None


def write_inside(root: Path, relative: str, data: bytes) -> None:
    """Write `root/relative` whole, creating its folders, never through a symbolic link.

    Each folder below `root` is opened without following links (openat with
    O_NOFOLLOW), so a link swapped in at any moment makes the write fail
    instead of landing outside `root`. The file itself, if it is a link, is
    replaced, never written through.
    """
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts:
        raise ValueError(f"{relative!r} is not a path inside a folder")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for name in parts[:-1]:
            with suppress(FileExistsError):
                os.mkdir(name, dir_fd=folder)
            try:
                inner = os.open(name, _FOLDER_NOFOLLOW, dir_fd=folder)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(root / name):
                    message = "a folder on the way is a symbolic link"
                    raise LinkInTheWay(errno.ELOOP, message) from None
                raise
            os.close(folder)
            folder, root = inner, root / name
        _write_in(folder, parts[-1], data)
    finally:
        os.close(folder)


_FOLDER_NOFOLLOW = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _write_in(folder: int, name: str, data: bytes) -> None:
    """Write `name` in the open folder `folder` whole (a temp file, then a rename)."""
    with _stops_held():
        _write_whole(folder, name, data)


def _write_whole(folder: int, name: str, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        temp = f".{name}.{secrets.token_hex(4)}.tmp"  # the shape write_atomic's temp files have
        try:
            fd = os.open(temp, flags, 0o666, dir_fd=folder)  # the umask applies
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary name")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise
