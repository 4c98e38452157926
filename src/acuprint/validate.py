"""Turn parsing and pydantic errors into `Problem`s that name file, line, key and fix."""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem
from .locate import Loc

M = TypeVar("M", bound=BaseModel)
LineFinder = Callable[[Loc, str | None], int | None]


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return ` Did you mean 'x'?` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def read_toml(path: Path) -> tuple[dict[str, Any], str] | Problem:
    """Parse a TOML file, or return the syntax problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Problem(path, "the file is not UTF-8 text", "save it as UTF-8")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        return Problem(
            path,
            f"invalid TOML: {message}",
            "check quotes, brackets and '=' on that line (strings need double quotes)",
            line=line,
        )


def split_front_matter(path: Path, text: str) -> tuple[str, str, int] | Problem:
    """Split Markdown into (front matter, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return Problem(
            path,
            "no front matter",
            "start the file with a line '---', the YAML keys, then '---'",
            1,
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return Problem(path, "front matter is never closed", "add a line '---' after the keys", 1)


def parse_yaml(path: Path, text: str, first_line: int) -> tuple[Any, yaml.Node | None] | Problem:
    """Parse YAML safely; return (data, node tree) or the syntax problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return Problem(
            path,
            f"invalid YAML front matter: {reason}",
            "use 'key: value' lines; quote values that contain ':' or '#'",
            line,
        )
    return data, node


def validate(model: type[M], data: Any, path: Path, line_of: LineFinder) -> M | list[Problem]:
    """Validate `data` against `model`; on failure return one problem per error."""
    if not isinstance(data, dict):
        return [Problem(path, "expected a table of keys and values", "see the README", 1)]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = _without_misspelt_missing(model, exc.errors())
        return [_problem(model, path, error, line_of, data) for error in errors]


def _without_misspelt_missing(model: type[BaseModel], errors: list[Any]) -> list[Any]:
    """Drop "missing 'version'" when "unknown key 'verson'" already points at it."""
    misspelt: set[tuple[str | int, ...]] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            parent = tuple(error["loc"][:-1])
            close = difflib.get_close_matches(
                str(error["loc"][-1]), _fields_at(model, parent), n=1, cutoff=0.6
            )
            misspelt.update((*parent, name) for name in close)
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _problem(
    model: type[BaseModel], path: Path, error: Any, line_of: LineFinder, data: Any
) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    key = ".".join(str(part) for part in loc) or None
    kind = error["type"]
    value = error.get("input") if isinstance(error.get("input"), str) else None
    line = line_of(loc, value)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return Problem(
            path,
            f"unknown key '{loc[-1]}'.{suggest(str(loc[-1]), allowed)}",
            "remove it or correct the spelling; allowed keys here: " + ", ".join(allowed),
            line,
            key,
        )
    if kind == "missing":
        about = _describe_field(model, loc)
        return Problem(
            path,
            f"required key '{loc[-1]}' is missing",
            f"add '{loc[-1]}'" + (f" ({about})" if about else ""),
            line,
            key,
        )
    if kind == "acuprint":
        return Problem(path, error["msg"], error["ctx"]["fix"], line, key)
    if kind == "literal_error":
        return Problem(
            path,
            f"{error.get('input')!r} is not allowed here",
            f"use {error['ctx']['expected']}",
            line,
            key,
        )
    if kind.startswith(("date_", "datetime_")):
        return Problem(
            path,
            f"{error.get('input')!r} is not a date",
            "write the date as YYYY-MM-DD, e.g. 2026-11-15",
            line,
            key,
        )
    if kind == "string_pattern_mismatch":
        return Problem(
            path,
            f"{value!r} is not a valid id",
            "use lowercase letters, digits and single hyphens, e.g. 'back-pain'",
            line,
            key,
        )
    about = _describe_field(model, loc)
    return Problem(path, error["msg"], f"expected: {about}" if about else "", line, key)


def _unwrap(annotation: Any) -> list[Any]:
    """Return the model classes an annotation may hold (through list/Optional)."""
    found: list[Any] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
    return found


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        classes = _unwrap(field.annotation)
        current = classes[0] if classes else None
    return current


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target else []


def _describe_field(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return ""
    parent = _model_at(model, loc[:-1] if isinstance(loc[-1], str) else loc[:-2])
    if parent is None:
        return ""
    field = parent.model_fields.get(names[-1])
    if field is None or not field.description:
        return ""
    return field.description
