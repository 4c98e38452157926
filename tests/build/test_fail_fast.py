"""A build stops at once on a write error, Ctrl-C, SIGTERM or SIGKILL; nothing keeps running."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from acuprint.build import pipeline
from acuprint.errors import OutputError
from tests.conftest import build


def _processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment carries `marker` (workers inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_until_gone(marker: str, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := _processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def test_a_disk_full_write_stops_a_30_output_build_within_2_seconds(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed_at: list[float] = []

    def disk_full(root: Path, relative: str, data: bytes) -> None:
        failed_at.append(time.monotonic())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "write_inside", disk_full)
    started = time.monotonic()
    with pytest.raises(OutputError, match="No space left on device"):
        build(project, formats=("pdf",), workers=2, proofs=False)
    stopped = time.monotonic()
    assert failed_at, "no output was written"
    assert stopped - failed_at[0] < 2.0, f"stopped {stopped - failed_at[0]:.1f} s after the error"
    assert not multiprocessing.active_children(), "workers still running after the build stopped"
    assert stopped - started < 60
    manifest = project / "out" / "manifest.json"
    if manifest.exists():  # true to what is on disk: nothing was written
        assert json.loads(manifest.read_text())["outputs"] == []


def _start_build(project: Path, marker: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "acuprint", "build", "--project", str(project)]
    command += ["--format", "pdf", "--jobs", "2", "--no-proofs"]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, marker: "1"},
        preexec_fn=ctrl_c_as_in_a_shell,
    )


def ctrl_c_as_in_a_shell() -> None:
    """Start the build with Ctrl-C's default action, as a terminal does.

    A process inherits an ignored SIGINT from its parent, and Python then keeps it
    ignored; some test processes run with it ignored, which a user's shell never does.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_first_output(project: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not list((project / "out").glob("*/*.pdf")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no output appeared"
        time.sleep(0.05)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 130)])
def test_an_interrupted_build_stops_at_once_and_cleanly(
    project: Path, sig: signal.Signals, code: int
) -> None:
    marker = f"ACUPRINT_TEST_{uuid.uuid4().hex}"
    process = _start_build(project, marker)
    _wait_for_first_output(project, process)
    sent = time.monotonic()
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 2.0
    assert process.returncode == code, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert not _wait_until_gone(marker)
    assert not list((project / "out").rglob(".*.tmp"))


def test_a_killed_build_leaves_no_worker_and_the_next_build_succeeds(project: Path) -> None:
    marker = f"ACUPRINT_TEST_{uuid.uuid4().hex}"
    process = _start_build(project, marker)
    _wait_for_first_output(project, process)
    os.kill(process.pid, signal.SIGKILL)  # the build alone: its workers must follow it
    process.communicate(timeout=30)
    assert not _wait_until_gone(marker), "workers outlived their killed build"
    again = [sys.executable, "-m", "acuprint", "build", "--project", str(project)]
    result = subprocess.run(
        [*again, "--format", "html", "--clinic", "marlowe-street"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
