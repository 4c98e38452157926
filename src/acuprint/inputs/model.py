"""What loading a project gives: validated clinics, handouts, modules, and the project itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from acuprint.inputs.approvals import ApprovalFile, Approvals
from acuprint.inputs.figures import FIGURES as FIGURES
from acuprint.inputs.regions import RegionalWording
from acuprint.inputs.schema import SLUG, ClinicProfile, FontFamily, ModuleMeta, Recipe

DISCLAIMER_ID = "disclaimer"
# Printed on the first page of every handout about pain (Recipe.about_pain).
RED_FLAGS_ID = "red-flags"
STYLESHEETS = ("tokens.css", "base.css", "components.css", "print.css", "screen.css")  # in order
# Variant sheets, loaded last for the variant that names them.
VARIANT_SHEETS = {"large-print": "large-print.css", "tri-fold": "trifold.css"}
# Layout sheets, loaded after the shared ones for recipes with that `layout`.
LAYOUT_SHEETS = {"sheet": "sheet.css", "form": "form.css"}
ICONS = ("warning", "emergency-phone", "checklist", "calendar")  # styles/icons/<name>.svg
SOURCE_LANGUAGE = "en"
LOGO_SUFFIXES = (".svg", ".png")
SLUG_PATTERN = re.compile(SLUG)


@dataclass(frozen=True)
class Clinic:
    """A validated clinic profile and the files that belong to it."""

    id: str
    folder: Path
    profile: ClinicProfile
    logo: Path
    stylesheet: Path | None
    text: str = field(repr=False)
    digest: str = ""  # sha256 of clinic.toml as loaded
    logo_data: bytes = field(default=b"", repr=False)  # the checked copy both outputs embed
    logo_digest: str = ""  # sha256 of the logo file as loaded


@dataclass(frozen=True)
class Handout:
    """A validated recipe (handout definition), keyed by its file name."""

    id: str
    path: Path
    recipe: Recipe
    text: str = field(repr=False)
    digest: str = ""  # sha256 of the recipe file as loaded


@dataclass(frozen=True)
class Module:
    """A content module: validated front matter plus its Markdown body."""

    meta: ModuleMeta
    body: str
    path: Path
    digest: str = ""  # sha256 of the file as loaded
    body_line: int = 1  # the file line on which the Markdown body starts
    # Lines of front-matter keys a reader is pointed to: "title", "source:<id>".
    lines: dict[str, int | None] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Project:
    """Everything on disk that a build reads, validated and cross-checked."""

    root: Path
    fonts: dict[str, FontFamily]
    clinics: dict[str, Clinic]
    handouts: dict[str, Handout]
    modules: dict[tuple[str, str], Module] = field(repr=False)
    regions: RegionalWording = field(default_factory=RegionalWording, repr=False)
    approvals: Approvals = field(
        default_factory=lambda: Approvals(ApprovalFile(Path("review/shared.jsonl"))), repr=False
    )

    @property
    def styles_dir(self) -> Path:
        """The folder designers edit."""
        return self.root / "styles"

    @property
    def fonts_dir(self) -> Path:
        """The folder of bundled fonts and their catalogue."""
        return self.styles_dir / "fonts"

    def module(self, module_id: str, lang: str) -> Module:
        """Return one module in one language."""
        return self.modules[(module_id, lang)]

    def brand_font_keys(self, profile: ClinicProfile) -> list[str]:
        """The font families the clinic chose: body, then headings if different."""
        return list(
            dict.fromkeys([profile.fonts.body, profile.fonts.headings or profile.fonts.body])
        )

    def font_keys(self, profile: ClinicProfile, lang: str) -> list[str]:
        """The clinic's fonts, then any bundled family that adds the script of `lang`."""
        script = [key for key, family in self.fonts.items() if lang in family.languages]
        return list(dict.fromkeys([*self.brand_font_keys(profile), *script]))
