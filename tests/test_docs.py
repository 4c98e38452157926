"""The README stays true: Quick start, CI command, every command, option and clinic key."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from acuprint.cli import app
from acuprint.inputs.schema import ClinicProfile
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "Quick start must have exactly one code block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_is_two_commands_build_then_test() -> None:
    build, test = _quick_start_commands()
    assert build == "scripts/build.sh"
    assert test == "scripts/test.sh"
    for command in (build, test):
        assert (REPO / command).stat().st_mode & 0o111, f"{command} is not executable"


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _quick_start_commands()
    ci = (REPO / ".ci" / "run").read_text()
    assert f"exec {test}" in ci


def test_every_command_and_build_option_is_documented() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"]).stdout
    commands = re.findall(r"^  (\w+)\s{2,}", top.split("Commands:", 1)[1], flags=re.M)
    registered = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert sorted(commands) == sorted(registered), "a command is missing from --help"
    for command in commands:
        help_text = runner.invoke(app, [command, "--help"]).stdout
        if "Commands:" in help_text:  # a group such as `manifest`: check its commands
            section = help_text.split("Commands:", 1)[1]
            for sub in re.findall(r"^  (\w+)\s{2,}", section, flags=re.M):
                assert f"acuprint {command} {sub}" in README, f"{command} {sub}"
                sub_help = runner.invoke(app, [command, sub, "--help"]).stdout
                assert "Example: acuprint" in sub_help, f"{command} {sub} --help has no example"
            continue
        assert f"acuprint {command}" in README, command
        assert "Example: acuprint" in help_text, f"{command} --help has no example"
    build_help = runner.invoke(app, ["build", "--help"]).stdout
    for option in re.findall(r"^  (--[a-z-]+)", build_help, flags=re.M):
        if option != "--help":
            assert re.search(rf"`acuprint build [^`]*{option}\b", README), option


def test_every_clinic_key_is_documented() -> None:
    for key in ClinicProfile.model_fields:
        assert (
            f"| `{key}` |" in README or f"| `[{key}]` |" in README or (f"| `[[{key}]]` |" in README)
        ), key
