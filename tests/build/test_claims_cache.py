"""A draft build trusts a claims check of the very same files; a release never does."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from acuprint.build import pipeline
from acuprint.build.claims_cache import clean_key
from acuprint.build.content import check_content
from acuprint.build.settings import BuildSettings
from acuprint.errors import InputError
from acuprint.inputs.project import load_project

ONE = BuildSettings(clinics=("cedar-hollow",), handouts=("first-visit",), formats=("html",))


def _check(root: Path, settings: BuildSettings) -> None:
    project = load_project(root)
    check_content(project, pipeline.select_jobs(project, settings), settings)


CALLS: list[object] = []  # the claims checks run since `checked` set up


@pytest.fixture
def checked(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACUPRINT_CACHE_DIR", str(tmp_path / "cache"))  # a cache of its own
    _check(project, ONE)  # finds nothing, remembers it
    CALLS.clear()

    def counted(*args: object) -> list[object]:
        CALLS.append(args)
        return []

    monkeypatch.setattr("acuprint.checks.claims.claim_problems", counted)
    return project


def _calls() -> int:
    return len(CALLS)


def test_a_draft_with_the_same_text_skips_the_check(checked: Path) -> None:
    css = checked / "styles" / "components.css"
    css.write_text(css.read_text() + "\n.x { color: red; }\n")  # not text a patient reads
    _check(checked, ONE)
    assert _calls() == 0


@pytest.mark.parametrize(
    "relative",
    ["handouts/modules/main-message-first-visit.md", "clinics/cedar-hollow/clinic.toml"],
)
def test_a_change_to_printed_text_checks_again(checked: Path, relative: str) -> None:
    path = checked / relative
    path.write_text(path.read_text() + "\n")
    _check(checked, ONE)
    assert _calls() == 1


@pytest.mark.parametrize("settings", [{"release": True}, {"strict": True}])
def test_release_and_strict_builds_never_trust_the_cache(
    checked: Path, settings: dict[str, bool]
) -> None:
    _check(checked, dataclasses.replace(ONE, **settings))
    assert _calls() == 1


def test_the_key_covers_the_projects_claims_toml_and_the_selection(project: Path) -> None:
    before = clean_key(project, {"cedar-hollow"}, {"en"})
    assert clean_key(project, {"cedar-hollow"}, {"es"}) != before
    (project / "claims.toml").write_text("# tighter rules\n")
    assert clean_key(project, {"cedar-hollow"}, {"en"}) != before


def test_a_claim_is_found_even_after_a_clean_check(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACUPRINT_CACHE_DIR", str(tmp_path / "cache"))
    _check(project, ONE)
    module = project / "handouts" / "modules" / "main-message-first-visit.md"
    module.write_text(module.read_text() + "\nAcupuncture cures back pain for good.\n")
    with pytest.raises(InputError) as error:
        _check(project, ONE)
    assert any("claims/" in problem.message for problem in error.value.problems)
