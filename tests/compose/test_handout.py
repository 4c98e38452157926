"""Composition: recipe order, the disclaimer always last, references, stable dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]


def _compose(project: Path, handout: str) -> object:
    loaded = load_project(project)
    return compose_handout(loaded, loaded.clinics["cedar-hollow"], loaded.handouts[handout], "en")


def test_sections_follow_the_recipe_with_the_disclaimer_last(project: Path) -> None:
    loaded = load_project(project)
    recipe = loaded.handouts["first-visit"].recipe
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["first-visit"], "en"
    )
    assert [s.id for s in composed.all_sections] == recipe.modules
    assert composed.all_sections[-1].id == "disclaimer"


def test_disclaimer_is_added_when_a_recipe_leaves_it_out(project: Path) -> None:
    loaded = load_project(project)
    assert "disclaimer" not in loaded.handouts["chronic-pain"].recipe.modules
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["chronic-pain"], "en"
    )
    assert composed.all_sections[-1].id == "disclaimer"


def test_disclaimer_moves_last_when_a_recipe_puts_it_first(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/chronic-pain.toml", "modules = [", 'modules = [\n    "disclaimer",')
    loaded = load_project(project)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["chronic-pain"], "en"
    )
    ids = [s.id for s in composed.all_sections]
    assert ids.count("disclaimer") == 1 and ids[-1] == "disclaimer"


def test_references_list_each_source_once(project: Path) -> None:
    loaded = load_project(project)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["back-pain"], "en"
    )
    citations = [source.citation for source in composed.sources]
    assert len(citations) == len(set(citations))
    cited = {s.citation for section in composed.all_sections for s in section.sources}
    assert set(citations) == cited


def test_issued_date_is_the_newest_review_or_source_date_epoch(
    project: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for module in (project / "handouts/modules").glob("*.md"):  # all older, then one newer
        text = module.read_text(encoding="utf-8")
        module.write_text(re.sub(r"last_reviewed: [\d-]+", "last_reviewed: 2026-11-10", text))
    edit(
        "handouts/modules/what-to-expect-short.md",
        "last_reviewed: 2026-11-10",
        "last_reviewed: 2026-11-18",
    )
    loaded = load_project(project)
    handout = loaded.handouts["first-visit"]
    composed = compose_handout(loaded, loaded.clinics["cedar-hollow"], handout, "en")
    assert composed.issued == datetime(2026, 11, 18, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    composed = compose_handout(loaded, loaded.clinics["cedar-hollow"], handout, "en")
    assert composed.issued == datetime.fromtimestamp(1700000000, tz=UTC)
