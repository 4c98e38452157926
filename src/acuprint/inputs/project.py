"""Load and validate a whole project (fonts, clinics, recipes, modules) before any rendering.

Every problem in every file is collected and raised together as one
`InputError`, so staff fix everything in one pass and nothing is rendered
from a half-valid project.
"""

from __future__ import annotations

from pathlib import Path

from acuprint.errors import InputError, Problem
from acuprint.inputs.approvals import load_approvals
from acuprint.inputs.clinics import load_clinics
from acuprint.inputs.content import load_fonts, load_handouts, load_modules
from acuprint.inputs.css import check_stylesheet
from acuprint.inputs.figures import check_figures
from acuprint.inputs.files import read_text
from acuprint.inputs.model import (
    DISCLAIMER_ID as DISCLAIMER_ID,
)
from acuprint.inputs.model import ICONS as ICONS
from acuprint.inputs.model import LAYOUT_SHEETS as LAYOUT_SHEETS
from acuprint.inputs.model import (
    LOGO_SUFFIXES as LOGO_SUFFIXES,
)
from acuprint.inputs.model import RED_FLAGS_ID as RED_FLAGS_ID
from acuprint.inputs.model import (
    SOURCE_LANGUAGE as SOURCE_LANGUAGE,
)
from acuprint.inputs.model import (
    STYLESHEETS as STYLESHEETS,
)
from acuprint.inputs.model import (
    VARIANT_SHEETS as VARIANT_SHEETS,
)
from acuprint.inputs.model import Clinic as Clinic
from acuprint.inputs.model import Handout as Handout
from acuprint.inputs.model import Module as Module
from acuprint.inputs.model import Project as Project
from acuprint.inputs.references import check_references
from acuprint.inputs.regions import load_regional_wording


def load_project(root: Path) -> Project:
    """Read and validate every input file under `root`; raise InputError listing all problems."""
    root = root.resolve()
    problems: list[Problem] = []
    if not any((root / name).is_dir() for name in ("clinics", "handouts", "styles")):
        raise InputError(
            [
                Problem(
                    root,
                    "no acuprint project here (no clinics/, handouts/ or styles/ folder)",
                    "run acuprint inside a project folder, or pass --project DIR",
                )
            ]
        )
    for folder in ("clinics", "handouts/recipes", "handouts/modules", "styles/fonts"):
        if not (root / folder).is_dir():
            problems.append(
                Problem(
                    root / folder,
                    "folder is missing",
                    "run acuprint from the project folder or pass --project DIR",
                )
            )
    if problems:
        raise InputError(problems)

    fonts = load_fonts(root / "styles" / "fonts", problems)
    families = [family.name for family in fonts.values()]
    styles = root / "styles"
    sheets = (*STYLESHEETS, *VARIANT_SHEETS.values(), *LAYOUT_SHEETS.values())
    for name in sheets:  # read when rendering; checked first
        sheet = read_text(styles / name)
        if isinstance(sheet, Problem):
            problems.append(sheet)
        else:
            problems.extend(check_stylesheet(styles / name, sheet, (styles.resolve(),), families))
    for icon in ICONS:
        drawn = read_text(styles / "icons" / f"{icon}.svg")
        if isinstance(drawn, Problem):
            problems.append(drawn)
    problems.extend(check_figures(styles))
    regions = load_regional_wording(root, problems)
    modules = load_modules(root / "handouts" / "modules", problems, regions)
    handouts = load_handouts(root / "handouts" / "recipes", problems)
    clinics = load_clinics(root / "clinics", styles, fonts, problems)
    approvals = load_approvals(root, _clinic_folders(root), problems)

    check_references(root / "handouts" / "modules", fonts, modules, handouts, clinics, problems)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))
    return Project(root, fonts, clinics, handouts, modules, regions, approvals)


def _clinic_folders(root: Path) -> set[str]:
    """Clinic ids by folder (a clinic whose profile is invalid still owns its approvals)."""
    return {p.name for p in (root / "clinics").iterdir() if p.is_dir()}
