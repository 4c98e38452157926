"""`acuprint snapshot`: a project checks its own clinics' pages against its own references."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from acuprint.cli import app


def test_references_then_a_clinic_css_change_is_caught(
    runner: CliRunner, project: Path, edit: Callable[[str, str, str], None]
) -> None:
    args = ["snapshot", "--project", str(project), "--clinic", "marlowe-street",
            "--handout", "first-visit", "--lang", "en", "--variant", "standard",
            "--folder", "snapshots"]  # fmt: skip
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert "new      marlowe-street--first-visit.en-p01" in first.stdout
    references = sorted((project / "snapshots").glob("*.png"))
    assert len(references) >= 2

    same = runner.invoke(app, args)
    assert same.exit_code == 0, same.stderr
    assert f"{len(references)} page(s): 0 changed, {len(references)} the same" in same.stdout

    edit(
        "clinics/marlowe-street/clinic.css",
        "border-top: 6pt solid",
        "background: #000000; border-top: 6pt solid",
    )
    changed = runner.invoke(app, args)
    assert changed.exit_code == 1
    assert "changed  marlowe-street--first-visit.en-p01: " in changed.stdout
    failure = project / "snapshots" / "_failures" / "marlowe-street--first-visit.en-p01.png"
    with Image.open(failure) as image, Image.open(references[0]) as reference:
        assert image.width > 3 * 4 * reference.width  # reference | new | diff, enlarged
    assert "run again with --update" in changed.stderr

    updated = runner.invoke(app, [*args, "--update"])
    assert updated.exit_code == 0
    assert runner.invoke(app, args).exit_code == 0
