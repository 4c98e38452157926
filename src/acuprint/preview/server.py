"""Live preview for designers: the HTML handout and its paged PDF side by side, reloading on save.

A small HTTP server on the loopback interface only. Pages render on request
from the files as they are now, cached by each output's fingerprint, so a
save re-renders only what it touched. A watcher polls the project's files;
when one changes, every open page reloads (Server-Sent Events). A broken
edit shows its problems in the page, and the preview recovers when the file
is fixed, without a restart.
"""

from __future__ import annotations

import html
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from acuprint.build.supervisor import Limits, Worker, load_limited
from acuprint.errors import AcuprintError, InputError
from acuprint.inputs.project import Project
from acuprint.jobs import Job, JobResult
from acuprint.preview.watch import Watcher
from acuprint.render.job import render_job

RELOAD_SCRIPT = """<script>
(function () {
  var source = new EventSource("/events?since=VERSION");
  source.onmessage = function () { location.reload(); };
})();
</script>"""


def reload_script(version: int) -> str:
    """The script that reloads a page rendered at `version` once the files change."""
    return RELOAD_SCRIPT.replace("VERSION", str(version))


@dataclass(frozen=True)
class Rendered:
    """A handout as the preview shows it."""

    html: bytes
    pdf: bytes
    pages: tuple[bytes, ...]


class Previewer:
    """Renders handouts for the preview in a supervised worker, reusing up-to-date results.

    A result is reused while every file its render read is unchanged (the
    same depfiles as the build). The worker runs under the same limits as a
    build's: past the deadline it is killed and replaced, so a hostile file
    cannot hang the preview.
    """

    def __init__(
        self, root: Path, limits: Limits | None = None, version: Callable[[], int] | None = None
    ) -> None:
        self.root = root.resolve()
        self.limits = limits or Limits()
        self._cache: dict[tuple[str, str, str], tuple[Rendered, str, dict[str, str | None]]] = {}
        self._lock = threading.Lock()
        self._worker: Worker | None = None
        self._version = version  # the watcher's count of changes to the project's files
        self._loading = threading.Lock()
        self._loaded: tuple[int, Project | AcuprintError] | None = None

    def project(self) -> Project:
        """The project as it is on disk now (raises InputError).

        With a watcher's version, it is loaded once per version: a page and
        its images, or many tabs at once, do not each read every file again
        (200 requests at once took minutes).
        """
        if self._version is None:
            return load_limited(self.root, self.limits)
        with self._loading:
            version = self._version()  # before loading: a save during it loads again
            if self._loaded is None or self._loaded[0] != version:
                try:
                    self._loaded = (version, load_limited(self.root, self.limits))
                except AcuprintError as error:
                    self._loaded = (version, error)
            outcome = self._loaded[1]
        if isinstance(outcome, AcuprintError):
            raise outcome
        return outcome

    def render(self, clinic: str, handout: str, lang: str) -> Rendered:
        """HTML, PDF and page images of one handout (raises AcuprintError for bad input)."""
        from acuprint.build.content import check_content
        from acuprint.build.depfiles import FileHashes, job_key
        from acuprint.build.settings import BuildSettings
        from acuprint.inputs.environment import source_date_epoch

        with self._lock:
            project = self.project()
            if (
                clinic not in project.clinics
                or handout not in project.handouts
                or lang not in project.clinics[clinic].profile.languages
            ):
                raise AcuprintError(f"no handout {handout!r} in {lang!r} for clinic {clinic!r}")
            profile = project.clinics[clinic].profile.print_profile
            jobs = [Job(clinic, handout, lang, "html"), Job(clinic, handout, lang, "pdf", profile)]
            key = "".join(
                job_key(j, proofs=False, source_date_epoch=source_date_epoch()) for j in jobs
            )
            cached = self._cache.get((clinic, handout, lang))
            if cached and cached[1] == key and FileHashes(self.root).unchanged(cached[2]):
                return cached[0]
            composed = check_content(project, jobs, BuildSettings())
            page, pdf = (self._render(project, job, composed) for job in jobs)
            for result in (page, pdf):
                if result.error or result.data is None:
                    raise AcuprintError(f"{result.job.path}: {result.error}")
            assert page.data is not None and pdf.data is not None
            rendered = Rendered(page.data, pdf.data, pdf.proofs)
            # Keep the newest only: memory stays flat.
            self._cache = {(clinic, handout, lang): (rendered, key, {**page.reads, **pdf.reads})}
            return rendered

    def _render(self, project: Project, job: Job, composed: Any) -> JobResult:
        from multiprocessing.connection import wait

        if self._worker is None:
            self._worker = Worker(self.limits)
        worker = self._worker
        worker.send(
            job, render_for_preview, project, job, composed[(job.clinic, job.handout, job.lang)]
        )
        timeout = None if worker.deadline is None else max(0.0, worker.deadline - time.monotonic())
        if worker.conn in wait([worker.conn, worker.process.sentinel], timeout):
            with suppress(EOFError, OSError):
                kind, value = worker.receive()
                if kind == "ok":
                    return cast(JobResult, value)
                if kind == "memory":
                    value = f"ran out of memory (limit {self.limits.memory_mb} MB)"
                self.close()
                return JobResult(job, None, error=str(value))
            error = "the worker process died while rendering it (a crash, or out of memory)"
        else:
            error = f"took longer than the {self.limits.seconds:g} s limit and was stopped"
        self.close()
        return JobResult(job, None, error=error)

    def close(self) -> None:
        """Stop the worker (a new one starts on the next render)."""
        if self._worker is not None:
            self._worker.kill()
            self._worker = None


def render_for_preview(state: object, project: Project, job: Job, composed: Any) -> JobResult:
    """What the preview's worker runs: one render, with page images for a PDF."""
    return render_job(project, job, proofs=job.format == "pdf", composed=composed)


def _error_page(error: Exception, root: Path, version: int) -> str:
    if isinstance(error, InputError):
        items = "".join(
            f"<li><pre>{html.escape(p.format(root))}</pre></li>" for p in error.problems
        )
        body = f"<h1>{len(error.problems)} problem(s) in the project files</h1><ul>{items}</ul>"
    else:
        body = f"<h1>The handout could not be built</h1><pre>{html.escape(str(error))}</pre>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Problem</title>'
        "<style>body{font-family:sans-serif;margin:2rem;color:#7a1b1b}pre{white-space:pre-wrap}"
        f"</style></head><body>{body}<p>Fix the file and save: this page reloads by itself.</p>"
        f"{reload_script(version)}</body></html>"
    )


def _index_page(project: Project, version: int) -> str:
    rows = []
    for clinic in project.clinics.values():
        for handout in project.handouts.values():
            for lang in clinic.profile.languages:
                href = f"/view/{clinic.id}/{handout.id}/{lang}"
                rows.append(
                    f'<li><a href="{html.escape(href)}">{html.escape(clinic.profile.name)}: '
                    f"{html.escape(handout.recipe.text(lang).title)} ({html.escape(lang)})</a></li>"
                )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>acuprint preview</title>'
        "<style>body{font-family:sans-serif;margin:2rem}</style></head><body>"
        f"<h1>acuprint preview</h1><ul>{''.join(rows)}</ul>{reload_script(version)}</body></html>"
    )


def _view_page(clinic: str, handout: str, lang: str, rendered: Rendered, version: int) -> str:
    base = f"/{clinic}/{handout}/{lang}"
    name = html.escape(f"{handout} ({clinic}, {lang})")
    pages = "".join(
        f'<img src="/page{base}/{n}.png" alt="page {n}">' for n in range(1, len(rendered.pages) + 1)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Preview: {name}</title>"
        "<style>body{margin:0;font-family:sans-serif}"
        ".side{display:flex;height:100vh}.side>*{flex:1;border:0;overflow:auto}"
        ".pdf{background:#8a8f94;padding:1rem}.pdf img{display:block;width:100%;max-width:700px;"
        "margin:0 auto 1rem;box-shadow:0 1px 4px #0006}nav{padding:.4rem 1rem;background:#1f2933}"
        "nav a{color:#fff;margin-right:1rem}</style></head><body>"
        f'<nav><a href="/">All handouts</a><a href="/pdf{base}.pdf">Open the PDF</a></nav>'
        f'<div class="side"><iframe title="HTML handout" src="/html{base}"></iframe>'
        f'<div class="pdf" role="region" aria-label="Printed pages">{pages}</div></div>'
        f"{reload_script(version)}</body></html>"
    )


def make_server(root: Path, port: int = 8000) -> tuple[ThreadingHTTPServer, Watcher]:
    """A preview server bound to 127.0.0.1 (loopback only) and its file watcher."""
    watcher = Watcher(root.resolve())
    previewer = Previewer(root, version=lambda: watcher.version)

    class Handler(BaseHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT  # a half-open connection is dropped, not kept forever

        def setup(self) -> None:
            super().setup()
            # The socket timeout is per read: a client sending a byte every few
            # seconds would hold its slot for ever. The whole request line and
            # headers get HEADER_SECONDS; past that the connection is closed.
            self._reading = threading.Timer(HEADER_SECONDS, self._drop)
            self._reading.daemon = True
            self._reading.start()

        def _drop(self) -> None:
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def parse_request(self) -> bool:
            parsed = super().parse_request()  # the headers are in: the deadline is met
            self._reading.cancel()
            return parsed

        def finish(self) -> None:
            self._reading.cancel()
            super().finish()

        def log_message(self, *args: object) -> None:
            pass  # quiet: the terminal shows only what the designer needs

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            host = self.headers.get("Host", "")
            if host.rsplit(":", 1)[0] not in ("127.0.0.1", "localhost"):
                # Refuse other names for this address (DNS rebinding).
                return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"forbidden")
            path, _, query = self.path.partition("?")
            parts = [unquote(p) for p in path.strip("/").split("/") if p]
            version = watcher.version  # before rendering: a save during it still reloads
            try:
                if not parts:
                    page = _index_page(previewer.project(), version)
                    return self._send(200, "text/html; charset=utf-8", page.encode())
                if parts == ["events"]:
                    since = query.removeprefix("since=")
                    return self._events(int(since) if since.isdecimal() else version)
                kind, rest = parts[0], parts[1:]
                if kind in ("view", "html", "pdf", "page") and len(rest) in (3, 4):
                    clinic, handout, lang = rest[0], rest[1], rest[2].removesuffix(".pdf")
                    rendered = previewer.render(clinic, handout, lang)
                    if kind == "view":
                        body = _view_page(clinic, handout, lang, rendered, version).encode()
                        return self._send(200, "text/html; charset=utf-8", body)
                    if kind == "html":
                        # As written, CSP included: the view page around it reloads it.
                        return self._send(200, "text/html; charset=utf-8", rendered.html)
                    if kind == "pdf":
                        return self._send(200, "application/pdf", rendered.pdf)
                    name = rest[3].removesuffix(".png") if len(rest) == 4 else "1"
                    if name.isdecimal() and len(name) < 5 and 1 <= int(name) <= len(rendered.pages):
                        return self._send(200, "image/png", rendered.pages[int(name) - 1])
                self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")
            except AcuprintError as error:
                page = _error_page(error, previewer.root, version)
                self._send(200, "text/html; charset=utf-8", page.encode())
            except Exception as error:  # never leave the browser with a dropped connection
                page = _error_page(
                    AcuprintError(f"{type(error).__name__}: {error}"), previewer.root, version
                )
                self._send(
                    HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page.encode()
                )

        def _events(self, version: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with suppress(OSError):
                self.wfile.write(b"retry: 1000\n\n")  # reconnect quickly when a stream ends
            # A stream ends after a while and the browser reconnects (EventSource
            # does so by itself), so an open tab never holds a slot for long.
            ends = time.monotonic() + EVENT_STREAM_SECONDS
            try:
                while time.monotonic() < ends:
                    new = watcher.wait(version, timeout=min(15, EVENT_STREAM_SECONDS))
                    if watcher._stop.is_set():
                        return
                    message = "reload" if new != version else "ping"
                    if new != version:
                        self.wfile.write(f"data: {json.dumps({'version': new})}\n\n".encode())
                    else:
                        self.wfile.write(f": {message}\n\n".encode())
                    self.wfile.flush()
                    version = new
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                return

    server = BoundedServer(("127.0.0.1", port), Handler)
    return server, watcher


# Connections served at once; more wait in the listen queue instead of each
# taking a thread. Event streams (page reloads) hold a slot while a page is open.
MAX_CONNECTIONS = 32
REQUEST_TIMEOUT = 20.0  # seconds a connection may stay silent
HEADER_SECONDS = 5.0  # seconds to send the request line and headers, however slowly
EVENT_STREAM_SECONDS = 60.0


class BoundedServer(ThreadingHTTPServer):
    """A threading server with a bounded number of threads and a deeper listen queue."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Wait for a free slot, then serve the connection in its own thread."""
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A broken or dropped connection is not news; anything else is one line, no trace."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):  # do_GET answers every error of its own
            sys.stderr.write(f"preview: a request failed: {type(error).__name__}: {error}\n")

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection; its slot is freed however it ends."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def serve(root: Path, port: int) -> Iterator[str]:
    """Run the preview until interrupted; yields the address once it listens."""
    server, watcher = make_server(root, port)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.serve_forever()
    finally:
        watcher.stop()
        server.server_close()
