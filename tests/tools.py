"""The command-line tools tests may call, as scripts/setup.sh installs them.

A test calls an outside tool through `tool(name)`; a tool that set-up does not
list fails the test with its name, so a fresh machine never lacks one.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[1] / "scripts" / "setup.sh"


@cache
def listed_tools() -> dict[str, str]:
    """tool -> Debian package, from TEST_TOOLS in scripts/setup.sh."""
    text = SETUP.read_text(encoding="utf-8")
    block = re.search(r"^TEST_TOOLS=\((.*?)^\)", text, re.S | re.M)
    assert block, "scripts/setup.sh has no TEST_TOOLS=( ... ) table"
    pairs = re.findall(r"^\s*([\w.+-]+)=([\w.+-]+)\s*$", block.group(1), re.M)
    return dict(pairs)


def tool(name: str) -> str:
    """The path of `name`, which must be listed in scripts/setup.sh and installed."""
    if name not in listed_tools():
        pytest.fail(f"tests call '{name}', which scripts/setup.sh does not list in TEST_TOOLS")
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"'{name}' is listed in scripts/setup.sh but not installed: run it with --test")
    return path
