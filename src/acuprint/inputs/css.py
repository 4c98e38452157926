"""Check a stylesheet when the project loads: syntax, selectors, fonts, and what it would load.

Stylesheets are untrusted. Each is read with a real CSS parser (tinycss2, the
one WeasyPrint uses), so escapes are decoded before any decision
(`u\\72l(...)` is `url(...)`, `@\\69mport` is `@import`), and every rule is
walked, inside `@media`, `@supports` and nested blocks too. A stylesheet may
load `data:` URLs and files inside its allowed folders only: `url()`,
`src()`, `image-set()` and `-webkit-image-set()` are all judged the same
way, for the PDF and the standalone HTML alike. `@import` is refused: the
standalone page could not follow it. Problems come back as values with the
file and line; nothing here raises for bad CSS.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import tinycss2

from acuprint.errors import Problem

# Functions whose string arguments are URLs the browser or WeasyPrint would load.
URL_FUNCTIONS = {
    "url",
    "src",
    "image-set",
    "-webkit-image-set",
    "image",
    "cross-fade",
    "-webkit-cross-fade",
}
_GENERIC_FAMILIES = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
    "math",
    "emoji",
    "fangsong",
    "inherit",
    "initial",
    "unset",
    "revert",
    "revert-layer",
}
# At-rules whose block holds rules, not declarations.
_RULE_BLOCKS = {"media", "supports", "layer", "container", "document", "scope", "starting-style"}


def check_stylesheet(
    path: Path,
    css: str,
    allowed: tuple[Path, ...],
    families: Iterable[str] = (),
    *,
    base: Path | None = None,
) -> list[Problem]:
    """Every problem in one stylesheet's text (`path` names it; `base` resolves its URLs)."""
    base_url = (base or path).resolve().as_uri()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    too_deep = _too_deep(rules)
    if too_deep is not None:  # checked (and rendered) recursively: refused before that
        return [
            Problem(
                path,
                f"blocks or brackets are nested more than {MAX_CSS_DEPTH} levels deep",
                "close the blocks sooner: a stylesheet needs a few levels at most",
                too_deep,
            )
        ]
    checker = _Checker(path, base_url, allowed, {name.lower(): name for name in families})
    checker.rules(rules)
    checker.urls(rules)
    unique = {(p.line, p.message): p for p in checker.problems}
    return sorted(unique.values(), key=lambda p: p.line or 0)


def urls_in(css: str) -> list[tuple[str, int]] | None:
    """Every URL `css` would load, with its line (decoded, in any rule); None if too deep."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    if _too_deep(rules) is not None:
        return None
    return list(_urls(rules))


def url_verdict(target: str, base_url: str, allowed: tuple[Path, ...]) -> str | None:
    """Why the sandbox refuses `target`, or None if it may be loaded."""
    target = target.strip()
    if not target or target.lower().startswith("data:"):
        return None
    parts = urlsplit(urljoin(base_url, target))
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return f"loads {target} from outside the project (only files in the project may be used)"
    resolved = Path(unquote(parts.path)).resolve()
    if not any(resolved.is_relative_to(root) for root in allowed):
        return f"loads {target}, a file outside the folders this sheet may use"
    return None


class _Checker:
    def __init__(
        self, path: Path, base_url: str, allowed: tuple[Path, ...], known: dict[str, str]
    ) -> None:
        self.path = path
        self.base_url = base_url
        self.allowed = allowed
        self.known = known
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, message, fix, line))

    def rules(self, nodes: Iterable[Any]) -> None:
        for node in nodes:
            kind = node.type
            if kind == "error":
                self.add(node.source_line, f"CSS syntax error: {node.message}", _SYNTAX_FIX)
            elif kind == "qualified-rule":
                self.selector(node)
                self.block(node.content or [])
            elif kind == "at-rule":
                self.at_rule(node)
            elif kind == "declaration":
                self.declaration(node)

    def at_rule(self, node: Any) -> None:
        name = node.lower_at_keyword
        if name == "import":
            self.add(
                node.source_line,
                "@import is not allowed",
                "copy the rules into this sheet instead of importing them",
            )
            return
        if name == "font-face":
            self.add(
                node.source_line,
                "@font-face is not allowed: a handout prints only the bundled fonts",
                "add the font to styles/fonts/fonts.toml; a clinic chooses its fonts "
                "in clinic.toml [fonts]",
            )
            return
        if node.content is None:
            return
        if name in _RULE_BLOCKS:
            self.rules(tinycss2.parse_rule_list(node.content, True, True))
        else:  # @page, @font-face and their kin hold declarations (and margin rules)
            self.block(node.content)

    def block(self, content: list[Any]) -> None:
        for item in tinycss2.parse_blocks_contents(content, True, True):
            if item.type == "error":
                self.add(item.source_line, f"CSS syntax error: {item.message}", _SYNTAX_FIX)
            elif item.type == "declaration":
                self.declaration(item)
            elif item.type == "qualified-rule":
                self.selector(item, nested=True)
                self.block(item.content or [])
            elif item.type == "at-rule":
                self.at_rule(item)

    def selector(self, node: Any, nested: bool = False) -> None:
        import cssselect2

        prelude = [t for t in node.prelude if t.type != "comment"]
        if nested and prelude and prelude[0] == "&":
            prelude = prelude[1:]
        try:
            cssselect2.compile_selector_list(prelude)
        except cssselect2.SelectorError as exc:
            text = tinycss2.serialize(node.prelude).strip()
            reason = exc.args[-1] if exc.args else "not a selector"
            what = f"invalid selector '{text}' ({reason})" if text else "a block with no selector"
            self.add(
                node.source_line,
                what,
                "correct the selector (a stray character, a missing comma or dot, an extra '{')",
            )

    def declaration(self, node: Any) -> None:
        huge = next(_huge_numbers(node.value), None)
        if huge is not None:
            self.add(
                node.source_line,
                f"'{node.name}' has the value {huge:g}, far too large to lay out",
                f"use a value below {MAX_CSS_NUMBER:,} (sizes in pt, mm or em)",
            )
        if node.lower_name not in ("font-family", "font", *FONT_TOKENS) or not self.known:
            return
        for name in _var_names(node.value):
            if name not in FONT_TOKENS:
                self.add(
                    node.source_line,
                    f"'{node.name}' takes its font from var({name}), which could name any font",
                    "name a bundled family, or use var(--font-body) or var(--font-headings)",
                )
        values = _font_families(node.value) if node.lower_name == "font" else node.value
        for family in _families(values):
            if family.lower() not in self.known and family.lower() not in _GENERIC_FAMILIES:
                self.add(
                    node.source_line,
                    f"font '{family}' is not bundled, so it would not print as you see it",
                    "use a bundled family ("
                    + ", ".join(sorted(self.known.values()))
                    + "); a clinic chooses its fonts in clinic.toml [fonts]",
                )

    def urls(self, nodes: list[Any]) -> None:
        for function, computed, line in _computed_urls(nodes):
            self.add(
                line,
                f"{function}() takes its URL from {computed}(), which the sandbox cannot check",
                f'write the file name in {function}() itself, e.g. {function}("pattern.svg")',
            )
        for target, line in _urls(nodes):
            refused = url_verdict(target, self.base_url, self.allowed)
            if refused:
                self.add(
                    line,
                    refused,
                    "put the file in the clinic's folder (or styles/) and refer to it by name",
                )


MAX_CSS_DEPTH = 64


def _too_deep(nodes: list[Any]) -> int | None:
    """The line where blocks, brackets or functions nest past MAX_CSS_DEPTH, or None.

    Walked with a stack, not recursion, so any depth is measured safely.
    """
    stack = [(node, 1) for node in nodes]
    while stack:
        node, depth = stack.pop()
        kind = getattr(node, "type", None)
        if kind in ("qualified-rule", "at-rule"):
            children = [*(node.prelude or []), *(node.content or [])]
        elif kind == "function":
            children = node.arguments
        elif kind in ("() block", "[] block", "{} block"):
            children = node.content
        else:
            continue
        if depth > MAX_CSS_DEPTH:
            return int(node.source_line)
        stack.extend((child, depth + 1) for child in children)
    return None


# Larger numbers only break layout (WeasyPrint overflows on letter-spacing: 1e9px).
MAX_CSS_NUMBER = 100_000


def _huge_numbers(tokens: list[Any]) -> Iterator[float]:
    for token in tokens:
        kind = getattr(token, "type", None)
        if kind in ("number", "dimension", "percentage") and abs(token.value) > MAX_CSS_NUMBER:
            yield token.value
        elif kind == "function":
            yield from _huge_numbers(token.arguments)
        elif kind in ("() block", "[] block"):
            yield from _huge_numbers(token.content)


_SYNTAX_FIX = "check the braces, colons and semicolons around this line"


# The custom properties acuprint generates from clinic.toml [fonts] (render.stylesheets);
# styles/tokens.css gives them defaults. Only these may carry a font into font-family.
FONT_TOKENS = ("--font-body", "--font-headings")
# Functions whose value is computed: inside a URL function they would hide the URL.
_COMPUTED = {"var", "attr", "env", "if"}


def _var_names(tokens: list[Any]) -> Iterator[str]:
    """The custom properties a value reads with var(), fallbacks included."""
    for token in tokens:
        if getattr(token, "type", None) != "function":
            continue
        if token.lower_name == "var":
            names = [t for t in token.arguments if t.type == "ident"]
            if names:
                yield names[0].value
        yield from _var_names(token.arguments)


def _font_families(tokens: list[Any]) -> list[Any]:
    """The family list of a `font` shorthand: what follows its size (and /line-height)."""
    meaningful = [t for t in tokens if t.type not in ("whitespace", "comment")]
    for index, token in enumerate(meaningful):
        if token.type in ("dimension", "percentage") or (
            token.type == "ident" and token.lower_value in _SIZE_KEYWORDS
        ):
            rest = meaningful[index + 1 :]
            if rest and rest[0].type == "literal" and rest[0].value == "/":
                rest = rest[2:]
            return rest
    return []


_SIZE_KEYWORDS = {
    "xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large",
    "larger", "smaller", "math",
}  # fmt: skip


def _computed_urls(
    nodes: Iterable[Any], inside: str | None = None
) -> Iterator[tuple[str, str, int]]:
    """URL functions with var(), attr() or env() in their arguments, with their lines."""
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "function":
            if inside and node.lower_name in _COMPUTED:
                yield inside, node.lower_name, node.source_line
                continue
            within = node.lower_name if node.lower_name in URL_FUNCTIONS else inside
            yield from _computed_urls(node.arguments, within)
        elif kind in ("qualified-rule", "at-rule"):
            yield from _computed_urls(node.prelude or [])
            yield from _computed_urls(node.content or [])
        elif kind == "declaration":
            yield from _computed_urls(node.value)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _computed_urls(node.content, inside)


def _families(tokens: list[Any]) -> Iterator[str]:
    """Family names in a font-family value (var() is judged apart, by name)."""
    words: list[str] = []
    for token in [*tokens, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if words:
                yield " ".join(words)
            words = []
        elif token.type == "function" and token.lower_name == "var":
            # var(--name, fallback): the fallback is a family list of its own.
            fallback = _after_comma(token.arguments)
            if fallback:
                yield from _families(fallback)
        elif token.type == "string" or token.type == "ident":
            words.append(token.value)


def _after_comma(tokens: list[Any]) -> list[Any]:
    for index, token in enumerate(tokens):
        if token.type == "literal" and token.value == ",":
            return tokens[index + 1 :]
    return []


def _urls(nodes: Iterable[Any]) -> Iterator[tuple[str, int]]:
    """Every URL in a tree of rules and tokens (recursively), with its line."""
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "url":
            yield node.value, node.source_line
        elif kind == "function":
            if node.lower_name in URL_FUNCTIONS:
                for argument in node.arguments:
                    if argument.type == "string":
                        yield argument.value, argument.source_line
            yield from _urls(node.arguments)
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            for token in node.prelude:
                if token.type == "string":
                    yield token.value, token.source_line
            yield from _urls(node.prelude)
            yield from _urls(node.content or [])
        elif kind in ("qualified-rule", "at-rule"):
            yield from _urls(node.prelude or [])
            yield from _urls(node.content or [])
        elif kind == "declaration":
            yield from _urls(node.value)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _urls(node.content)
