"""Loading and validating a project: every problem found, with file, line and fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from acuprint.errors import InputError, Problem
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]
CLINIC = "clinics/cedar-hollow/clinic.toml"


def _problems(project: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_project(project)
    return caught.value.problems


def _only(project: Path) -> Problem:
    [problem] = _problems(project)
    return problem


def test_sample_project_loads(project: Path) -> None:
    loaded = load_project(project)
    assert sorted(loaded.clinics) == ["bayside-pain-care", "cedar-hollow", "marlowe-street"]
    assert sorted(loaded.handouts) == [
        "back-pain",
        "back-pain-booklet",
        "brochure",
        "chronic-pain",
        "first-visit",
        "more-information",
        "safety-intake",
    ]
    assert {lang for _, lang in loaded.modules} == {"en", "es", "zh-Hans"}


def test_a_list_given_as_text(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'languages = ["en", "es", "zh-Hans"]', 'languages = "en"')
    problem = _only(project)
    assert (problem.key, problem.message) == ("languages", "'languages' must be a list")
    assert problem.fix == 'write it in square brackets, e.g. languages = ["..."]'
    assert problem.line == 11


def test_an_empty_module_list(project: Path, edit: Edit) -> None:
    path = project / "handouts/recipes/first-visit.toml"
    text = path.read_text()
    path.write_text(text[: text.index("modules = [")] + "modules = []\n")
    problem = _only(project)
    assert (problem.message, problem.fix) == ("'modules' is empty", "list at least one entry")


def test_a_module_listed_twice(project: Path, edit: Edit) -> None:
    edit(
        "handouts/recipes/first-visit.toml",
        '"safety-tell-us",',
        '"safety-tell-us",\n    "safety-tell-us",',
    )
    problem = _only(project)
    assert problem.message == "module 'safety-tell-us' is listed twice"
    assert problem.key == "modules[5]"


def test_a_language_listed_twice(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'languages = ["en", "es", "zh-Hans"]', 'languages = ["en", "en"]')
    assert _only(project).message == "language 'en' is listed twice"


def test_a_yaml_key_given_twice(project: Path, edit: Edit) -> None:
    edit("handouts/modules/benefits.md", "version: 3", "version: 3\nversion: 4")
    problem = _only(project)
    assert (problem.message, problem.line) == ("key 'version' is given twice", 5)


def test_a_logo_that_is_not_an_image(project: Path) -> None:
    (project / "clinics/cedar-hollow/logo.svg").write_text("hello")
    problem = _only(project)
    assert problem.message == "logo 'logo.svg' is not a valid SVG image"
    assert problem.fix == "export the logo again from your design tool"


def test_a_png_logo_is_checked_by_its_signature(project: Path, edit: Edit) -> None:
    (project / "clinics/cedar-hollow/logo.png").write_bytes(b"GIF89a not a png")
    edit(CLINIC, 'logo = "logo.svg"', 'logo = "logo.png"')
    assert _only(project).message == "logo 'logo.png' is not a PNG image"


def test_a_folder_where_a_module_should_be(project: Path) -> None:
    (project / "handouts/modules/extra.md").mkdir()
    problem = _only(project)
    assert (problem.file.name, problem.message) == ("extra.md", "is not a readable file")


def test_a_file_that_is_not_utf8_names_the_line(project: Path) -> None:
    path = project / "handouts/modules/benefits.md"
    path.write_bytes(path.read_bytes().replace(b"Chronic pain", b"Chr\xf6nic pain", 1))
    problem = _only(project)
    assert problem.message == "is not UTF-8 text"
    assert (
        problem.line
        == path.read_bytes()
        .split(b"\n")
        .index(next(line for line in path.read_bytes().split(b"\n") if b"\xf6" in line))
        + 1
    )


def test_a_byte_order_mark_is_accepted(project: Path) -> None:
    for relative in ("handouts/recipes/back-pain.toml", "handouts/modules/benefits.md"):
        path = project / relative
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    load_project(project)


def test_one_source_id_must_mean_one_citation(project: Path, edit: Edit) -> None:
    edit(
        "handouts/modules/types-of-acupuncture.md",
        "Acupuncture: what you need to know.",
        "Acupuncture.",
    )
    problem = _only(project)
    assert problem.file.name == "types-of-acupuncture.md"
    assert problem.message.startswith("source 'nccih' has a different citation in ")


def test_a_translation_missing_for_a_listed_language(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'languages = ["en", "es", "zh-Hans"]', 'languages = ["en", "fr"]')
    problem = _only(project)
    assert problem.message.startswith(
        "language 'fr' has no translation of: benefit-short-back-pain"
    )
    assert problem.fix == "add handouts/modules/<id>.fr.md files or remove 'fr'"
