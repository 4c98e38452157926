"""Find the line in a source file that a validation error points at."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

Loc = Sequence[str | int]


def _key_parts(name: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in name.split("."))


def toml_line(text: str, loc: Loc, value: str | None = None) -> int | None:
    """Return the 1-based line of the TOML key at `loc`, or of its nearest parent.

    `loc` is a pydantic location such as ("colors", "primary") or
    ("practitioners", 1, "name"). Where `value` is given and the key holds an
    array spread over lines, the line that holds that value wins.
    """
    wanted = tuple(str(part) for part in loc)
    table: tuple[str, ...] = ()
    array_counts: dict[tuple[str, ...], int] = {}
    best: tuple[int, int] | None = None  # (depth matched, line)
    lines = text.splitlines()
    in_string: str | None = None  # the quote that opened a multi-line string
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            path = _key_parts(line[2 : line.find("]]")])
            index = array_counts[path] = array_counts.get(path, -1) + 1
            table = (*path, str(index))
            full = table
        elif line.startswith("["):
            table = _key_parts(line[1 : line.find("]")])
            full = table
        elif "=" in line:
            full = (*table, *_key_parts(line.split("=", 1)[0]))
        else:
            continue
        if wanted[: len(full)] == full and (best is None or len(full) > best[0]):
            best = (len(full), number)
            if full == wanted:
                break
    if best is None:
        return None
    if value is not None:
        needle = f'"{value}"'
        for number in range(best[1], len(lines) + 1):
            if needle in lines[number - 1]:
                return number
            if number > best[1] and "=" in lines[number - 1]:
                break
    return best[1]


def yaml_line(node: yaml.Node | None, loc: Loc, first_line: int = 1) -> int | None:
    """Return the 1-based line of the YAML node at `loc` (or its nearest parent).

    `first_line` is the file line on which the YAML text starts, so front
    matter inside a Markdown file reports lines of that file.
    """
    line: int | None = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + first_line
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    line = key_node.start_mark.line + first_line
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + first_line
        node = child
    return line
