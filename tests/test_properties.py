"""Property-based tests: any clinic profile, recipe or front matter gives a build or a clear error.

Whatever hypothesis writes into the one file under test, `acuprint build`
must either succeed (exit 0) or report problems with a file and a fix
(exit 2) - never a traceback, never any other exit code.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from acuprint.cli import app
from tests.conftest import REPO

# 20 generated inputs per kind and per run (each run draws new ones): the suite's fuzzing
# budget, about a minute of the ten the whole suite may take on two cores.
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["#2f6b4f", "letter", "a4", "en", "lato", "https://example.com", "US"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4),
    ),
    max_leaves=8,
)


def _toml_string(text: str) -> str:
    # JSON escapes quotes, backslashes and control characters the way TOML does;
    # TOML also wants DEL escaped, and takes other characters as they are.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_string(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def dump_toml(data: dict[str, Any]) -> str:
    """A minimal TOML writer: top-level keys, with tables and arrays of tables inline."""
    return "".join(f"{_toml_string(key)} = {_toml_value(value)}\n" for key, value in data.items())


@st.composite
def mutated(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    """`original` with keys dropped, values replaced or nested values changed, and keys added."""
    data = dict(original)
    for key in draw(st.lists(st.sampled_from(sorted(original)), max_size=3, unique=True)):
        action = draw(st.sampled_from(["drop", "replace", "nest"]))
        if action == "drop":
            data.pop(key)
        elif action == "replace":
            data[key] = draw(values)
        elif isinstance(data[key], dict) and data[key]:
            inner = dict(data[key])
            inner[draw(st.sampled_from(sorted(inner)))] = draw(values)
            data[key] = inner
    data.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=2)))
    return data


def _one_clinic_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("handouts", "styles"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "clinics" / "cedar-hollow", root / "clinics" / "cedar-hollow")
    for recipe in (root / "handouts" / "recipes").glob("*.toml"):
        if recipe.stem != "first-visit":
            recipe.unlink()
    return root


def _assert_build_or_clear_error(root: Path) -> None:
    result = CliRunner().invoke(
        app, ["build", "--project", str(root), "--format", "html", "--jobs", "1"]
    )
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines[0].startswith("error: ")
        assert any(line.strip().startswith("fix: ") for line in lines), result.stderr


CLINIC_TOML = tomllib.loads((REPO / "clinics/cedar-hollow/clinic.toml").read_text())
RECIPE_TOML = tomllib.loads((REPO / "handouts/recipes/first-visit.toml").read_text())
MODULE_TEXT = (REPO / "handouts/modules/what-to-expect.md").read_text()
FRONT_MATTER = yaml.safe_load(MODULE_TEXT.split("---")[1])


def test_any_clinic_profile(tmp_path: Path) -> None:
    root = _one_clinic_project(tmp_path)

    @SETTINGS
    @given(mutated(CLINIC_TOML))
    def check(profile: dict[str, Any]) -> None:
        (root / "clinics/cedar-hollow/clinic.toml").write_text(dump_toml(profile))
        _assert_build_or_clear_error(root)

    check()


def test_any_recipe(tmp_path: Path) -> None:
    root = _one_clinic_project(tmp_path)
    module_ids = st.sampled_from(["what-to-expect", "safety-checklist", "disclaimer", "benefits"])

    @SETTINGS
    @given(
        st.one_of(
            mutated(RECIPE_TOML),
            st.fixed_dictionaries(
                {"title": st.text(max_size=40), "modules": st.lists(module_ids | st.text())}
            ),
        )
    )
    def check(recipe: dict[str, Any]) -> None:
        (root / "handouts/recipes/first-visit.toml").write_text(dump_toml(recipe))
        _assert_build_or_clear_error(root)

    check()


def test_any_front_matter(tmp_path: Path) -> None:
    root = _one_clinic_project(tmp_path)
    body = MODULE_TEXT.split("---", 2)[2]

    @SETTINGS
    @given(st.one_of(mutated(FRONT_MATTER).map(yaml.safe_dump), st.text(max_size=200)))
    def check(front: str) -> None:
        path = root / "handouts/modules/what-to-expect.md"
        path.write_text(f"---\n{front}\n---{body}", encoding="utf-8")
        _assert_build_or_clear_error(root)

    check()


def test_any_bytes_in_a_toml_file(tmp_path: Path) -> None:
    root = _one_clinic_project(tmp_path)
    original = (root / "clinics/cedar-hollow/clinic.toml").read_bytes()

    @SETTINGS
    @given(st.integers(0, len(original)), st.binary(min_size=1, max_size=8))
    def check(at: int, junk: bytes) -> None:
        (root / "clinics/cedar-hollow/clinic.toml").write_bytes(
            original[:at] + junk + original[at:]
        )
        _assert_build_or_clear_error(root)

    check()
