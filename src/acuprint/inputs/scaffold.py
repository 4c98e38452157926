"""A new clinic's folder from a few answers: checked first, then a commented clinic.toml and logo.

`acuprint new clinic` asks the questions; this module checks each answer the
way the project loader will (schema, contrast, logo, fonts) and writes the
files, so what it writes always loads.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from acuprint.inputs.colours import brand_contrast
from acuprint.inputs.logos import LogoProblem, check_logo, read_logo
from acuprint.inputs.model import LOGO_SUFFIXES
from acuprint.inputs.schema import ClinicProfile, FontFamily, colour_as_written
from acuprint.inputs.validation import validate

REGIONS = {"us": ("US", "letter"), "uk": ("UK", "a4")}
DEFAULT_COLOURS = {"primary": "#2f6b4f", "accent": "#a8641c", "text": "#1e2a24"}


@dataclass(frozen=True)
class ClinicAnswers:
    """Everything a clinic must give; the rest of clinic.toml has defaults."""

    clinic_id: str
    name: str
    region: str  # "us" or "uk"
    paper: str
    languages: list[str]
    primary: str
    accent: str
    text: str
    body_font: str
    headings_font: str
    phone: str
    email: str
    website: str
    booking_url: str
    street: str
    city: str
    area: str  # state or county; may be empty
    postal_code: str
    logo: Path | None = None
    practitioners: list[tuple[str, str, str]] = field(default_factory=list)
    tagline: str = ""


def contrast_problems(primary: str, accent: str, text: str) -> list[str]:
    """Brand colours too light to read (the lint's clinic/contrast rule, asked up front)."""
    colours = {"primary": colour_as_written(primary), "accent": colour_as_written(accent)}
    colours["text"] = colour_as_written(text)
    if not all(isinstance(c, str) and c.startswith("#") for c in colours.values()):
        return []  # not a colour at all: the schema says so, with the fix
    return [
        f"{short.key} colour {short.colour} has contrast {short.ratio:.2f}:1 for {short.where} "
        f"(WCAG needs {short.needed}:1); choose a darker {short.key} colour"
        for short in brand_contrast(
            str(colours["primary"]), str(colours["accent"]), str(colours["text"])
        )
    ]


def logo_problem(logo: Path) -> str | None:
    """Why a logo file cannot be used, or None."""
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        return f"logo '{logo}' is not an SVG or PNG file; save it as .svg (preferred) or .png"
    data = read_logo(logo)
    if isinstance(data, LogoProblem):
        return f"logo '{logo}' {data.message}; {data.fix}"
    checked = check_logo(data, logo.suffix.lower())
    if isinstance(checked, LogoProblem):
        return f"logo '{logo}' {checked.message}; {checked.fix}"
    return None


def font_key_of(written: str, fonts: dict[str, FontFamily]) -> str | None:
    """The catalogue key of a brand font given by key or display name."""
    from acuprint.inputs.clinics import font_key

    brand = {key: family for key, family in fonts.items() if not family.languages}
    return font_key(written, brand)


def clinic_toml(answers: ClinicAnswers, logo_name: str) -> str:
    """The clinic's profile, commented so staff can edit it later."""
    country, _ = REGIONS[answers.region]

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        f"# {answers.name}: written by `acuprint new clinic {answers.clinic_id}`.",
        "# Every key is explained in the README's table of clinic keys; after an edit,",
        f"# check it with `acuprint list` and build with `acuprint build --clinic "
        f"{answers.clinic_id}`.",
        f"name = {q(answers.name)}",
        "# A short line under the name on the first page (optional).",
        f"tagline = {q(answers.tagline)}",
        "# How patients reach the clinic; printed in every page footer.",
        f"phone = {q(answers.phone)}",
        f"email = {q(answers.email)}",
        f"website = {q(answers.website)}",
        "# The online booking page, printed as a QR code on the last page.",
        f"booking_url = {q(answers.booking_url)}",
        "# 'letter' (US) or 'a4'.",
        f"paper = {q(answers.paper)}",
        "# Languages to build: en, es, zh-Hans.",
        f"languages = [{', '.join(q(lang) for lang in answers.languages)}]",
        "# The logo file in this folder: SVG preferred, PNG at 300 dpi or more.",
        f"logo = {q(logo_name)}",
        "",
        "[address]",
        f"street = {q(answers.street)}",
        f"city = {q(answers.city)}",
        f"region = {q(answers.area)}",
        f"postal_code = {q(answers.postal_code)}",
        f"country = {q(country)}",
        "",
        "# Brand colours as hex codes (CSS colour names work too). They override the",
        "# defaults in styles/tokens.css; text and primary need 4.5:1 contrast on white.",
        "[colors]",
        f"primary = {q(str(colour_as_written(answers.primary)))}",
        f"accent = {q(str(colour_as_written(answers.accent)))}",
        f"text = {q(str(colour_as_written(answers.text)))}",
        "",
        "# Bundled fonts (styles/fonts/fonts.toml), by key or by name.",
        "[fonts]",
        f"body = {q(answers.body_font)}",
        f"headings = {q(answers.headings_font or answers.body_font)}",
    ]
    for name, credentials, license in answers.practitioners:
        lines += [
            "",
            "[[practitioners]]",
            f"name = {q(name)}",
            f"credentials = {q(credentials)}",
            f"license = {q(license)}",
        ]
    return "\n".join(lines) + "\n"


def placeholder_logo(colour: str) -> bytes:
    """A plain mark in the brand colour, until the clinic's own logo arrives."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
        f'<circle cx="60" cy="60" r="54" fill="none" stroke="{colour}" stroke-width="10"/>'
        f'<circle cx="60" cy="60" r="22" fill="{colour}"/></svg>\n'
    ).encode()


def answer_problems(answers: ClinicAnswers, folder: Path) -> list[str]:
    """Every reason the answers would not load, as plain sentences (empty when they will)."""
    text = clinic_toml(answers, answers.logo.name if answers.logo else "logo.svg")
    checked = validate(
        ClinicProfile, tomllib.loads(text), folder / "clinic.toml", lambda loc, value: None
    )
    found = []
    if isinstance(checked, list):
        found += [
            f"{problem.key}: {problem.message}" + (f"; {problem.fix}" if problem.fix else "")
            for problem in checked
        ]
    found += contrast_problems(answers.primary, answers.accent, answers.text)
    if answers.logo is not None:
        found += [p for p in [logo_problem(answers.logo)] if p]
    return found


def write_clinic(answers: ClinicAnswers, folder: Path) -> list[Path]:
    """Write clinic.toml and the logo into `folder` (which must not exist); the paths written."""
    folder.mkdir(parents=True)
    if answers.logo is not None:
        logo = folder / answers.logo.name
        data = read_logo(answers.logo)  # checked by answer_problems; read the same safe way
        if isinstance(data, LogoProblem):
            raise OSError(f"logo '{answers.logo}' {data.message}")
        logo.write_bytes(data)
    else:
        logo = folder / "logo.svg"
        logo.write_bytes(placeholder_logo(str(colour_as_written(answers.primary))))
    profile = folder / "clinic.toml"
    profile.write_text(clinic_toml(answers, logo.name), encoding="utf-8")
    return [profile, logo]
