"""Brand colours too light to read: an input error in every build, not only in lint."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from acuprint.errors import Problem
from acuprint.inputs.colours import brand_contrast
from acuprint.inputs.project import Project


def unreadable_colours(project: Project, clinic_ids: Iterable[str]) -> list[Problem]:
    """A problem for each text or link colour below its contrast minimum, naming the key."""
    problems = []
    for clinic_id in sorted(set(clinic_ids)):
        clinic = project.clinics[clinic_id]
        colours = clinic.profile.colors
        path = clinic.folder / "clinic.toml"
        for short in brand_contrast(colours.primary, colours.accent, colours.text):
            if short.unreadable:
                problems.append(
                    Problem(
                        path,
                        f"{short.colour} is too light to read: contrast {short.ratio:.2f}:1 "
                        f"for {short.where}, at least {short.needed}:1 needed",
                        f"choose a darker {short.key} colour in [colors] (acuprint lint "
                        "lists every colour check)",
                        line=_key_line(path, short.key),
                        key=f"colors.{short.key}",
                    )
                )
    return problems


def _key_line(path: Path, key: str) -> int | None:
    """The line of `key = ...` in the [colors] table of a clinic.toml, if it is there."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    table = ""
    for number, line in enumerate(lines, start=1):
        header = re.match(r"\s*\[+\s*([\w.-]+)\s*\]+", line)
        if header:
            table = header.group(1)
        elif table == "colors" and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None
