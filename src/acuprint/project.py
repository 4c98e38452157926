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

from .errors import InputError, Problem
from .locate import Loc, toml_line, yaml_line
from .models import SLUG, ClinicProfile, FontFamily, ModuleMeta, Recipe
from .validate import parse_yaml, read_toml, split_front_matter, suggest, validate

DISCLAIMER_ID = "disclaimer"
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


@dataclass(frozen=True)
class Handout:
    """A validated recipe (handout definition), keyed by its file name."""

    id: str
    path: Path
    recipe: Recipe


@dataclass(frozen=True)
class Module:
    """A content module: validated front matter plus its Markdown body."""

    meta: ModuleMeta
    body: str
    path: Path
    body_line: int


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
    if not path.is_file():
        problems.append(
            Problem(path, "font catalogue is missing", "restore styles/fonts/fonts.toml")
        )
        return {}
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
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, "the file is not UTF-8 text", "save it as UTF-8"))
            continue
        split = split_front_matter(path, text)
        if isinstance(split, Problem):
            problems.append(split)
            continue
        front, body, body_line = split
        parsed = parse_yaml(path, front, first_line=2)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        data, node = parsed

        def finder(loc: Loc, value: str | None, node: Any = node) -> int | None:
            return yaml_line(node, loc, first_line=2)

        meta = validate(ModuleMeta, data, path, finder)
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
        modules[(module_id, lang)] = Module(meta, body, path, body_line)
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
        handouts[path.stem] = Handout(path.stem, path, recipe)
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
        if not path.is_file():
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
        logo = clinic_dir / profile.logo
        line = toml_line(text, ("logo",))
        if not _inside(logo, clinic_dir):
            problems.append(
                Problem(
                    path,
                    f"logo '{profile.logo}' is outside the clinic's folder",
                    f"put the logo in {clinic_dir.name}/ and give its file name",
                    line,
                    "logo",
                )
            )
            continue
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            problems.append(
                Problem(
                    path,
                    f"logo '{profile.logo}' is not an SVG or PNG file",
                    "save the logo as .svg (preferred) or .png",
                    line,
                    "logo",
                )
            )
            continue
        if not logo.is_file():
            problems.append(
                Problem(
                    path,
                    f"logo file '{profile.logo}' does not exist",
                    f"add the file to clinics/{clinic_dir.name}/ or correct 'logo'",
                    line,
                    "logo",
                )
            )
            continue
        css = clinic_dir / "clinic.css"
        clinics[clinic_dir.name] = Clinic(
            clinic_dir.name, clinic_dir, profile, logo.resolve(), css if css.is_file() else None
        )
    return clinics


def _check_references(
    modules_dir: Path,
    fonts: dict[str, FontFamily],
    modules: dict[tuple[str, str], Module],
    handouts: dict[str, Handout],
    clinics: dict[str, Clinic],
    problems: list[Problem],
) -> None:
    """Cross-file checks: every id a file names must exist.

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
        text = handout.path.read_text(encoding="utf-8")
        for index, module_id in enumerate(handout.recipe.modules):
            if module_id not in english:
                problems.append(
                    Problem(
                        handout.path,
                        f"unknown module '{module_id}'.{suggest(module_id, english)}",
                        "use an id from 'acuprint list' (files in handouts/modules/)",
                        toml_line(text, ("modules", index), module_id),
                        f"modules[{index}]",
                    )
                )
    for clinic in clinics.values():
        text = (clinic.folder / "clinic.toml").read_text(encoding="utf-8")
        chosen = [("fonts.body", clinic.profile.fonts.body)]
        if clinic.profile.fonts.headings:
            chosen.append(("fonts.headings", clinic.profile.fonts.headings))
        for key, family in chosen:
            if family not in fonts:
                problems.append(
                    Problem(
                        clinic.folder / "clinic.toml",
                        f"unknown font '{family}'.{suggest(family, fonts)}",
                        "use one of the bundled fonts: " + ", ".join(sorted(fonts)),
                        toml_line(text, tuple(key.split("."))),
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
                        toml_line(text, ("languages",), lang),
                        "languages",
                    )
                )


def _inside(path: Path, folder: Path) -> bool:
    """True if `path`, after resolving links and '..', stays inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
