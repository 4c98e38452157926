"""Load the content: font catalogue, content modules and recipes."""

from __future__ import annotations

from pathlib import Path

from acuprint.errors import Problem
from acuprint.inputs.files import FrontMatterFile, read_front_matter, read_toml
from acuprint.inputs.loading import file_digest, inside, listed_twice, toml_finder
from acuprint.inputs.locate import Loc, toml_line, yaml_line
from acuprint.inputs.model import SLUG_PATTERN, SOURCE_LANGUAGE, Handout, Module
from acuprint.inputs.regions import RegionalWording, check_module_regions
from acuprint.inputs.schema import FontFamily, ModuleMeta, Recipe
from acuprint.inputs.validation import validate


def load_fonts(folder: Path, problems: list[Problem]) -> dict[str, FontFamily]:
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
            if not inside(folder / font_file, folder) or not (folder / font_file).is_file():
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


def load_modules(
    folder: Path, problems: list[Problem], regions: RegionalWording | None = None
) -> dict[tuple[str, str], Module]:
    modules: dict[tuple[str, str], Module] = {}
    for path in sorted(folder.glob("*.md")):
        module_id, _, lang = path.stem.partition(".")
        lang = lang or SOURCE_LANGUAGE
        too_large = _too_large(path)
        if too_large:
            problems.append(too_large)
            continue
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
        problems.extend(
            check_module_regions(
                path, parsed.body, _body_line(path, parsed.body), lang, regions or RegionalWording()
            )
        )
        lines = {"title": finder(("title",), None)}
        for index, source in enumerate(meta.sources):
            lines[f"source:{source.id}"] = finder(("sources", index, "id"), None)
        modules[(module_id, lang)] = Module(
            meta, parsed.body, path, file_digest(path), _body_line(path, parsed.body), lines
        )
    return modules


# A module is one section of a handout (the longest shipped is about 6 KB). Markdown
# parsing is slow, even quadratic, on some large inputs (long task lists), and the
# claims check reads every sentence: the cap comes before any of that work.
MAX_MODULE_BYTES = 50_000


def _too_large(path: Path) -> Problem | None:
    try:
        size = path.stat().st_size
    except OSError:
        return None  # read_front_matter says why it cannot be read
    if size <= MAX_MODULE_BYTES:
        return None
    return Problem(
        path,
        f"is {size:,} bytes, far more than one section of a handout",
        f"split it into modules of under {MAX_MODULE_BYTES:,} bytes each",
    )


def _body_line(path: Path, body: str) -> int:
    """The file line on which a module's Markdown body starts."""
    text = path.read_text(encoding="utf-8-sig")
    return text[: len(text) - len(body)].count("\n") + 1


def load_handouts(folder: Path, problems: list[Problem]) -> dict[str, Handout]:
    handouts: dict[str, Handout] = {}
    for path in sorted(folder.glob("*.toml")):
        if not SLUG_PATTERN.match(path.stem):
            problems.append(
                Problem(path, "the file name is not a valid id", "rename it like 'back-pain.toml'")
            )
            continue
        parsed = read_toml(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        data, text = parsed
        recipe = validate(Recipe, data, path, toml_finder(text))
        if isinstance(recipe, list):
            problems.extend(recipe)
            continue
        problems.extend(
            listed_twice(path, text, "modules", recipe.modules, "module", "where it should print")
        )
        handouts[path.stem] = Handout(path.stem, path, recipe, text, file_digest(path))
    return handouts
