"""Watch the project's files: count changes, for the preview's reloads and build --watch."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from acuprint.render.job import PACKAGE

TEMPLATES = PACKAGE / "render" / "templates"


class Watcher:
    """Polls the files a handout is made from; counts changes."""

    def __init__(self, root: Path, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.version = 0
        self._seen = self._snapshot()
        self._changed = threading.Condition()
        self._stop = threading.Event()

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        found = {}
        for folder in (
            self.root / "styles",
            self.root / "handouts",
            self.root / "clinics",
            self.root / "review",  # approvals: a sign-off changes what the preview shows
            TEMPLATES,
        ):
            for path in folder.rglob("*"):
                try:
                    if path.is_file():
                        stat = path.stat()
                        found[path] = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    pass
        return found

    def poll(self) -> bool:
        """Look once; True (and a new version) if anything was added, removed or changed."""
        now = self._snapshot()
        if now == self._seen:
            return False
        self._seen = now
        with self._changed:
            self.version += 1
            self._changed.notify_all()
        return True

    def run(self) -> None:
        """Poll until stopped (run in a thread)."""
        while not self._stop.wait(self.interval):
            self.poll()

    def stop(self) -> None:
        """Stop polling and wake every waiter."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()

    def wait(self, version: int, timeout: float) -> int:
        """Block until the version moves past `version` (or `timeout`); return the version."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.version != version or self._stop.is_set(), timeout=timeout
            )
            return self.version


def watch_changes(root: Path, interval: float = 0.25) -> Iterator[int]:
    """Yield once now and again after every change to the project's files (for build --watch)."""
    watcher = Watcher(root.resolve(), interval)
    yield watcher.version
    while True:
        time.sleep(interval)
        if watcher.poll():
            yield watcher.version
