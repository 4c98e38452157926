"""Load and validate a whole project (fonts, clinics, recipes, modules) before any rendering.

Every problem in every file is collected and raised together as one
`InputError`, so staff fix everything in one pass and nothing is rendered
from a half-valid project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from acuprint.errors import InputError, Problem, suggest
from acuprint.inputs.files import FrontMatterFile, read_front_matter, read_text, read_toml
from acuprint.inputs.locate import Loc, toml_line, yaml_line
from acuprint.inputs.schema import SLUG, ClinicProfile, FontFamily, ModuleMeta, Recipe
from acuprint.inputs.validation import validate

DISCLAIMER_ID = "disclaimer"
STYLESHEETS = ("tokens.css", "base.css", "components.css", "print.css", "screen.css")  # in order
# Variant sheets, loaded last for the variant that names them.
VARIANT_SHEETS = {"large-print": "large-print.css", "tri-fold": "trifold.css"}
SOURCE_LANGUAGE = "en"
LOGO_SUFFIXES = (".svg", ".png")
_SLUG = re.compile(SLUG)


@dataclass(frozen=True)
class Clinic:
    """A validated clinic profile and the files that belong to it."""

    id: str
    folder: Path
    profile: ClinicProfile
    logo: Path
    stylesheet: Path | None
    text: str = field(repr=False)


@dataclass(frozen=True)
class Handout:
    """A validated recipe (handout definition), keyed by its file name."""

    id: str
    path: Path
    recipe: Recipe
    text: str = field(repr=False)


@dataclass(frozen=True)
class Module:
    """A content module: validated front matter plus its Markdown body."""

    meta: ModuleMeta
    body: str
    path: Path


@dataclass(frozen=True)
class Project:
    """Everything on disk that a build reads, validated and cross-checked."""

    root: Path
    fonts: dict[str, FontFamily]
    clinics: dict[str, Clinic]
    handouts: dict[str, Handout]
    modules: dict[tuple[str, str], Module] = field(repr=False)

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


def load_project(root: Path) -> Project:
    """Read and validate every input file under `root`; raise InputError listing all problems."""
    root = root.resolve()
    problems: list[Problem] = []
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

    fonts = _load_fonts(root / "styles" / "fonts", problems)
    for name in (*STYLESHEETS, *VARIANT_SHEETS.values()):  # read when rendering; checked first
        sheet = read_text(root / "styles" / name)
        if isinstance(sheet, Problem):
            problems.append(sheet)
    modules = _load_modules(root / "handouts" / "modules", problems)
    handouts = _load_handouts(root / "handouts" / "recipes", problems)
    clinics = _load_clinics(root / "clinics", problems)

    _check_references(root / "handouts" / "modules", fonts, modules, handouts, clinics, problems)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))
    return Project(root, fonts, clinics, handouts, modules)


def _toml_finder(text: str) -> Any:
    return lambda loc, value: toml_line(text, loc, value)


def _load_fonts(folder: Path, problems: list[Problem]) -> dict[str, FontFamily]:
    path = folder / "fonts.toml"
    parsed = read_toml(path)
    if isinstance(parsed, Problem):
        problems.append(parsed)
        return {}
    data, text = parsed
    fonts: dict[str, FontFamily] = {}
    for key, table in data.items():

        def finder(loc: Loc, value: str | None, key: str = key) -> int | None:
            return toml_line(text, (key, *loc), value)

        result = validate(FontFamily, table, path, finder)
        if isinstance(result, list):
            problems.extend(result)
            continue
        for font_file, _, _ in result.faces():
            if not _inside(folder / font_file, folder) or not (folder / font_file).is_file():
                problems.append(
                    Problem(
                        path,
                        f"font file '{font_file}' does not exist in styles/fonts/",
                        "copy the file there or correct the path",
                        toml_line(text, (key,)),
                        key,
                    )
                )
        fonts[key] = result
    return fonts


def _load_modules(folder: Path, problems: list[Problem]) -> dict[tuple[str, str], Module]:
    modules: dict[tuple[str, str], Module] = {}
    for path in sorted(folder.glob("*.md")):
        module_id, _, lang = path.stem.partition(".")
        lang = lang or SOURCE_LANGUAGE
        parsed = read_front_matter(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue

        def finder(loc: Loc, value: str | None, parsed: FrontMatterFile = parsed) -> int | None:
            return yaml_line(parsed.node, loc, first_line=parsed.first_line)

        meta = validate(ModuleMeta, parsed.data, path, finder)
        if isinstance(meta, list):
            problems.extend(meta)
            continue
        if meta.id != module_id:
            problems.append(
                Problem(
                    path,
                    f"id '{meta.id}' does not match the file name '{path.name}'",
                    f"set 'id: {module_id}' or rename the file to '{meta.id}.md'",
                    finder(("id",), None),
                    "id",
                )
            )
        if meta.language != lang:
            problems.append(
                Problem(
                    path,
                    f"language '{meta.language}' does not match the file name '{path.name}'",
                    f"set 'language: {lang}'",
                    finder(("language",), None),
                    "language",
                )
            )
        seen: set[str] = set()
        for index, source in enumerate(meta.sources):
            if source.id in seen:
                problems.append(
                    Problem(
                        path,
                        f"source id '{source.id}' is listed twice",
                        "give each source its own id",
                        finder(("sources", index, "id"), None),
                        f"sources.{index}.id",
                    )
                )
            seen.add(source.id)
        modules[(module_id, lang)] = Module(meta, parsed.body, path)
    return modules


def _load_handouts(folder: Path, problems: list[Problem]) -> dict[str, Handout]:
    handouts: dict[str, Handout] = {}
    for path in sorted(folder.glob("*.toml")):
        if not _SLUG.match(path.stem):
            problems.append(
                Problem(path, "the file name is not a valid id", "rename it like 'back-pain.toml'")
            )
            continue
        parsed = read_toml(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        data, text = parsed
        recipe = validate(Recipe, data, path, _toml_finder(text))
        if isinstance(recipe, list):
            problems.extend(recipe)
            continue
        problems.extend(
            _listed_twice(path, text, "modules", recipe.modules, "module", "where it should print")
        )
        handouts[path.stem] = Handout(path.stem, path, recipe, text)
    return handouts


def _load_clinics(folder: Path, problems: list[Problem]) -> dict[str, Clinic]:
    clinics: dict[str, Clinic] = {}
    for clinic_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        path = clinic_dir / "clinic.toml"
        if not _SLUG.match(clinic_dir.name):
            problems.append(
                Problem(
                    clinic_dir,
                    "the folder name is not a valid clinic id",
                    "rename it with lowercase letters, digits and hyphens, e.g. 'harbor-light'",
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
        profile = validate(ClinicProfile, data, path, _toml_finder(text))
        if isinstance(profile, list):
            problems.extend(profile)
            continue
        problems.extend(_listed_twice(path, text, "languages", profile.languages, "language"))
        logo = _check_logo(clinic_dir, profile.logo, path, toml_line(text, ("logo",)))
        css = clinic_dir / "clinic.css"
        sheet = read_text(css) if css.exists() or css.is_symlink() else None
        found = [p for p in (logo, sheet) if isinstance(p, Problem)]
        problems.extend(found)
        if found or isinstance(logo, Problem):
            continue
        stylesheet = css if sheet is not None else None
        clinics[clinic_dir.name] = Clinic(
            clinic_dir.name, clinic_dir, profile, logo, stylesheet, text
        )
    return clinics


def _listed_twice(
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


def _check_logo(folder: Path, name: str, path: Path, line: int | None) -> Path | Problem:
    """The logo's resolved path, if it is a real SVG or PNG inside the clinic's folder."""
    logo = folder / name
    if not _inside(logo, folder):
        return Problem(
            path,
            f"logo '{name}' is outside the clinic's folder",
            f"put the logo in {folder.name}/ and give its file name",
            line,
            "logo",
        )
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        return Problem(
            path,
            f"logo '{name}' is not an SVG or PNG file",
            "save the logo as .svg (preferred) or .png",
            line,
            "logo",
        )
    if not logo.is_file():
        return Problem(
            path,
            f"logo file '{name}' does not exist",
            f"add the file to clinics/{folder.name}/ or correct 'logo'",
            line,
            "logo",
        )
    try:
        data = logo.read_bytes()[: 8 * 1024 * 1024]
    except OSError as exc:
        return Problem(path, f"logo '{name}' cannot be read: {exc.strerror}", "check it", line)
    if not _looks_like_image(data, logo.suffix.lower()):
        kind = "an SVG" if logo.suffix.lower() == ".svg" else "a PNG"
        return Problem(
            path,
            f"logo '{name}' is not {kind} image",
            "export the logo again from your design tool",
            line,
            "logo",
        )
    return logo.resolve()


def _looks_like_image(data: bytes, suffix: str) -> bool:
    if suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    return root.tag.rsplit("}", 1)[-1] == "svg"


def _check_references(
    modules_dir: Path,
    fonts: dict[str, FontFamily],
    modules: dict[tuple[str, str], Module],
    handouts: dict[str, Handout],
    clinics: dict[str, Clinic],
    problems: list[Problem],
) -> None:
    """Cross-file checks: every id a file names must exist, and sources must agree.

    A module file that exists but failed validation counts as existing, so
    one broken file gives one problem, not one more per recipe that uses it.
    """
    english = {path.stem for path in modules_dir.glob("*.md") if "." not in path.stem}
    if DISCLAIMER_ID not in english:
        problems.append(
            Problem(
                modules_dir / f"{DISCLAIMER_ID}.md",
                "the disclaimer module is missing; every handout must end with it",
                "restore handouts/modules/disclaimer.md",
            )
        )
    for handout in handouts.values():
        for index, module_id in enumerate(handout.recipe.modules):
            if module_id not in english:
                problems.append(
                    Problem(
                        handout.path,
                        f"unknown module '{module_id}'.{suggest(module_id, english)}",
                        "use an id from 'acuprint list' (files in handouts/modules/)",
                        toml_line(handout.text, ("modules", index), module_id),
                        f"modules[{index}]",
                    )
                )
    brand_fonts = sorted(key for key, family in fonts.items() if not family.languages)
    for clinic in clinics.values():
        chosen = [("fonts.body", clinic.profile.fonts.body)]
        if clinic.profile.fonts.headings:
            chosen.append(("fonts.headings", clinic.profile.fonts.headings))
        for key, family in chosen:
            if family not in brand_fonts:
                problems.append(
                    Problem(
                        clinic.folder / "clinic.toml",
                        f"unknown font '{family}'.{suggest(family, brand_fonts)}",
                        "use one of the bundled fonts: " + ", ".join(brand_fonts),
                        toml_line(clinic.text, tuple(key.split("."))),
                        key,
                    )
                )
        for lang in clinic.profile.languages:
            missing = sorted(
                {
                    module_id
                    for handout in handouts.values()
                    for module_id in [*handout.recipe.modules, DISCLAIMER_ID]
                    if (module_id, SOURCE_LANGUAGE) in modules and (module_id, lang) not in modules
                }
            )
            if missing:
                problems.append(
                    Problem(
                        clinic.folder / "clinic.toml",
                        f"language '{lang}' has no translation of: {', '.join(missing)}",
                        f"add handouts/modules/<id>.{lang}.md files or remove '{lang}'",
                        toml_line(clinic.text, ("languages",), lang),
                        "languages",
                    )
                )
    _check_sources_agree(modules, problems)


def _check_sources_agree(modules: dict[tuple[str, str], Module], problems: list[Problem]) -> None:
    """A source id means one citation everywhere, so references list it once."""
    first: dict[str, tuple[str, Path]] = {}
    for (_, lang), module in sorted(modules.items()):
        if lang != SOURCE_LANGUAGE:
            continue
        for source in module.meta.sources:
            seen = first.setdefault(source.id, (source.citation, module.path))
            if seen[0] != source.citation:
                problems.append(
                    Problem(
                        module.path,
                        f"source '{source.id}' has a different citation in {seen[1].name}",
                        "copy the citation exactly, or give this source another id",
                        key="sources",
                    )
                )


def _inside(path: Path, folder: Path) -> bool:
    """True if `path`, after resolving links and '..', stays inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())
