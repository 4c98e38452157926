"""Line finding for validation errors in TOML and YAML."""

from __future__ import annotations

import yaml

from acuprint.inputs.locate import toml_line, yaml_line

TOML = """\
name = "A"
# a comment
[colors]
primary = "#000000"

[[practitioners]]
name = "One"

[[practitioners]]
name = "Two"
license = "X"

modules = [
    "alpha",
    "beta",
]
"""


def test_toml_key_in_a_table() -> None:
    assert toml_line(TOML, ("colors", "primary")) == 4
    assert toml_line(TOML, ("name",)) == 1


def test_toml_array_of_tables_counts_entries() -> None:
    assert toml_line(TOML, ("practitioners", 1, "license")) == 11
    assert toml_line(TOML, ("practitioners", 0, "name")) == 7


def test_toml_missing_key_points_at_its_table() -> None:
    assert toml_line(TOML, ("colors", "accent")) == 3


def test_toml_value_in_a_multiline_array() -> None:
    text = 'modules = [\n    "alpha",\n    "beta",\n]\n'
    assert toml_line(text, ("modules", 1), "beta") == 3


def test_yaml_nested_lines_offset_by_the_front_matter_start() -> None:
    text = "id: x\nsources:\n  - id: a\n    year: 2020\n  - id: b\n    year: 20x\n"
    node = yaml.compose(text)
    assert yaml_line(node, ("sources", 1, "year"), first_line=2) == 7
    assert yaml_line(node, ("id",), first_line=2) == 2


def test_toml_multiline_strings_are_not_keys() -> None:
    text = 'tagline = """\n[colors]\nprimary = "x"\n"""\n[colors]\nprimary = "#000"\n'
    assert toml_line(text, ("colors", "primary")) == 6
