"""Required content: a handout about pain always shows the warning signs first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acuprint.checks.lint import lint_project
from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]


def _ids(project: Path, handout: str) -> list[str]:
    loaded = load_project(project)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts[handout], "en"
    )
    return [s.id for s in composed.all_sections]


def test_a_recipe_cannot_leave_out_the_warning_signs(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/chronic-pain.toml", '    "red-flags",\n', "")
    assert _ids(project, "chronic-pain")[:2] == ["main-message-chronic-pain", "red-flags"]
    from datetime import date

    findings = lint_project(load_project(project), date(2026, 11, 21)).findings
    assert any(
        f.rule == "required/red-flags" and f.path.name == "chronic-pain.toml" for f in findings
    )


def test_warning_signs_listed_late_move_to_the_front(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/more-information.toml", '    "red-flags",\n', "")
    edit(
        "handouts/recipes/more-information.toml",
        '    "safety-tell-us",\n',
        '    "safety-tell-us",\n    "red-flags",\n',
    )
    assert _ids(project, "more-information")[0] == "red-flags"


def test_a_handout_not_about_pain_may_go_without(project: Path) -> None:
    assert "red-flags" not in _ids(project, "safety-intake")


def test_a_pain_recipe_cannot_opt_out_without_saying_so(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/first-visit.toml", '    "red-flags",\n', "")
    assert "red-flags" in _ids(project, "first-visit")
