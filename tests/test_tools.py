"""Every outside tool the tests call is installed by scripts/setup.sh --test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from tests.conftest import REPO
from tests.tools import listed_tools

# A literal command name opening an argument list, e.g. a list that starts with "qpdf".
_LITERAL_COMMAND = re.compile(r'\[\s*"([a-z][\w.+-]*)"\s*,')
_CALLS = re.compile(r"tool\(\"([\w.+-]+)\"\)")
# acuprint sub-commands and dpkg (on every Debian system) are not outside tools.
_NOT_TOOLS = {
    "dpkg",
    "build",
    "lint",
    "check",
    "list",
    "preview",
    "manifest",
    "new",
    "init",
    "snapshot",
    "print",
}


def test_tests_call_outside_tools_only_through_tool() -> None:
    for path in sorted((REPO / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name in _LITERAL_COMMAND.findall(text):
            if shutil.which(name) and name not in _NOT_TOOLS:
                raise AssertionError(f"{path.name} calls '{name}' directly: use tool('{name}')")


def test_every_tool_the_tests_use_is_listed_with_its_debian_package() -> None:
    used = set()
    for path in (REPO / "tests").rglob("*.py"):
        used |= set(_CALLS.findall(path.read_text(encoding="utf-8")))
    listed = listed_tools()
    assert used, "no test calls an outside tool"
    assert used <= set(listed), f"not in scripts/setup.sh TEST_TOOLS: {sorted(used - set(listed))}"
    for name, package in listed.items():
        found = shutil.which(name)
        assert found, f"{name} is not installed: run scripts/setup.sh --test"
        owner = subprocess.run(
            ["dpkg", "-S", os.path.realpath(found)], capture_output=True, text=True
        ).stdout
        assert owner.split(":")[0] == package, f"{name} comes from {owner!r}, not {package}"
