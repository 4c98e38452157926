"""The one rule for what a handout may load: data: URLs and files inside allowed folders.

Used by the PDF renderer's URL fetcher and by the standalone-HTML inliner,
so a stylesheet or module can never make acuprint reach the network or
read a file elsewhere on the machine.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import tinycss2

from acuprint.inputs.css import URL_FUNCTIONS
from acuprint.inputs.reads import read_bytes


class BlockedFetch(ValueError):
    """A URL the sandbox refused."""


def allowed_file(url: str, allowed: tuple[Path, ...]) -> Path | None:
    """The local file `url` names if the sandbox allows it; None for a data: URL.

    Raises BlockedFetch for any other scheme, a remote host, or a file outside
    `allowed` (after resolving symbolic links and '..').
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        raise BlockedFetch(f"blocked {url}: only files inside the project may be used")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in allowed):
        raise BlockedFetch(f"blocked {url}: the file is outside the project's folders")
    return path


def data_uri(path: Path) -> str:
    """A file's content as a data: URL."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(read_bytes(path)).decode()


def inline_css_urls(css: str, base_url: str, allowed: tuple[Path, ...]) -> tuple[str, list[str]]:
    """Replace every URL in `css` by a data: URL of the allowed file it names.

    Read with the same CSS parser as the load-time check (escapes decoded, in
    every rule). Returns the new CSS and one message per refused URL; the
    caller treats any refusal as an error.
    """
    refused: list[str] = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    for token in _url_tokens(rules):
        target = token.value.strip()
        if not target or target.lower().startswith("data:"):
            continue
        try:
            path = allowed_file(urljoin(base_url, target), allowed)
            token.value = data_uri(path) if path is not None else target
        except (BlockedFetch, OSError) as exc:
            refused.append(str(exc))
            token.value = "data:,"
    for rule in rules:
        if getattr(rule, "type", None) == "at-rule" and rule.lower_at_keyword == "import":
            refused.append("@import is not allowed; put the rules in the sheet")
    # tinycss2 serializes a string or URL token from its `representation`, which
    # it builds from the *unescaped* value: a new value must be written there, and
    # every string is re-escaped so characters such as '<' stay escaped.
    for token in _tokens(rules):
        if token.type == "string":
            token.representation = _quoted(token.value)
        elif token.type == "url":
            token.representation = f"url({_quoted(token.value)})"
    return tinycss2.serialize(rules), refused


def _quoted(value: str) -> str:
    """`value` as a double-quoted CSS string; quotes, '\\', '<', '>', '&' and controls escaped."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 or ord(c) == 0x7F else c for c in value
    )
    return f'"{escaped}"'


def _tokens(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every token in `nodes`, recursively."""
    for node in nodes:
        yield node
        kind = getattr(node, "type", None)
        if kind == "function":
            yield from _tokens(node.arguments)
        elif kind in ("qualified-rule", "at-rule"):
            yield from _tokens(node.prelude or [])
            yield from _tokens(node.content or [])
        elif kind in ("() block", "[] block", "{} block"):
            yield from _tokens(node.content)


def _url_tokens(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every token holding a URL (url(), and strings in url-taking functions), recursively."""
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "url":
            yield node
        elif kind == "function":
            if node.lower_name in URL_FUNCTIONS:
                yield from (a for a in node.arguments if a.type == "string")
            yield from _url_tokens(node.arguments)
        elif kind in ("qualified-rule", "at-rule"):
            yield from _url_tokens(node.prelude or [])
            yield from _url_tokens(node.content or [])
        elif kind in ("() block", "[] block", "{} block"):
            yield from _url_tokens(node.content)
