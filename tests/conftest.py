"""Shared fixtures: a copy of the sample project to break, and real builds of it made once.

The suite runs in several processes (pytest-xdist). Builds of the unchanged
sample project are made once per test run, whichever process asks first, and
shared through files: each lives in its own out folder under the run's
temporary folder, and its report is kept beside it. A test that breaks or
edits something works on its own copy (`project`, `built_project`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from acuprint.build.manifest import ManifestEntry
from acuprint.build.pipeline import BuildObserver, BuildReport
from acuprint.build.pipeline import build as run_build
from acuprint.build.settings import BuildSettings

REPO = Path(__file__).resolve().parents[1]


def build(
    root: Path,
    out_dir: Path | None = None,
    *,
    observer: BuildObserver | None = None,
    **options: Any,
) -> BuildReport:
    """The library's build with settings given as keywords (lists become tuples)."""
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    return run_build(root, BuildSettings(out_dir=out_dir, **fields), observer)


def sheets(entries: Iterable[ManifestEntry]) -> list[ManifestEntry]:
    """The standard outputs among `entries` (not the large-print variants of a handout)."""
    return [entry for entry in entries if ".large-print." not in entry.path]


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder every test process of this run shares (xdist gives each its own basetemp)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Holds an exclusive lock on `path` across test processes."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One font-subset cache for the whole run (every process), so every build shares it."""
    cache = _run_folder(tmp_path_factory) / "font-cache"
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(autouse=True)
def _use_shared_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACUPRINT_CACHE_DIR", str(shared_cache))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the sample project (clinics, handouts, styles, approvals)."""
    root = tmp_path / "project"
    for folder in ("clinics", "handouts", "styles", "review"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def edit(project: Path) -> Callable[[str, str, str], None]:
    """Replace text in one project file, failing loudly if the text is not there."""

    def replace(relative: str, old: str, new: str) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace


@pytest.fixture
def runner() -> CliRunner:
    """Typer's test runner."""
    return CliRunner()


SampleBuild = Callable[..., BuildReport]


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> SampleBuild:
    """Builds the unchanged sample project with the given settings, once per test run.

    Builds with the same profile, forms and proofs settings share an out folder,
    so a narrower selection reuses what a wider one rendered. Treat the files
    as read-only: copy them to change them.
    """
    root = _run_folder(tmp_path_factory) / "sample-builds"
    root.mkdir(exist_ok=True)

    def run(**options: Any) -> BuildReport:
        folder = "{}-{}-{}".format(
            options.get("profile") or "office",
            "forms" if options.get("forms") else "plain",
            "proofs" if options.get("proofs", True) else "noproofs",
        )
        key = hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()[:16]
        saved = root / f"{folder}.{key}.report"
        with _locked(root / f"{folder}.lock"):
            if saved.exists():
                report: BuildReport = pickle.loads(saved.read_bytes())
                return report
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("ACUPRINT_CACHE_DIR", str(shared_cache))
                report = build(REPO, root / folder, **options)
            saved.write_bytes(pickle.dumps(report))
            return report

    return run


@pytest.fixture(scope="session")
def sample_build(sample_builds: SampleBuild) -> BuildReport:
    """Every sample clinic x handout, PDF and HTML, built once for the test run."""
    return sample_builds()


@pytest.fixture
def built_project(project: Path, sample_build: BuildReport) -> Path:
    """A private copy of the sample project with its out folder built (rebuilding is a no-op)."""
    shutil.copytree(sample_build.out_dir, project / "out")
    return project


# What makes a test slow: a fixture that renders the whole sample project, or a
# file that drives a browser, kills builds or generates hundreds of inputs.
SLOW_FIXTURES = {"sample_build", "sample_builds", "built_project"}
SLOW_FILES = {
    "test_browser.py",
    "test_release.py",
    "test_properties.py",
    "test_fuzz.py",
    "test_snapshots.py",
    "test_kill_safety.py",
    "test_fail_fast.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks slow tests, so `-m "not slow"` is a loop of a minute or two."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SLOW_FIXTURES or item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
