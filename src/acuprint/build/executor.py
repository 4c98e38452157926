"""The worker pool: render jobs in child processes, yield results as they finish.

Nothing but the pool lives here: each worker receives the validated project
once and calls `acuprint.render.job.render_job` for each job it is given.
The parent enforces every job's deadline and kills a worker that passes it;
a worker that dies (a native crash, memory) gets its job retried once in a
fresh worker of the same pool, and only a job that fails again is reported
as the cause. Closing the iterator (a write error in the caller, Ctrl-C)
kills every worker at once, so no queued render runs on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from multiprocessing.connection import wait
from typing import Any

from acuprint.build.supervisor import Limits, Worker
from acuprint.compose.handout import ComposedHandout
from acuprint.inputs.project import Project
from acuprint.jobs import Job, JobResult
from acuprint.render.job import render_job

Task = Callable[[Any, Job, bool, ComposedHandout | None], JobResult]


def _start(project: Project, warm_pdf: bool) -> Project:
    if warm_pdf:
        from acuprint.render.pdf import render_pdf  # noqa: F401  (import WeasyPrint once, up front)
    return project


def _render(
    project: Project, job: Job, proofs: bool, task: Task, composed: ComposedHandout | None
) -> JobResult:
    return task(project, job, proofs, composed)


def execute(
    project: Project,
    jobs: Sequence[Job],
    workers: int,
    limits: Limits | None = None,
    *,
    proofs: bool = True,
    task: Task = render_job,
    composed: dict[tuple[str, str, str], ComposedHandout] | None = None,
) -> Generator[JobResult, None, None]:
    """Render `jobs` with up to `workers` child processes; yield each result as it arrives.

    `task` is the function a worker calls per job (tests pass one that
    crashes); it must be importable by name.
    """
    limits = limits or Limits()
    handouts = composed or {}

    def send(worker: Worker, job: Job, tries: int) -> None:
        ready = handouts.get((job.clinic, job.handout, job.lang))
        worker.send((job, tries), _render, job, proofs, task, ready)

    warm_pdf = any(job.format == "pdf" for job in jobs)
    queue: deque[tuple[Job, int]] = deque((job, 0) for job in jobs)
    pool: list[Worker] = []
    try:
        while queue or any(w.busy for w in pool):
            for worker in [w for w in pool if not w.busy]:
                if not queue:
                    break
                send(worker, *queue.popleft())
            while queue and len(pool) < max(1, workers):
                worker = Worker(limits, _start, (project, warm_pdf))
                pool.append(worker)
                send(worker, *queue.popleft())
            yield from _collect(pool, queue, limits)
    finally:
        for worker in pool:
            worker.kill()


def _collect(
    pool: list[Worker], queue: deque[tuple[Job, int]], limits: Limits
) -> Iterator[JobResult]:
    """Wait for the next reply, death or deadline; yield what it settles."""
    busy = [w for w in pool if w.busy]
    deadlines = [w.deadline for w in busy if w.deadline is not None]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    handles = {w.conn: w for w in busy} | {w.process.sentinel: w for w in busy}
    ready = wait(list(handles), timeout)
    settled: set[int] = set()
    for handle in ready:
        worker = handles[handle]
        if id(worker) in settled:
            continue
        settled.add(id(worker))
        job, tries = worker.task
        deadline = worker.deadline
        kind, value = _reply(worker)
        if kind == "ok" and deadline is not None and time.monotonic() > deadline:
            # It finished, but past its deadline: the limit holds however late we look.
            yield _failed(job, f"took longer than the {limits.seconds:g} s limit (see --timeout)")
            continue
        if kind == "ok":
            yield value
            continue
        pool.remove(worker)
        worker.kill()
        if kind == "memory":
            yield _failed(job, f"ran out of memory (limit {limits.memory_mb} MB; see --max-memory)")
        elif kind == "died" and tries == 0:
            queue.append((job, 1))  # maybe another job's fault: once more, in a fresh worker
        elif kind == "died":
            yield _failed(
                job, "the worker process died while rendering it (a crash, or out of memory)"
            )
        else:
            yield _failed(job, str(value))
    now = time.monotonic()
    for worker in [w for w in pool if w.busy and w.deadline is not None and w.deadline <= now]:
        if id(worker) in settled:
            continue
        job, _ = worker.task
        pool.remove(worker)
        worker.kill()
        yield _failed(job, f"took longer than the {limits.seconds:g} s limit (see --timeout)")


def _reply(worker: Worker) -> tuple[str, Any]:
    if worker.conn.poll():
        try:
            return worker.receive()
        except (EOFError, OSError):
            pass
    return "died", None


def _failed(job: Job, error: str) -> JobResult:
    return JobResult(job, None, error=error)
