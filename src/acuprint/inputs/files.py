"""Read the files staff edit: text, TOML, and Markdown with YAML front matter.

Every reader returns the parsed value or a `Problem` that names the file and
line; none raises for a user's mistake (a folder where a file should be, a
broken link, a file that is not UTF-8, a syntax error).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from acuprint.errors import Problem

MAX_BYTES = 2_000_000  # a content or profile file larger than this is a mistake


def read_text(path: Path) -> str | Problem:
    """The file's text (UTF-8, a byte-order mark allowed), or why it cannot be read."""
    if not path.is_file():
        return Problem(
            path, "is not a readable file", "replace it with a regular file or remove it"
        )
    if not path.resolve().is_relative_to(path.parent.resolve()):
        return Problem(
            path,
            "is a link to a file outside its folder",
            "copy the file into the folder instead of linking to it",
        )
    try:
        size = path.stat().st_size  # before reading: a huge (or sparse) file is never read
        if size > MAX_BYTES:
            return Problem(
                path, f"is {size:,} bytes, too large", f"keep it under {MAX_BYTES:,} bytes"
            )
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        return Problem(path, f"cannot be read: {exc.strerror}", "check the file's permissions")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(path, "is not UTF-8 text", "save the file with UTF-8 encoding", line=line)


def read_toml(path: Path) -> tuple[dict[str, Any], str] | Problem:
    """Parse a TOML file; return (data, text) or the syntax problem with its line."""
    text = read_text(path)
    if isinstance(text, Problem):
        return text
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        if not isinstance(exc, tomllib.TOMLDecodeError):  # a 5000-digit number, deep nesting
            return Problem(
                path,
                "invalid TOML: a number is too long or brackets are nested too deeply",
                "write numbers with fewer digits and keep lists and tables shallow",
                line=_line_of_extreme(text),
            )
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
    key = _nul_key(data)
    if key is not None:  # written as \u0000: no file name or printed text may hold one
        return Problem(
            path,
            "holds a NUL character (\\u0000), which no file name or text may contain",
            "remove the \\u0000 escape from the value",
            line=_line_of_nul(text),
            key=key,
        )
    return data, text


def _nul_key(value: object, key: str = "") -> str | None:
    """The dotted key of the first string (or key) holding a NUL character, or None."""
    if isinstance(value, str):
        return key if "\0" in value else None
    if isinstance(value, dict):
        items = [(f"{key}.{name}" if key else str(name), item) for name, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{key}[{index}]", item) for index, item in enumerate(value)]
    else:
        return None
    for where, item in items:
        found = where if "\0" in where else _nul_key(item, where)
        if found is not None:
            return found
    return None


def _line_of_nul(text: str) -> int | None:
    match = re.search(r"\\(u0000|U00000000)", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its parsed front matter and its body."""

    data: Any
    node: yaml.Node | None
    body: str
    first_line: int  # the file line on which the YAML starts


def read_front_matter(path: Path) -> FrontMatterFile | Problem:
    """Read Markdown with YAML front matter between two '---' lines."""
    text = read_text(path)
    if isinstance(text, Problem):
        return text
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return Problem(
            path, "no front matter", "start the file with a line '---', the keys, then '---'", 1
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return Problem(path, "front matter is never closed", "add a line '---' after the keys", 1)
    parsed = _parse_yaml(path, "".join(lines[1:end]), first_line=2)
    if isinstance(parsed, Problem):
        return parsed
    data, node = parsed
    return FrontMatterFile(data, node, "".join(lines[end + 1 :]), 2)


def _line_of_extreme(text: str) -> int | None:
    """The line of a very long number or very deep nesting, for a parser that gives none."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(r"\d{1000,}", line) or line.count("[") + line.count("{") > 100:
            return number
    return None


def _parse_yaml(path: Path, text: str, first_line: int) -> tuple[Any, yaml.Node | None] | Problem:
    try:
        alias = next(
            (e for e in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(e, yaml.AliasEvent)),
            None,
        )
        if alias is not None:  # anchors and aliases can multiply a small file into a huge one
            return Problem(
                path,
                f"front matter uses an alias (*{alias.anchor}), which acuprint does not allow",
                "write the value out in full instead of '&name' and '*name'",
                alias.start_mark.line + first_line if alias.start_mark else None,
            )
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            duplicate = _duplicate_key(node)
            bad = _bad_scalar(loader, node)
            if bad is not None:
                scalar, reason = bad
                if "digits" in reason:
                    reason = "the number has too many digits"
                return Problem(
                    path,
                    f"'{scalar.value[:40]}' is not a valid value: {reason}",
                    "write dates as YYYY-MM-DD with a real day, and numbers with few digits",
                    scalar.start_mark.line + first_line,
                )
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        return Problem(
            path, "front matter is nested too deeply", "keep lists and keys shallow", first_line
        )
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
    if duplicate is not None:
        key, line = duplicate
        return Problem(
            path,
            f"key '{key}' is given twice",
            "keep one of them",
            line + first_line,
            key,
        )
    return data, node


def _bad_scalar(loader: yaml.SafeLoader, node: yaml.Node | None) -> tuple[yaml.Node, str] | None:
    """The first scalar YAML cannot turn into a value (a 30 February, a year 0, a huge number)."""
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, yaml.ScalarNode):
            try:
                loader.construct_object(item, deep=True)
            except (ValueError, OverflowError, TypeError) as exc:
                return item, str(exc).split(":")[0]
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            stack.extend(v for pair in item.value for v in pair)
    return None


def _duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    """The first key that a mapping repeats (YAML would silently keep the last)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                return str(key.value), key.start_mark.line
            seen.add(key.value)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None
