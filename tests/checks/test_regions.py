"""The build refuses a handout that prints the other region's words (exit 2, nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from acuprint.cli import app

Edit = Callable[[str, str, str], None]


def _build(project: Path, clinic: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--project",
            str(project),
            "--clinic",
            clinic,
            "--handout",
            "back-pain",
            "--format",
            "html",
            "--no-proofs",
            "--jobs",
            "1",
        ],
    )
    return result.exit_code, result.stderr


def test_a_uk_term_in_shared_text_fails_a_us_build(project: Path, edit: Edit) -> None:
    edit(
        "handouts/modules/side-effects-short.md",
        "or your doctor**",
        "or your GP**",
    )
    code, stderr = _build(project, "cedar-hollow")
    assert code == 2
    assert "handouts/modules/side-effects-short.md:" in stderr
    assert "'GP' is UK wording, but cedar-hollow is a US clinic (back-pain, en" in stderr
    assert "fix: put it in a '::: uk' block with a '::: us' version beside it" in stderr
    assert not (project / "out" / "cedar-hollow").exists()


def test_a_us_term_fails_a_uk_build_but_not_a_us_one(project: Path, edit: Edit) -> None:
    edit(
        "handouts/modules/what-to-expect-short.md",
        "Wear loose clothes",
        "Call 911 if you must. Wear loose clothes",
    )
    code, stderr = _build(project, "marlowe-street")
    assert code == 2 and "'911' is US wording, but marlowe-street is a UK clinic" in stderr
    code, _ = _build(project, "cedar-hollow")
    assert code == 0


def test_clinic_text_is_checked_too(project: Path, edit: Edit) -> None:
    edit(
        "clinics/marlowe-street/clinic.toml",
        'license = "British Acupuncture Council member no. 0000 (sample)"',
        'license = "State license 0000 (sample)"',
    )
    code, stderr = _build(project, "marlowe-street")
    assert code == 2
    assert "clinics/marlowe-street/clinic.toml" in stderr and "'license' is US wording" in stderr
