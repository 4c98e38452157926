"""What people write is accepted when it is unambiguous, and normalised in the schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app
from acuprint.inputs.named_colours import CSS_COLOUR_NAMES
from acuprint.inputs.project import load_project
from acuprint.inputs.schema import BrandColours, ClinicProfile

Edit = Callable[[str, str, str], None]
CLINIC = "clinics/cedar-hollow/clinic.toml"


def test_the_css_colour_table_has_all_148_names() -> None:
    assert len(CSS_COLOUR_NAMES) == 148
    assert CSS_COLOUR_NAMES["rebeccapurple"] == "#663399"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("purple", "#800080"),
        ("Purple", "#800080"),
        ("forest green", "#228b22"),
        ("c9822b", "#c9822b"),
        ("C9822B", "#c9822b"),
        ("#C9822B", "#c9822b"),
        ("fff", "#fff"),
    ],
)
def test_colour_names_and_bare_hex_become_hex_codes(written: str, meant: str) -> None:
    colours = BrandColours(primary=written, accent="#000000", text="#000000")
    assert colours.primary == meant


def test_paper_in_any_case(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'paper = "letter"', 'paper = "A4"')
    edit(CLINIC, 'primary = "#2f6b4f"', 'primary = "purple"')
    edit(CLINIC, 'accent = "#c9822b"', 'accent = "c9822b"')
    profile = load_project(project).clinics["cedar-hollow"].profile
    assert (profile.paper, profile.colors.primary, profile.colors.accent) == (
        "a4",
        "#800080",
        "#c9822b",
    )


@pytest.mark.parametrize("written", ["Open Sans", "open sans", "OPEN-SANS", "open-sans"])
def test_a_font_by_its_display_name(project: Path, edit: Edit, written: str) -> None:
    edit(CLINIC, 'body = "lato"', f'body = "{written}"')
    edit(CLINIC, 'headings = "roboto-slab"', 'headings = "Charis SIL"')
    fonts = load_project(project).clinics["cedar-hollow"].profile.fonts
    assert (fonts.body, fonts.headings) == ("open-sans", "charis")


def test_an_unknown_font_lists_every_bundled_font_by_key_and_name(
    runner: CliRunner, project: Path, edit: Edit
) -> None:
    edit(CLINIC, 'body = "lato"', 'body = "Comic Sans"')
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert result.exit_code == 2
    assert "fonts.body: unknown font 'Comic Sans'" in result.stderr
    assert (
        "fix: use one of the bundled fonts: charis (Charis SIL), inter (Inter), lato (Lato), "
        "open-sans (Open Sans), roboto-slab (Roboto Slab)"
    ) in result.stderr
    assert "lowercase letters" not in result.stderr  # no slug rule for a font name


def test_a_wrong_paper_lists_the_choices(runner: CliRunner, project: Path, edit: Edit) -> None:
    edit(CLINIC, 'paper = "letter"', 'paper = "legal"')
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert "paper: 'legal' is not allowed here\n    fix: use 'letter' or 'a4'" in result.stderr


def test_no_pydantic_wording_for_a_wrong_type(tmp_path: Path) -> None:
    from acuprint.inputs.validation import validate

    data = {"name": "X", "paper": ["a4"], "colors": {"primary": 7}}
    problems = validate(ClinicProfile, data, tmp_path / "clinic.toml", lambda loc, value: None)
    assert isinstance(problems, list)
    text = "\n".join(f"{p.message} {p.fix}" for p in problems)
    for library_words in ("Input should be", "Value error", "type=", "[x>="):
        assert library_words not in text
