"""The no-op fast path: a build that changes nothing answers from the stamp, and only then."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from acuprint.build import pipeline
from acuprint.build.settings import BuildSettings
from acuprint.build.stamp import STAMP, take_snapshot, unchanged_build, write_stamp
from acuprint.build.supervisor import Limits
from tests.conftest import REPO

# One clinic's first-visit HTML (three languages): enough outputs to stamp, cheap to render.
SMALL = BuildSettings(clinics=("cedar-hollow",), handouts=("first-visit",), formats=("html",))


@pytest.fixture(scope="module")
def _stamped_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stamped") / "project"
    for folder in ("clinics", "handouts", "styles", "review"):
        shutil.copytree(REPO / folder, root / folder)
    report = pipeline.build(root, SMALL)
    assert len(report.built) == 3 and not report.failures
    assert (root / "out" / STAMP).is_file()
    return root


@pytest.fixture
def stamped(_stamped_once: Path, tmp_path: Path) -> Path:
    """A private copy of a project built with SMALL (a copy keeps files' times)."""
    return Path(shutil.copytree(_stamped_once, tmp_path / "copy", symlinks=True))


def _loading_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the project was loaded")

    monkeypatch.setattr(pipeline, "load_limited", refuse)


def test_a_second_build_answers_without_loading_the_project(
    stamped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _loading_forbidden(monkeypatch)
    again = pipeline.build(stamped, SMALL)
    assert not again.built and len(again.skipped) == 3
    assert {e.path for e in again.skipped} == {
        f"cedar-hollow/first-visit.{lang}.html" for lang in ("en", "es", "zh-Hans")
    }


def test_the_command_line_fast_path_never_imports_the_engine(stamped: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "acuprint", "build"]
    command += ["--clinic", "cedar-hollow", "--handout", "first-visit", "--format", "html"]
    done = subprocess.run(command, cwd=stamped, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "0 built, 3 up to date" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "acuprint.build.stamp" in imported
    assert not {"acuprint.build.pipeline", "acuprint.inputs.project", "weasyprint"} & imported


@pytest.mark.parametrize(
    "change",
    [
        "edit a module",
        "add a module",
        "remove an approval file",
        "add a claims.toml",
        "touch an output",
        "delete a proof-less output",
    ],
)
def test_any_change_to_what_a_build_reads_or_wrote_takes_the_full_path(
    stamped: Path, change: str
) -> None:
    assert unchanged_build(stamped, SMALL) is not None
    modules = stamped / "handouts" / "modules"
    match change:
        case "edit a module":
            path = sorted(modules.glob("*.md"))[0]
            path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n")
        case "add a module":
            (modules / "zz-new.md").write_text("---\ntitle: New\n---\nText.\n")
        case "remove an approval file":
            next((stamped / "review").rglob("*.jsonl")).unlink()
        case "add a claims.toml":
            (stamped / "claims.toml").write_text("")
        case "touch an output":
            output = stamped / "out" / "cedar-hollow" / "first-visit.en.html"
            os.utime(output, ns=(0, 0))
        case "delete a proof-less output":
            (stamped / "out" / "cedar-hollow" / "first-visit.es.html").unlink()
    assert unchanged_build(stamped, SMALL) is None


def test_same_bytes_with_a_new_time_still_count_as_unchanged(stamped: Path) -> None:
    path = sorted((stamped / "handouts" / "modules").glob("*.md"))[0]
    os.utime(path, ns=(1, 1))
    assert unchanged_build(stamped, SMALL) is not None


def test_a_file_changed_just_before_the_snapshot_is_hashed_every_time(stamped: Path) -> None:
    # Within the clock's resolution a file can change again without its size or time
    # showing it ("racy"); such a file is hashed every time, never trusted by its time.
    path = sorted((stamped / "handouts" / "modules").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")  # its time is now: racy at the snapshot
    snapshot = take_snapshot(stamped, SMALL)
    assert snapshot is not None
    assert snapshot.files[path.relative_to(stamped).as_posix()][1] == -1
    outputs = [f"cedar-hollow/first-visit.{lang}.html" for lang in ("en", "es", "zh-Hans")]
    write_stamp(stamped / "out", snapshot, outputs, [])
    assert unchanged_build(stamped, SMALL) is not None
    before = path.stat()
    path.write_text(text.replace("a", "e", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert unchanged_build(stamped, SMALL) is None


@pytest.mark.parametrize(
    "other",
    [
        dataclasses.replace(SMALL, strict=True),
        dataclasses.replace(SMALL, release=True),
        dataclasses.replace(SMALL, langs=("en",)),
        dataclasses.replace(SMALL, lint_as_of=date(2030, 1, 1)),  # approvals may have lapsed
        dataclasses.replace(SMALL, force=True),
    ],
    ids=["strict", "release", "one language", "another day", "force"],
)
def test_other_settings_or_another_day_take_the_full_path(
    stamped: Path, other: BuildSettings
) -> None:
    assert unchanged_build(stamped, other) is None


def test_a_build_with_a_failed_output_leaves_no_stamp(project: Path) -> None:
    starved = dataclasses.replace(SMALL, limits=Limits(0.01, 0))  # every render times out
    report = pipeline.build(project, starved)
    assert report.failures
    assert not (project / "out" / STAMP).exists()
    assert unchanged_build(project, SMALL) is None


def test_the_snapshot_covers_the_project_and_acuprint_itself(project: Path) -> None:
    snapshot = take_snapshot(project, SMALL)
    assert snapshot is not None
    keys = set(snapshot.files)
    assert "clinics/cedar-hollow/clinic.toml" in keys
    assert any(k.startswith("review/") for k in keys)
    assert "acuprint:jobs.py" in keys
    assert any(k.startswith("acuprint:data/claims/model/") for k in keys)
    assert not any("__pycache__" in k for k in keys)


def test_a_symlinked_source_is_never_stamped(project: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.css").write_text("p { color: red }")
    (project / "styles" / "linked.css").symlink_to(tmp_path / "elsewhere.css")
    assert take_snapshot(project, SMALL) is None
