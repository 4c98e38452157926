"""Run work in child processes under limits enforced from outside the work.

A `Worker` is one child process. The parent holds the deadline and kills a
child that passes it (SIGKILL: native code cannot swallow it); the child's
memory is capped by the kernel (RLIMIT_AS). A child dies with its parent:
the kernel signals it when its parent process goes (PR_SET_PDEATHSIG), and a
watchdog thread ends it when the parent's end of a lifeline pipe closes.
Children start from a fork server, so they inherit no open file of the
parent (the out folder's lock included) and no thread.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acuprint.errors import AcuprintError

if TYPE_CHECKING:
    from acuprint.inputs.project import Project

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """What one piece of work may use before it is stopped: wall time and memory."""

    seconds: float = 120.0  # 0 for no time limit
    memory_mb: int = 1536  # 0 for no memory limit


class LimitExceeded(AcuprintError):
    """Work was stopped at its time or memory limit, or its process died."""


@cache
def _context() -> Any:
    return multiprocessing.get_context("forkserver")


def _die_with_parent(lifeline: Connection) -> None:
    """End this process when its parent ends, however the parent ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watchdog below still works
        pass

    def watch() -> None:
        with suppress(EOFError, OSError):
            lifeline.recv()  # the parent never sends: this returns only at EOF
        os._exit(70)

    threading.Thread(target=watch, name="acuprint-lifeline", daemon=True).start()


def _child(
    conn: Connection,
    lifeline: Connection,
    memory_mb: int,
    init: Callable[..., Any] | None,
    init_args: tuple[Any, ...],
    environment: dict[str, str],
) -> None:
    _die_with_parent(lifeline)
    # The fork server started with the environment of its day; a worker runs
    # with its parent's environment of now (SOURCE_DATE_EPOCH, cache folder...).
    os.environ.clear()
    os.environ.update(environment)
    tempfile.tempdir = None  # read TMPDIR afresh: the worker's own folder (see Worker)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    state = init(*init_args) if init else None
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", func(state, *args))
        except MemoryError:
            reply = ("memory", None)
        except AcuprintError as exc:  # plain messages travel as they are
            reply = ("error", exc)
        except BaseException as exc:
            reply = ("crash", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))


class Worker:
    """One child process that runs calls sent to it, one at a time."""

    def __init__(
        self,
        limits: Limits,
        init: Callable[..., Any] | None = None,
        init_args: tuple[Any, ...] = (),
    ) -> None:
        ctx = _context()
        # The child's temporary files (WeasyPrint's font folders, say) go in a folder
        # of its own, removed when it is killed: a killed process cleans nothing up.
        self._temporary = tempfile.mkdtemp(prefix="acuprint-worker-")
        environment = dict(os.environ, TMPDIR=self._temporary)
        self.conn, child_conn = ctx.Pipe()
        lifeline_r, self._lifeline = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_child,
            args=(child_conn, lifeline_r, limits.memory_mb, init, init_args, environment),
            daemon=True,
            name="acuprint-worker",
        )
        self.process.start()
        child_conn.close()
        lifeline_r.close()
        self.limits = limits
        self.task: Any = None  # what the worker is doing now, for the caller
        self.deadline: float | None = None

    def send(self, task: Any, func: Callable[..., Any], *args: Any) -> None:
        """Start `func(state, *args)` in the child; the deadline starts now."""
        self.task = task
        seconds = self.limits.seconds
        self.deadline = time.monotonic() + seconds if seconds > 0 else None
        self.conn.send((func, args))

    def receive(self) -> tuple[str, Any]:
        """The reply to the last call: ("ok", value), ("error", exc), ("memory"/"crash", detail)."""
        kind, value = self.conn.recv()
        self.task, self.deadline = None, None
        return kind, value

    @property
    def busy(self) -> bool:
        """True while a call is running."""
        return self.task is not None

    def kill(self) -> None:
        """Stop the child at once and release its pipes."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        for conn in (self.conn, self._lifeline):
            conn.close()
        self.process.close()
        shutil.rmtree(self._temporary, ignore_errors=True)


def call_limited(what: str, limits: Limits, func: Callable[..., Any], *args: Any) -> Any:
    """Run `func(None, *args)` in a child process under `limits`; return its value.

    Raises the AcuprintError the call raised, or LimitExceeded naming `what`
    when the call passes its deadline or memory cap, or its process dies.
    """
    from multiprocessing.connection import wait

    worker = Worker(limits)
    try:
        worker.send(what, func, *args)
        timeout = None if worker.deadline is None else max(0.0, worker.deadline - time.monotonic())
        ready = wait([worker.conn, worker.process.sentinel], timeout)
        if worker.conn in ready:
            try:
                kind, value = worker.receive()
            except (EOFError, OSError):
                kind, value = "crash", "the process ended without an answer"
        elif ready:
            kind, value = "crash", "the process ended without an answer"
        else:
            raise LimitExceeded(
                f"{what} took longer than {limits.seconds:g} s and was stopped "
                "(an input may be too large or too complex)"
            )
    finally:
        worker.kill()
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory":
        raise LimitExceeded(
            f"{what} needed more than {limits.memory_mb} MB of memory and was stopped "
            "(an input may be too large)"
        )
    raise LimitExceeded(f"{what} failed unexpectedly: {value}")


def _load(state: object, root: Path) -> Project:
    from acuprint.inputs.project import load_project  # in the child: the parent stays light

    return load_project(root)


def load_limited(root: Path, limits: Limits | None = None) -> Project:
    """`load_project` in a child process under `limits`: a hostile file cannot hang us."""
    result: Project = call_limited("reading the project's files", limits or Limits(), _load, root)
    return result
