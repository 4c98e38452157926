"""Hardening: render limits, crashed workers, the out-folder lock, and builds killed at random."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from acuprint.build.executor import execute
from acuprint.build.manifest import lock_out_folder
from acuprint.build.plan import plan_jobs
from acuprint.cli import app
from acuprint.inputs.project import load_project
from acuprint.jobs import Job, JobResult
from acuprint.render.job import render_job
from tests.conftest import build


def _build_cli(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["build", "--project", str(project), *args])
    return result.exit_code, result.stderr


def test_a_render_past_its_time_limit_fails_alone(project: Path) -> None:
    code, stderr = _build_cli(
        project, "--clinic", "cedar-hollow", "--handout", "back-pain", "--format", "pdf",
        "--lang", "en", "--timeout", "0.05",
    )  # fmt: skip
    assert code == 1
    assert "  cedar-hollow/back-pain.en.pdf: took longer than the 0.05 s limit (see --timeout)" in (
        stderr.splitlines()
    )
    assert "Traceback" not in stderr


def test_a_worker_out_of_memory_fails_with_a_plain_message(project: Path) -> None:
    code, stderr = _build_cli(
        project,
        "--clinic",
        "cedar-hollow",
        "--handout",
        "back-pain",
        "--format",
        "pdf",
        "--lang",
        "en",
        "--jobs",
        "2",
        "--max-memory",
        "200",  # enough to read the project (claims model included), too little to render
    )
    assert code == 1
    line = next(ln for ln in stderr.splitlines() if ln.startswith("  cedar-hollow/back-pain"))
    assert "out of memory" in line or "the worker process died" in line
    assert "Traceback" not in stderr
    assert not list((project / "out").rglob("*.pdf"))


def crash_on_one(project: object, job: Job, proofs: bool, composed: object) -> JobResult:
    """A task that kills its worker (as a native crash would) on one job, every time."""
    if job.path == "marlowe-street/first-visit.en.html":
        os._exit(9)
    return render_job(project, job, proofs, composed)  # type: ignore[arg-type]


def crash_once(project: object, job: Job, proofs: bool, composed: object) -> JobResult:
    """A task that kills its worker the first time it sees one job, then renders it."""
    marker = Path(os.environ["ACUPRINT_TEST_MARKER"])
    if job.path == "marlowe-street/first-visit.en.html" and not marker.exists():
        marker.touch()
        os._exit(9)
    return render_job(project, job, proofs, composed)  # type: ignore[arg-type]


def _html_jobs(project: Path) -> list[Job]:
    # Eight pages of three clinics in three languages: enough for a crash among them.
    return plan_jobs(
        load_project(project), handouts=["first-visit", "back-pain"], formats=("html",)
    )


def test_only_the_job_that_crashes_its_worker_fails(project: Path) -> None:
    jobs = _html_jobs(project)
    results = list(execute(load_project(project), jobs, 2, task=crash_on_one))
    failed = [r for r in results if r.error]
    assert [(r.job.path, r.error) for r in failed] == [
        (
            "marlowe-street/first-visit.en.html",
            "the worker process died while rendering it (a crash, or out of memory)",
        )
    ]
    assert len([r for r in results if r.data]) == len(jobs) - 1


def test_a_job_whose_worker_died_once_is_retried_and_succeeds(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACUPRINT_TEST_MARKER", str(tmp_path / "crashed"))
    jobs = _html_jobs(project)
    results = list(execute(load_project(project), jobs, 2, task=crash_once))
    assert (tmp_path / "crashed").exists()  # it did crash once
    assert not [r.error for r in results if r.error]
    assert sorted(r.job.path for r in results) == sorted(j.path for j in jobs)


def test_a_second_build_into_the_same_folder_is_refused(project: Path) -> None:
    out = project / "out"
    with lock_out_folder(out):
        code, stderr = _build_cli(project, "--format", "html", "--clinic", "cedar-hollow")
    assert code == 1
    assert f"error: another acuprint build (pid {os.getpid()}) is writing to {out}" in (
        stderr.splitlines()
    )
    assert "fix: wait for it to finish, or build into another folder with --out" in stderr
    assert not list(out.rglob("*.html"))
    # Once the first build is done, the folder is free again; the lock names nobody.
    assert _build_cli(project, "--format", "html", "--clinic", "cedar-hollow")[0] == 0
    assert (out / ".acuprint.lock").read_text() == ""


def test_partial_files_of_a_killed_build_are_removed(project: Path) -> None:
    only = {"clinics": ["cedar-hollow"], "handouts": ["back-pain"]}
    build(project, formats=("html",), workers=1, **only)  # type: ignore[arg-type]
    partial = project / "out" / "cedar-hollow" / ".back-pain.en.pdf.k3j9x2ab.tmp"
    partial.write_bytes(b"%PDF-1.7 half")
    someone_elses = project / "out" / "cedar-hollow" / "notes" / ".draft.k3j9x2ab.tmp"
    someone_elses.parent.mkdir()
    someone_elses.write_text("not acuprint's")
    build(project, formats=("pdf",), workers=1, **only)  # type: ignore[arg-type]
    assert not partial.exists()
    assert someone_elses.exists()  # only the folders acuprint writes are cleaned


def _check_out_folder(out: Path) -> int:
    """Every visible file is complete, every manifest entry matches its file; returns entries."""
    entries = []
    if (out / "manifest.json").exists():
        entries = json.loads((out / "manifest.json").read_text())["outputs"]
    for entry in entries:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    for path in out.rglob("*"):
        if not path.is_file() or path.name.startswith("."):
            continue  # hidden: a lock, or a temporary file the next build removes
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(PdfReader(path).pages) > 0
        elif path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path
        elif path.name == "manifest.json":
            json.loads(data)
    return len(entries)


def test_a_build_killed_at_random_moments_leaves_only_complete_files(project: Path) -> None:
    rng = random.Random(20261120)
    out = project / "out"
    command = [sys.executable, "-m", "acuprint", "build", "--project", str(project)]
    command += ["--clinic", "cedar-hollow", "--clinic", "marlowe-street", "--jobs", "2"]
    command += ["--handout", "first-visit", "--handout", "safety-intake", "--lang", "en"]
    command += ["--force"]
    kills = 0
    for _ in range(24):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(rng.uniform(0.05, 1.2))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        _check_out_folder(out)
    assert kills >= 20, f"only {kills} builds were still running when killed"
    # And the next build finishes the job from whatever state the kills left.
    subprocess.run([*command[:-1]], check=True, capture_output=True)
    jobs = plan_jobs(
        load_project(project),
        clinics=["cedar-hollow", "marlowe-street"],
        handouts=["first-visit", "safety-intake"],
        langs=["en"],
    )
    assert _check_out_folder(out) == len(jobs)
    assert not [p for p in out.rglob(".*.tmp")]
