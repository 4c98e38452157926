"""The preview server: a few slow clients cannot starve it."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from acuprint.preview import server as preview


def test_clients_trickling_their_headers_cannot_hold_every_slot(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(preview, "HEADER_SECONDS", 0.5)
    server, watcher = preview.make_server(project, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    stop = threading.Event()

    def trickle() -> None:  # a byte at a time, never a whole request line
        try:
            with socket.create_connection(("127.0.0.1", port)) as client:
                while not stop.is_set():
                    client.send(b"G")
                    time.sleep(0.2)
        except OSError:
            pass  # dropped by the server: what should happen

    attackers = [threading.Thread(target=trickle, daemon=True) for _ in range(2 * 32)]
    for thread in attackers:
        thread.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            # A wrong Host is answered at once, without loading the project.
            client.sendall(b"GET / HTTP/1.0\r\nHost: other.example\r\n\r\n")
            answer = client.recv(64)
        assert answer.startswith(b"HTTP/1.0 403"), answer
        assert time.monotonic() - started < 3
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        watcher.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_the_project_is_loaded_once_per_change_not_once_per_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []

    def load(root: Path, limits: object = None) -> object:
        loads.append(root)
        return object()

    monkeypatch.setattr(preview, "load_limited", load)
    version = [0]
    previewer = preview.Previewer(tmp_path, version=lambda: version[0])
    threads = [threading.Thread(target=previewer.project) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1  # 200 requests at once each loaded the project: minutes
    version[0] += 1  # a file was saved
    first = previewer.project()
    assert len(loads) == 2 and previewer.project() is first
