"""Run render jobs: in this process, or in a pool of worker processes.

Each worker receives the validated project once, imports WeasyPrint once
and keeps one PDF renderer (fonts, parsed stylesheets) for its whole life.
A job that fails returns its error instead of stopping the others.
"""

from __future__ import annotations

import resource
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass

from acuprint.build.plan import Job
from acuprint.inputs.project import Project
from acuprint.render.job import JobResult, render_job


@dataclass(frozen=True)
class Limits:
    """What one render may use before it is stopped: wall time and worker memory."""

    seconds: float = 120.0
    memory_mb: int = 1536
    proofs: bool = True  # render a PNG proof of every PDF page


class RenderTimeout(BaseException):
    """A render ran past its time limit (a BaseException, so no handler swallows it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise RenderTimeout in this thread after `seconds` (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RenderTimeout(f"took longer than the {seconds:g} s limit (see --timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_limited(project: Project, job: Job, limits: Limits) -> JobResult:
    """`render_job` under the time limit, with plain messages for exhausted limits."""
    started = time.perf_counter()
    try:
        with _time_limit(limits.seconds):
            return render_job(project, job, limits.proofs)
    except RenderTimeout as exc:
        error = str(exc)
    except MemoryError:
        error = f"ran out of memory (limit {limits.memory_mb} MB per worker; see --max-memory)"
    return JobResult(job, None, error=error, seconds=time.perf_counter() - started)


_worker_project: Project | None = None
_worker_limits = Limits()


def _start_worker(project: Project, warm_pdf: bool, limits: Limits) -> None:
    global _worker_project, _worker_limits
    _worker_project, _worker_limits = project, limits
    if limits.memory_mb > 0:
        size = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if warm_pdf:
        from acuprint.render.pdf import render_pdf  # noqa: F401  (import WeasyPrint once, up front)


def _run_in_worker(job: Job) -> JobResult:
    assert _worker_project is not None
    return render_limited(_worker_project, job, _worker_limits)


def execute(
    project: Project, jobs: Sequence[Job], workers: int, limits: Limits | None = None
) -> Iterator[JobResult]:
    """Render `jobs` with up to `workers` processes; yield results as they finish.

    With one worker, jobs render in this process (time limit only). Otherwise
    each worker has the time and memory limits; if a worker dies (a crash in
    a native library, say), the jobs it took down are retried one at a time
    in a fresh process, so only the job that kills its worker fails.
    """
    limits = limits or Limits()
    if not jobs:
        return
    if workers <= 1:
        for job in jobs:
            yield render_limited(project, job, limits)
        return
    warm_pdf = any(job.format == "pdf" for job in jobs)
    interrupted: list[Job] = []
    yield from _pool(project, jobs, workers, limits, warm_pdf, interrupted)
    for job in interrupted:  # alone, so a crash can only be this job's own
        retry: list[Job] = []
        yield from _pool(project, [job], 1, limits, warm_pdf, retry)
        if retry:
            error = "the worker process died while rendering it (a crash, or out of memory)"
            yield JobResult(job, None, error=error)


def _pool(
    project: Project,
    jobs: Sequence[Job],
    workers: int,
    limits: Limits,
    warm_pdf: bool,
    interrupted: list[Job],
) -> Iterator[JobResult]:
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        initializer=_start_worker,
        initargs=(project, warm_pdf, limits),
    ) as pool:
        futures = {pool.submit(_run_in_worker, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                interrupted.append(futures[future])
