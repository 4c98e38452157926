"""The strict build's lint, cut to what the selected outputs print.

`acuprint lint` judges the whole library; `build --strict --clinic X --lang es`
should fail only on what it is about to print: those clinics, those handouts,
their modules in those languages (and the English sources a translation is
checked against, whose own findings are not reported).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

from acuprint.checks.lint import LintReport, lint_project
from acuprint.compose.handout import ComposedHandout
from acuprint.inputs.project import SOURCE_LANGUAGE, Project


def lint_printed(
    project: Project, composed: Mapping[tuple[str, str, str], ComposedHandout], as_of: date
) -> LintReport:
    """The lint of the clinics, handouts and modules in `composed` (clinic, handout, lang)."""
    printed = {
        (section.id, lang)
        for (_, _, lang), handout in composed.items()
        for section in handout.all_sections
    }
    sources = {(module_id, SOURCE_LANGUAGE) for module_id, _ in printed}
    cut = replace(
        project,
        clinics={k: v for k, v in project.clinics.items() if k in {c for c, _, _ in composed}},
        handouts={k: v for k, v in project.handouts.items() if k in {h for _, h, _ in composed}},
        modules={k: v for k, v in project.modules.items() if k in printed | sources},
    )
    report = lint_project(cut, as_of)
    unprinted: set[Path] = {m.path for k, m in cut.modules.items() if k not in printed}
    report.findings = [f for f in report.findings if f.path not in unprinted]
    return report
