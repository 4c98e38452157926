"""Regional markup is checked when the project loads: file, line and fix for each mistake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from acuprint.errors import InputError, Problem
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]
RED_FLAGS = "handouts/modules/red-flags.md"


def _problems(project: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_project(project)
    return list(caught.value.problems)


def _line(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def test_sample_regional_markup_is_valid(project: Path) -> None:
    loaded = load_project(project)
    assert loaded.regions.term("en", "uk", "emergency-number") == "999"
    assert loaded.regions.term("es", "us", "emergency-department") == "la sala de emergencias"


def test_an_unknown_term_is_reported_with_its_line_and_fix(project: Path, edit: Edit) -> None:
    edit(RED_FLAGS, "[[emergency-number]]", "[[emergency-numbr]]")
    [problem] = _problems(project)
    assert problem.file.name == "red-flags.md"
    assert problem.line == _line(project / RED_FLAGS, "[[emergency-numbr]]")
    assert problem.message == (
        "unknown term '[[emergency-numbr]]' in language 'en'. Did you mean 'emergency-number'?"
    )
    assert "define emergency-numbr under [en.us] and [en.uk]" in problem.fix


def test_a_term_missing_for_one_region_is_reported(project: Path, edit: Edit) -> None:
    edit("handouts/regions.toml", 'emergency-department = "A&E"\n', "")
    problems = _problems(project)
    # A&E is named in both warning-sign modules (back pain, and other pain).
    assert {p.file.name for p in problems} == {"red-flags.md", "red-flags-other-pain.md"}
    assert problems[0].message == (
        "term '[[emergency-department]]' has no wording for region uk in language 'en'"
    )
    assert problems[0].fix.startswith('add emergency-department = "..." under [en.uk]')


def test_an_unclosed_block_is_reported_where_it_opens(project: Path, edit: Edit) -> None:
    edit(
        RED_FLAGS,
        "::: uk\n**Get an urgent GP appointment or call NHS 111 the same day if you have back "
        "pain and:**\n:::\n",
        "::: uk\n**Get an urgent GP appointment or call NHS 111 the same day if you have back "
        "pain and:**\n",
    )
    [problem] = _problems(project)
    assert problem.line == _line(project / RED_FLAGS, "::: uk")
    assert "never closed" in problem.message
    assert problem.fix == "add a line ':::' where the regional text ends"


def test_an_unknown_region_is_reported(project: Path, edit: Edit) -> None:
    edit(RED_FLAGS, "::: uk\n", "::: gb\n")
    [problem] = _problems(project)
    assert problem.line == _line(project / RED_FLAGS, "::: gb")
    assert problem.message == "unknown region 'gb'."
    assert problem.fix == "open the block with '::: us' or '::: uk'"


def test_an_unknown_region_in_regions_toml_is_reported(project: Path, edit: Edit) -> None:
    edit("handouts/regions.toml", "[en.uk]\n", "[en.gb]\n")
    problems = _problems(project)
    assert any(
        p.file.name == "regions.toml" and p.message.startswith("unknown region 'gb'")
        for p in problems
    )


def test_the_clinic_region_defaults_from_the_address(project: Path, edit: Edit) -> None:
    edit("clinics/marlowe-street/clinic.toml", 'region = "uk"\n', "")
    loaded = load_project(project)
    assert loaded.clinics["marlowe-street"].profile.region_code == "uk"
    assert loaded.clinics["cedar-hollow"].profile.region_code == "us"


def test_a_term_too_long_to_expand_safely_is_reported(project: Path, edit: Edit) -> None:
    # 1,500 uses of a long term took the parent process to 1.8 GB.
    edit("handouts/regions.toml", 'emergency-number = "999"', f'emergency-number = "{"9" * 5000}"')
    regions = project / "handouts" / "regions.toml"
    problems = [p for p in _problems(project) if p.file == regions]
    assert [(p.line, p.key) for p in problems] == [
        (_line(regions, 'emergency-number = "999'), "en.uk.emergency-number")
    ]
    assert "5,000 characters long" in problems[0].message
    assert "keep it under 200 characters" in problems[0].fix
