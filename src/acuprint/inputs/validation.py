"""Turn parsing and pydantic errors into `Problem`s that name file, line, key and fix."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from acuprint.errors import Problem, suggest
from acuprint.inputs.locate import Loc
from acuprint.inputs.schema import SLUG

M = TypeVar("M", bound=BaseModel)
LineFinder = Callable[[Loc, str | None], int | None]


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
        return Problem(path, f"{value!r} is not valid here", _pattern_fix(error), line, key)
    name = str(next((p for p in reversed(loc) if isinstance(p, str)), "value"))
    simple = _plain_message(kind, name, error, _holds_tables(model, loc))
    if simple is not None:
        return Problem(path, simple[0], simple[1], line, key)
    about = _describe_field(model, loc)
    if kind == "value_error":  # a ValueError raised by a validator: its own words, no prefix
        message = str(error["ctx"].get("error", "")) if error.get("ctx") else ""
        return Problem(path, message or f"'{name}' is not valid", about, line, key)
    given = error.get("input")
    shown = repr(given) if isinstance(given, str | int | float | bool) else f"the value of '{name}'"
    return Problem(
        path,
        f"{shown} is not valid for '{name}'",
        f"expected: {about}" if about else "see the README's table of keys",
        line,
        key,
    )


def _pattern_fix(error: Any) -> str:
    pattern = error["ctx"]["pattern"]
    if pattern == SLUG:
        return "use lowercase letters, digits and single hyphens, e.g. 'back-pain'"
    if pattern.startswith("^[a-z]{2,3}"):
        return "use a language tag such as 'en', 'es' or 'zh-Hans'"
    return "use only letters, digits and spaces"


def _plain_message(kind: str, name: str, error: Any, tables: bool) -> tuple[str, str] | None:
    """A plain message and fix for common type errors, or None."""
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' must be a table of keys", f"write it as a [{name}] section with its keys"
    if kind == "list_type":
        if tables:
            return f"'{name}' must be a list", f"write each entry as a [[{name}]] block"
        return f"'{name}' must be a list", f'write it in square brackets, e.g. {name} = ["..."]'
    if kind == "too_short":
        return f"'{name}' is empty", "list at least one entry"
    if kind == "string_too_short":
        return f"'{name}' is empty", "write a value between the quotes"
    if kind == "string_too_long":
        return f"'{name}' is too long", f"keep it to {ctx.get('max_length')} characters"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{given!r} is not a whole number", "write a whole number, e.g. 2"
    if kind == "string_type":
        return f"{given!r} is not text", "put the value in double quotes"
    if kind in ("float_parsing", "float_type"):
        return f"{given!r} is not a number", "write a number, e.g. 1.5"
    if kind in ("bool_parsing", "bool_type"):
        return f"{given!r} is not true or false", "write true or false, without quotes"
    if kind == "greater_than":
        return f"{given!r} is too small", f"use more than {ctx.get('gt')}"
    if kind == "less_than":
        return f"{given!r} is too large", f"use less than {ctx.get('lt')}"
    if kind == "greater_than_equal":
        return f"{given!r} is too small", f"use {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"{given!r} is too large", f"use {ctx.get('le')} or less"
    return None


def _holds_tables(model: type[BaseModel], loc: tuple[str | int, ...]) -> bool:
    names = [part for part in loc if isinstance(part, str)]
    parent = _model_at(model, loc[:-1]) if names and isinstance(loc[-1], str) else None
    field = parent.model_fields.get(names[-1]) if parent and names else None
    return bool(field and _unwrap(field.annotation))


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
