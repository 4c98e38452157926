"""Shared fixtures: a copy of the sample project to break, and one real build of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

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


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One font-subset cache for the whole session, so copies of the project share it."""
    return tmp_path_factory.mktemp("cache")


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


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> BuildReport:
    """Every sample clinic x handout, PDF and HTML, built once for the session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACUPRINT_CACHE_DIR", str(shared_cache))
        return build(REPO, tmp_path_factory.mktemp("out"))
