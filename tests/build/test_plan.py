"""The build plan's selection options, judged against the recipe files (not the planner)."""

from __future__ import annotations

import tomllib

import pytest

from acuprint.build.plan import SelectionError, plan_jobs
from acuprint.inputs.project import load_project
from tests.conftest import REPO


def _recipe_variants(handout: str) -> list[str]:
    recipe = tomllib.loads((REPO / "handouts" / "recipes" / f"{handout}.toml").read_text())
    return list(recipe.get("variants", []))


def test_variant_narrows_the_pdfs_to_the_named_layouts() -> None:
    project = load_project(REPO)
    select = {"clinics": ["cedar-hollow"], "handouts": ["back-pain"], "langs": ["en"]}
    assert _recipe_variants("back-pain") == ["large-print"]

    both = plan_jobs(project, formats=("pdf",), **select)  # type: ignore[arg-type]
    assert sorted(j.variant for j in both) == ["", "large-print"]
    large = plan_jobs(project, formats=("pdf",), variants=["large-print"], **select)  # type: ignore[arg-type]
    assert [j.variant for j in large] == ["large-print"]
    standard = plan_jobs(project, formats=("pdf",), variants=["standard"], **select)  # type: ignore[arg-type]
    assert [j.variant for j in standard] == [""]


def test_an_unknown_variant_names_the_ones_there_are() -> None:
    with pytest.raises(SelectionError) as caught:
        plan_jobs(load_project(REPO), variants=["larg-print"])
    message = str(caught.value)
    assert "unknown variant 'larg-print'. Did you mean 'large-print'?" in message
    assert "standard, large-print, tri-fold" in message
