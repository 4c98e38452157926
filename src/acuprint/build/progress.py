"""Build progress for people: a progress bar on a terminal, one line per output elsewhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from acuprint.jobs import JobResult


class LineProgress:
    """One plain line per finished output (CI logs, pipes)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def planned(self, todo: int, skipped: int) -> None:
        """Say how much work there is."""
        print(f"{todo} to build, {skipped} up to date", file=self._stream, flush=True)

    def finished(self, result: JobResult, status: str) -> None:
        """Log one output."""
        detail = f", {result.pages} pages" if result.pages else ""
        size = f"{len(result.data) // 1024} KB" if result.data else "no output"
        print(
            f"{status} {result.job.path} ({size}{detail}, {result.seconds:.2f} s)",
            file=self._stream,
            flush=True,
        )


class BarProgress:
    """A rich progress bar that counts outputs."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task: Any = None

    def planned(self, todo: int, skipped: int) -> None:
        """Start the bar."""
        self._task = self._progress.add_task(f"building ({skipped} up to date)", total=todo)

    def finished(self, result: JobResult, status: str) -> None:
        """Advance the bar; failures are printed above it."""
        if status == "failed":
            self._progress.console.print(f"failed {result.job.path}")
        self._progress.advance(self._task)


@contextmanager
def progress_for(stream: TextIO) -> Iterator[LineProgress | BarProgress]:
    """A bar when `stream` is an interactive terminal (and not CI), else plain lines."""
    if not stream.isatty() or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        yield LineProgress(stream)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream),
        transient=True,
    ) as progress:
        yield BarProgress(progress)
