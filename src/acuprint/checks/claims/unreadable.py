"""Content the claims check cannot vouch for: invisible characters, languages without rules."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from acuprint.checks.claims.normalize import describe, invisible_characters
from acuprint.errors import Problem
from acuprint.inputs.project import Project


def unreadable_content(project: Project, languages: Collection[str]) -> list[Problem]:
    """Text the guard cannot vouch for: invisible or bidi control characters, unknown languages.

    A soft hyphen or zero-width space hides a word from the guard, a right-to-left
    override reorders what prints; a module in a language without rules cannot be
    checked at all (never with another language's rules).
    """
    problems: list[Problem] = []
    files = [m.path for m in project.modules.values()]
    files += [c.folder / "clinic.toml" for c in project.clinics.values()]
    files += [h.path for h in project.handouts.values()]
    files += [
        c.folder / c.profile.logo
        for c in project.clinics.values()
        if c.profile.logo.lower().endswith(".svg")
    ]
    for path in sorted(set(files)):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for offset, char, name in invisible_characters(text):
            line = text.count("\n", 0, offset) + 1
            problems.append(
                Problem(
                    path,
                    f"invisible character {describe(char)} ({name}): it can hide a word from "
                    "the claims check or reorder what prints",
                    "delete it; to allow a line break in a long word, rephrase instead",
                    line,
                )
            )
    for (module_id, lang), module in sorted(project.modules.items()):
        if lang not in languages:
            problems.append(
                Problem(
                    module.path,
                    f"module '{module_id}' is in {lang!r}, which the claims check has no rules "
                    f"for (it checks: {', '.join(sorted(languages))})",
                    "translate it into a checked language, or add rules for the language in "
                    "claims.toml ([[rule]] with languages = [...]) before printing it",
                    _language_line(module.path),
                    "language",
                )
            )
    return problems


def _language_line(path: Path) -> int | None:
    """The line of a module's front matter that names its language."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith("language:")), None)
