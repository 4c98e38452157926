"""Load the clinics: each profile, its logo and its own stylesheet."""

from __future__ import annotations

from pathlib import Path

from acuprint.errors import Problem, suggest
from acuprint.inputs.css import check_stylesheet
from acuprint.inputs.files import read_text, read_toml
from acuprint.inputs.loading import file_digest, inside, listed_twice, toml_finder
from acuprint.inputs.locate import toml_line
from acuprint.inputs.logos import LogoProblem, check_logo, read_logo
from acuprint.inputs.model import LOGO_SUFFIXES, SLUG_PATTERN, Clinic
from acuprint.inputs.reads import digest
from acuprint.inputs.schema import ClinicProfile, FontFamily
from acuprint.inputs.validation import validate


def load_clinics(
    folder: Path, styles: Path, fonts: dict[str, FontFamily], problems: list[Problem]
) -> dict[str, Clinic]:
    """Every valid clinic; every problem of every clinic goes to `problems` in one pass.

    A profile that fails validation still has its logo, fonts and clinic.css
    checked, so a clinic with three mistakes hears of all three at once.
    """
    clinics: dict[str, Clinic] = {}
    families = [family.name for family in fonts.values()]
    for clinic_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        path = clinic_dir / "clinic.toml"
        if not SLUG_PATTERN.fullmatch(clinic_dir.name):
            problems.append(
                Problem(
                    clinic_dir,
                    "the folder name is not a valid clinic id",
                    "rename it with lowercase letters, digits and hyphens, e.g. 'harbor-light'",
                )
            )
            continue
        if clinic_dir.is_symlink() or not inside(clinic_dir, folder):
            problems.append(
                Problem(
                    clinic_dir,
                    "the clinic folder is a link to somewhere outside clinics/",
                    "copy the clinic's folder into clinics/ instead of linking to it",
                )
            )
            continue
        if not path.exists():
            problems.append(
                Problem(path, "clinic.toml is missing", "copy clinic.toml from a sample clinic")
            )
            continue
        parsed = read_toml(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        data, text = parsed
        found: list[Problem] = []
        data, font_problems = _font_choices(path, text, data, fonts)
        profile = validate(ClinicProfile, data, path, toml_finder(text))
        if isinstance(profile, list):
            found.extend(profile)
        else:
            found.extend(listed_twice(path, text, "languages", profile.languages, "language"))
        logo = _load_logo(clinic_dir, data.get("logo"), path, toml_line(text, ("logo",)))
        if isinstance(logo, Problem):
            found.append(logo)
        found.extend(font_problems)
        css = clinic_dir / "clinic.css"
        stylesheet = None
        if css.exists() or css.is_symlink():
            sheet = read_text(css)
            if isinstance(sheet, Problem):
                found.append(sheet)
            else:
                allowed = tuple(
                    p.resolve() for p in (styles, clinic_dir, folder.parent / "handouts")
                )
                found.extend(check_stylesheet(css, sheet, allowed, families))
                stylesheet = css
        problems.extend(found)
        if found or isinstance(profile, list) or isinstance(logo, Problem):
            continue
        logo_path, logo_data = logo
        clinics[clinic_dir.name] = Clinic(
            clinic_dir.name,
            clinic_dir,
            profile,
            logo_path,
            stylesheet,
            text,
            file_digest(path),
            logo_data,
            digest(logo_data) if logo_path.suffix.lower() == ".png" else file_digest(logo_path),
        )
    return clinics


def font_key(written: str, fonts: dict[str, FontFamily]) -> str | None:
    """The catalogue key a clinic means: "open-sans", "Open Sans" or "open sans" -> "open-sans"."""
    wanted = " ".join(written.replace("-", " ").replace("_", " ").split()).casefold()
    for key, family in fonts.items():
        if wanted in (key.replace("-", " ").casefold(), family.name.casefold()):
            return key
    return None


def _font_choices(
    path: Path, text: str, data: dict[str, object], fonts: dict[str, FontFamily]
) -> tuple[dict[str, object], list[Problem]]:
    """The profile with font names as catalogue keys, and a problem per font not bundled."""
    chosen = data.get("fonts")
    if not isinstance(chosen, dict) or not fonts:
        return data, []
    brand = sorted(key for key, family in fonts.items() if not family.languages)
    names = {k: v for k, v in fonts.items() if k in brand}
    problems = []
    keys = dict(chosen)
    for key in ("body", "headings"):
        family = chosen.get(key)
        if not isinstance(family, str) or not family.strip():
            continue
        found = font_key(family, names)
        if found is not None:
            keys[key] = found
            continue
        offered = [*brand, *(fonts[k].name for k in brand)]
        problems.append(
            Problem(
                path,
                f"unknown font '{family}'.{suggest(family, offered)}",
                "use one of the bundled fonts: "
                + ", ".join(f"{k} ({fonts[k].name})" for k in brand),
                toml_line(text, ("fonts", key)),
                f"fonts.{key}",
            )
        )
    return {**data, "fonts": keys}, problems


def _load_logo(
    folder: Path, name: object, path: Path, line: int | None
) -> tuple[Path, bytes] | Problem:
    """The logo's path and the copy to embed, if it is a safe SVG or PNG in the clinic's folder."""

    def problem(message: str, fix: str) -> Problem:
        return Problem(path, message, fix, line, "logo")

    if not isinstance(name, str) or not name.strip():
        return problem("no logo is given", 'add logo = "logo.svg" and put the file there')
    logo = folder / name
    if not inside(logo, folder):
        return problem(
            f"logo '{name}' is outside the clinic's folder",
            f"put the logo in {folder.name}/ and give its file name",
        )
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        return problem(
            f"logo '{name}' is not an SVG or PNG file", "save the logo as .svg (preferred) or .png"
        )
    if not logo.is_file():
        here = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in LOGO_SUFFIXES)
        hint = f"; files here: {', '.join(here)}" if here else ""
        return problem(
            f"logo file '{name}' does not exist{suggest(name, here)}",
            f"add the file to clinics/{folder.name}/ or correct 'logo'{hint}",
        )
    data = read_logo(logo)
    if isinstance(data, LogoProblem):
        return problem(f"logo '{name}' {data.message}", data.fix)
    checked = check_logo(data, logo.suffix.lower())
    if isinstance(checked, LogoProblem):
        return problem(f"logo '{name}' {checked.message}", checked.fix)
    return logo.resolve(), checked
