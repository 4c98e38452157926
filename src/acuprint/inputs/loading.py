"""Small helpers every loader shares."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from acuprint.errors import Problem
from acuprint.inputs.locate import toml_line


def file_digest(path: Path) -> str:
    """The hash a depfile records for a file read at load time."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def toml_finder(text: str) -> Any:
    return lambda loc, value: toml_line(text, loc, value)


def listed_twice(
    path: Path, text: str, key: str, values: list[str], what: str, where: str = ""
) -> list[Problem]:
    """A problem for every value a TOML list repeats."""
    return [
        Problem(
            path,
            f"{what} '{value}' is listed twice",
            f"list each {what} once" + (f", {where}" if where else ""),
            toml_line(text, (key, index), value),
            f"{key}[{index}]",
        )
        for index, value in enumerate(values)
        if value in values[:index]
    ]


def inside(path: Path, folder: Path) -> bool:
    """True if `path`, after resolving links and '..', stays inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())
