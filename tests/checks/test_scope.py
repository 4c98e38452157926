"""The strict build lints what it prints: its clinics, handouts and languages, no more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from acuprint.checks.lint import lint_project
from acuprint.checks.scope import lint_printed
from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project

AS_OF = date(2026, 11, 21)
CURE = "Acupuncture cures back pain for good."


def _lint(root: Path, clinic: str, handout: str, lang: str) -> set[str]:
    project = load_project(root)
    composed = {
        (clinic, handout, lang): compose_handout(
            project, project.clinics[clinic], project.handouts[handout], lang
        )
    }
    report = lint_printed(project, composed, AS_OF)
    return {f"{f.path.name}: {f.rule}" for f in report.errors}


def test_only_the_printed_modules_are_judged(
    project: Path, edit: Callable[[str, str, str], None]
) -> None:
    # In the back-pain booklet, not in first-visit (nor, since the compact rewrite, in back-pain).
    module = "handouts/modules/how-it-may-work.md"
    edit(module, "No one knows for sure", f"{CURE} No one knows for sure")
    everything = lint_project(load_project(project), AS_OF)
    assert any(f.path.name == "how-it-may-work.md" for f in everything.errors)

    assert not any(
        name.startswith("how-it-may-work.md")
        for name in _lint(project, "marlowe-street", "first-visit", "en")
    )
    assert any(
        name.startswith("how-it-may-work.md: claims/")
        for name in _lint(project, "marlowe-street", "back-pain-booklet", "en")
    )
    # Spanish only: the English module is read (translations are checked against it), not judged.
    assert not any(
        name.startswith("how-it-may-work.md")
        for name in _lint(project, "cedar-hollow", "back-pain-booklet", "es")
    )
