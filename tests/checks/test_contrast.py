"""An unreadable brand colour stops every build (exit 2, the file, line, key and fix)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from acuprint.checks.contrast import unreadable_colours
from acuprint.cli import app
from acuprint.inputs.project import load_project
from tests.conftest import REPO


def test_a_light_primary_colour_is_an_input_error_in_a_build(
    project: Path, edit: Callable[[str, str, str], None], runner: CliRunner
) -> None:
    edit("clinics/cedar-hollow/clinic.toml", 'primary = "#2f6b4f"', 'primary = "#a8d5ba"')
    line = next(
        number
        for number, text in enumerate(
            (project / "clinics/cedar-hollow/clinic.toml").read_text().splitlines(), start=1
        )
        if text.startswith("primary =")
    )
    result = runner.invoke(
        app,
        ["build", "--project", str(project), "--clinic", "cedar-hollow", "--handout",
         "back-pain", "--lang", "en", "--format", "html"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        f"clinics/cedar-hollow/clinic.toml:{line}: colors.primary: #a8d5ba is too light to read: "
        "contrast 1.63:1 for headings and links on the white page, at least 4.5:1 needed"
    ) in result.stderr
    assert "fix: choose a darker primary colour in [colors]" in result.stderr
    assert "Nothing was built" in result.stderr
    assert not (project / "out").exists()


def test_a_light_text_colour_is_named_too(
    project: Path, edit: Callable[[str, str, str], None], runner: CliRunner
) -> None:
    edit("clinics/cedar-hollow/clinic.toml", 'text = "#1e2a24"', 'text = "#b0b0b0"')
    result = runner.invoke(
        app,
        ["build", "--project", str(project), "--clinic", "cedar-hollow", "--handout",
         "back-pain", "--lang", "en", "--format", "html"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "colors.text: #b0b0b0 is too light to read" in result.stderr
    assert "Traceback" not in result.output


def test_the_shipped_sample_clinics_are_readable() -> None:
    samples = load_project(REPO)
    assert unreadable_colours(samples, samples.clinics) == []
    starter = load_project(REPO / "src/acuprint/data/project")
    assert unreadable_colours(starter, starter.clinics) == []
