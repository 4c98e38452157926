"""Regional wording in modules (`::: us` blocks, `[[term]]`s) and handouts/regions.toml.

Modules keep US and UK wording side by side, so writers and translators see
both; a handout prints only its clinic's region. A term that differs inside a
shared sentence is written `[[term]]` and defined per language and region in
handouts/regions.toml, which also lists, per language and region, the words
that region's handouts must never print.

    Call [[emergency-number]] or go to [[emergency-department]] now.

    ::: us
    See your doctor or go to an urgent care clinic the same day.
    :::
    ::: uk
    See your GP or call NHS 111 the same day.
    :::
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from acuprint.errors import Problem, suggest
from acuprint.inputs.figures import FIGURES
from acuprint.inputs.files import read_toml
from acuprint.inputs.locate import toml_line

Region = Literal["us", "uk"]
REGIONS: tuple[Region, ...] = ("us", "uk")
REGIONS_FILE = Path("handouts") / "regions.toml"
MAX_TERM_CHARACTERS = 200
FENCE = re.compile(r"^:::[ \t]*(?P<name>\S*)[ \t]*$")
# A figure block (compose/figures.py): `::: figure NAME`, its `alt:` and
# `caption:` lines and any text it frames, closed by `:::`. Not a region.
FIGURE = re.compile(r"^:::[ \t]*figure[ \t]+(?P<name>\S+)[ \t]*$")
TERM = re.compile(r"\[\[(?P<name>[^\[\]\n]*)\]\]")


@dataclass(frozen=True)
class RegionalWording:
    """Terms per (language, region), and the words each region must never print."""

    terms: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    forbidden: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    path: Path | None = None

    def term(self, lang: str, region: str, name: str) -> str | None:
        """The wording of `name` in `lang` for `region`, or None if undefined."""
        return self.terms.get((lang, region), {}).get(name)

    def names(self, lang: str) -> set[str]:
        """Every term defined for `lang`, in any region."""
        return {n for (tag, _), terms in self.terms.items() if tag == lang for n in terms}


def load_regional_wording(root: Path, problems: list[Problem]) -> RegionalWording:
    """Read handouts/regions.toml (optional: no file means no terms); report what is wrong."""
    path = root / REGIONS_FILE
    if not path.exists():
        return RegionalWording()
    parsed = read_toml(path)
    if isinstance(parsed, Problem):
        problems.append(parsed)
        return RegionalWording(path=path)
    data, text = parsed
    terms: dict[tuple[str, str], dict[str, str]] = {}
    forbidden: dict[tuple[str, str], tuple[str, ...]] = {}

    def problem(keys: tuple[str, ...], message: str, fix: str) -> None:
        problems.append(Problem(path, message, fix, toml_line(text, keys), ".".join(keys)))

    for lang, regions in data.items():
        if not isinstance(regions, dict):
            problem((lang,), "must be a table of regions", f"write [{lang}.us] and [{lang}.uk]")
            continue
        for region, table in regions.items():
            if region not in REGIONS:
                problem(
                    (lang, region),
                    f"unknown region '{region}'.{suggest(region, REGIONS)}",
                    "use 'us' or 'uk'",
                )
                continue
            if not isinstance(table, dict):
                problem((lang, region), "must be a table of terms", 'write name = "wording"')
                continue
            found: dict[str, str] = {}
            for name, value in table.items():
                if name == "forbidden":
                    words = value.get("terms") if isinstance(value, dict) else None
                    if not isinstance(words, list) or not all(
                        isinstance(w, str) and w.strip() for w in words
                    ):
                        problem(
                            (lang, region, "forbidden"),
                            "forbidden terms must be a list of words",
                            'write terms = ["999", "A&E"]',
                        )
                    else:
                        forbidden[(lang, region)] = tuple(w.strip() for w in words)
                elif isinstance(value, str) and len(value.strip()) > MAX_TERM_CHARACTERS:
                    # Each [[term]] is replaced in place: a long one, used often,
                    # multiplies a module's size (1,500 uses took 1.8 GB).
                    problem(
                        (lang, region, name),
                        f"the wording is {len(value.strip()):,} characters long; a term is a "
                        "word or a short phrase",
                        f"keep it under {MAX_TERM_CHARACTERS} characters; put longer text in a "
                        "'::: us' / '::: uk' block of the module",
                    )
                elif isinstance(value, str) and value.strip():
                    found[name] = value.strip()
                else:
                    problem(
                        (lang, region, name),
                        "a term's wording must be text",
                        f'write {name} = "..."',
                    )
            terms[(lang, region)] = found
    return RegionalWording(terms, forbidden, path)


def check_module_regions(
    path: Path, body: str, first_line: int, lang: str, wording: RegionalWording
) -> list[Problem]:
    """Unknown regions, blocks not closed (or nested), and terms not defined for every region.

    `first_line` is the file line of the body's first line, so problems point
    at the line in the file.
    """
    found: list[Problem] = []
    where = wording.path or REGIONS_FILE
    open_at: int | None = None
    figure_at: int | None = None
    for offset, line in enumerate(body.splitlines()):
        number = first_line + offset
        figure = FIGURE.match(line)
        if figure:
            if open_at is not None or figure_at is not None:
                found.append(
                    Problem(
                        path,
                        "a figure block cannot start inside another block",
                        "close the block above with ':::' first",
                        number,
                    )
                )
            if figure.group("name") not in FIGURES:
                found.append(
                    Problem(
                        path,
                        f"unknown figure '{figure.group('name')}'."
                        + suggest(figure.group("name"), FIGURES),
                        f"use one of: {', '.join(FIGURES)} (styles/figures/<name>.svg)",
                        number,
                    )
                )
            figure_at = number
            continue
        fence = FENCE.match(line)
        if fence and figure_at is not None:
            if fence.group("name"):
                found.append(
                    Problem(
                        path,
                        f"the figure block opened on line {figure_at} is not closed",
                        "end the figure with a line ':::' before a regional block starts",
                        figure_at,
                    )
                )
            figure_at = None
            continue
        if figure_at is not None and not line.startswith((" ", "\t")):
            key = line.split(":", 1)[0].strip().lower() if ":" in line else ""
            if key in ("alt", "caption") and not line.split(":", 1)[1].strip():
                found.append(
                    Problem(path, f"the figure's {key} is empty", f"write {key}: <text>", number)
                )
        if fence:
            name = fence.group("name")
            if not name:
                if open_at is None:
                    found.append(
                        Problem(
                            path,
                            "':::' closes a regional block that was never opened",
                            "remove it, or open the block above with '::: us' or '::: uk'",
                            number,
                        )
                    )
                open_at = None
                continue
            if open_at is not None:
                found.append(
                    Problem(
                        path,
                        f"the regional block opened on line {open_at} is not closed",
                        "end each block with a line ':::' before the next block starts",
                        open_at,
                    )
                )
            if name not in REGIONS:
                found.append(
                    Problem(
                        path,
                        f"unknown region '{name}'.{suggest(name, REGIONS)}",
                        "open the block with '::: us' or '::: uk'",
                        number,
                    )
                )
            open_at = number
            continue
        for match in TERM.finditer(line):
            name = match.group("name").strip()
            missing = [r for r in REGIONS if wording.term(lang, r, name) is None]
            if len(missing) == len(REGIONS):
                found.append(
                    Problem(
                        path,
                        f"unknown term '[[{name}]]' in language '{lang}'."
                        + suggest(name, wording.names(lang)),
                        f"define {name} under [{lang}.us] and [{lang}.uk] in {where}, "
                        "or write the words themselves",
                        number,
                    )
                )
            elif missing:
                tables = " and ".join(f"[{lang}.{r}]" for r in missing)
                found.append(
                    Problem(
                        path,
                        f"term '[[{name}]]' has no wording for region {', '.join(missing)} "
                        f"in language '{lang}'",
                        f'add {name} = "..." under {tables} in {where}',
                        number,
                    )
                )
    if figure_at is not None:
        found.append(
            Problem(
                path,
                f"the figure block opened on line {figure_at} is never closed",
                "add a line ':::' where the figure ends",
                figure_at,
            )
        )
    if open_at is not None:
        found.append(
            Problem(
                path,
                f"the regional block opened on line {open_at} is never closed",
                "add a line ':::' where the regional text ends",
                open_at,
            )
        )
    return found
