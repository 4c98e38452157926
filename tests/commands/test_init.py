"""`acuprint init`: a new project from the installed package that builds at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from acuprint.cli import app
from tests.conftest import REPO

STARTER = REPO / "src" / "acuprint" / "data" / "project"


def test_init_then_build(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "my-handouts"
    made = runner.invoke(app, ["init", str(folder)])
    assert made.exit_code == 0, made.stderr
    assert f"Created an acuprint project in {folder}" in made.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["clinics", "handouts", "review", "styles"]
    built = runner.invoke(
        app,
        ["build", "--project", str(folder), "--handout", "first-visit", "--lang", "en",
         "--format", "pdf", "--no-proofs", "--jobs", "1"],
    )  # fmt: skip
    assert built.exit_code == 0, built.stderr
    assert sorted((folder / "out").rglob("*.pdf")) == [
        folder / "out" / "sample-clinic" / "first-visit.en.large-print.pdf",
        folder / "out" / "sample-clinic" / "first-visit.en.pdf",
    ]


def test_init_refuses_a_project_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "clinics").mkdir()
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path} already holds clinics/" in result.stderr


def test_the_starter_project_is_the_repository_s_own_content() -> None:
    """scripts/sync-project-template.sh refreshes the copy; this fails when it drifts."""
    copied = [
        p
        for p in STARTER.rglob("*")
        if p.is_file() and "clinics" not in p.parts and p.name != "fonts.toml"
    ]
    assert len(copied) > 40
    stale = [p for p in copied if p.read_bytes() != (REPO / p.relative_to(STARTER)).read_bytes()]
    assert not stale, f"run scripts/sync-project-template.sh: {stale}"
    modules = {p.name for p in (REPO / "handouts" / "modules").iterdir()}
    assert modules == {p.name for p in (STARTER / "handouts" / "modules").iterdir()}


def test_the_wheel_carries_templates_data_and_the_starter_project(tmp_path: Path) -> None:
    clone = tmp_path / "clone"  # setuptools builds in the source tree: use a copy of it
    shutil.copytree(REPO / "src", clone / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, clone / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(clone), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(tmp_path)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("acuprint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "acuprint/render/templates/handout.html.j2",
        "acuprint/data/claims/en.toml",
        "acuprint/data/project/clinics/sample-clinic/clinic.toml",
        "acuprint/data/project/clinics/sample-clinic/logo.svg",
        "acuprint/data/project/styles/fonts/open-sans/OpenSans-Regular.ttf",
        "acuprint/data/project/handouts/recipes/first-visit.toml",
        "acuprint/data/project/handouts/modules/disclaimer.es.md",
    ):
        assert needed in names, needed


def test_init_on_a_file_or_below_one_is_a_plain_error(runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    for target, words in ((file, "is a file, not a folder"), (file / "sub", "cannot create")):
        result = runner.invoke(app, ["init", str(target)])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr.startswith("error: ") and str(target) in result.stderr
        assert words in result.stderr
        assert "fix:" in result.stderr and "Traceback" not in result.stderr
    assert file.read_text() == "mine" and sorted(tmp_path.iterdir()) == [file]
