"""Run render jobs: in this process, or in a pool of worker processes.

Each worker receives the validated project once, imports WeasyPrint once
and keeps one PDF renderer (fonts, parsed stylesheets) for its whole life.
A job that fails returns its error instead of stopping the others.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .compose import compose_handout
from .plan import Job
from .project import Project
from .render_html import render_html


@dataclass(frozen=True)
class JobResult:
    """What one job produced: the bytes, or the error that stopped it."""

    job: Job
    data: bytes | None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0


def render_job(project: Project, job: Job) -> JobResult:
    """Compose and render one output; never raises for a failed render."""
    started = time.perf_counter()
    try:
        composed = compose_handout(
            project, project.clinics[job.clinic], project.handouts[job.handout], job.lang
        )
        if job.format == "html":
            document = render_html(project, composed, standalone=True)
            data, pages, warnings = document.html.encode("utf-8"), None, document.warnings
        else:
            from .render_pdf import render_pdf  # WeasyPrint loads only when a PDF is rendered

            pdf = render_pdf(render_html(project, composed, standalone=False))
            data, pages, warnings = pdf.data, pdf.pages, pdf.warnings
    except Exception as exc:  # one output failing must not hide the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = (
            f"{type(exc).__name__}: {exc} (in {where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        )
        return JobResult(job, None, error=error, seconds=time.perf_counter() - started)
    return JobResult(job, data, pages, warnings, seconds=time.perf_counter() - started)


_worker_project: Project | None = None


def _start_worker(project: Project, warm_pdf: bool) -> None:
    global _worker_project
    _worker_project = project
    if warm_pdf:
        from .render_pdf import render_pdf  # noqa: F401  (import WeasyPrint once, up front)


def _run_in_worker(job: Job) -> JobResult:
    assert _worker_project is not None
    return render_job(_worker_project, job)


def execute(project: Project, jobs: Sequence[Job], workers: int) -> Iterator[JobResult]:
    """Render `jobs` with up to `workers` processes; yield results as they finish."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_job(project, job)
        return
    warm_pdf = any(job.format == "pdf" for job in jobs)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        initializer=_start_worker,
        initargs=(project, warm_pdf),
    ) as pool:
        futures = {pool.submit(_run_in_worker, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield JobResult(futures[future], None, error="the worker process died")
