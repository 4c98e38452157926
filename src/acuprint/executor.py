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
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass

from .compose import compose_handout
from .plan import Job
from .preflight import preflight
from .project import Project
from .render_html import render_html
from .sandbox import BlockedFetch


@dataclass(frozen=True)
class JobResult:
    """What one job produced: the bytes, or the error that stopped it."""

    job: Job
    data: bytes | None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    proofs: tuple[bytes, ...] = ()  # a PNG per page of a PDF


def render_job(project: Project, job: Job, proofs: bool = True) -> JobResult:
    """Compose and render one output; never raises for a failed render."""
    started = time.perf_counter()
    pngs: tuple[bytes, ...] = ()
    try:
        composed = compose_handout(
            project, project.clinics[job.clinic], project.handouts[job.handout], job.lang
        )
        if job.format == "html":
            document = render_html(project, composed, standalone=True)
            data, pages, warnings = document.html.encode("utf-8"), None, tuple[str, ...]()
        else:
            from .render_pdf import render_pdf  # WeasyPrint loads only when a PDF is rendered

            document = render_html(
                project,
                composed,
                standalone=False,
                print_profile=job.profile,
                variant=job.variant,
                forms=job.forms,
            )
            pdf = render_pdf(document, job.profile, forms=job.forms)
            data, pages, warnings = pdf.data, pdf.pages, pdf.warnings
            checked = preflight(
                data,
                job.path,
                profile=job.profile,
                paper=composed.clinic.profile.paper,
                max_pages=_page_limit(composed.handout.recipe.max_pages, job.variant),
                page_limit_reason=(
                    "a tri-fold has 2 sides: the recipe has too much content for one"
                    if job.variant == "tri-fold"
                    else None
                ),
            )
            if not checked.ok:
                failed = "; ".join(f"{c.name}: {c.detail}" for c in checked.failures)
                raise PreflightFailed(f"preflight failed: {failed}")
            warnings = (*warnings, *(f"preflight: {c.name}: {c.detail}" for c in checked.warnings))
            if proofs:
                from .proofs import render_proofs

                pngs = tuple(render_proofs(data))
    except MemoryError:
        raise  # reported with the limit by render_limited
    except Exception as exc:  # one output failing must not hide the others
        if isinstance(exc, PreflightFailed | BlockedFetch):
            error = str(exc)  # already a plain message
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            place = f"{where.filename.rsplit('/', 1)[-1]}:{where.lineno}"
            error = f"{type(exc).__name__}: {exc} (in {place})"
        return JobResult(job, None, error=error, seconds=time.perf_counter() - started)
    return JobResult(job, data, pages, warnings, seconds=time.perf_counter() - started, proofs=pngs)


@dataclass(frozen=True)
class Limits:
    """What one render may use before it is stopped: wall time and worker memory."""

    seconds: float = 120.0
    memory_mb: int = 1536
    proofs: bool = True  # render a PNG proof of every PDF page


class PreflightFailed(Exception):
    """A rendered PDF failed a preflight check."""


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


def _page_limit(max_pages: int | None, variant: str) -> int | None:
    # A tri-fold is one sheet, two sides: more pages means the content does not
    # fit. Large print takes about twice the pages of the recipe's limit.
    if variant == "tri-fold":
        return 2
    if max_pages is None:
        return None
    return max_pages * 2 if variant == "large-print" else max_pages


_worker_project: Project | None = None
_worker_limits = Limits()


def _start_worker(project: Project, warm_pdf: bool, limits: Limits) -> None:
    global _worker_project, _worker_limits
    _worker_project, _worker_limits = project, limits
    if limits.memory_mb > 0:
        size = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if warm_pdf:
        from .render_pdf import render_pdf  # noqa: F401  (import WeasyPrint once, up front)


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
