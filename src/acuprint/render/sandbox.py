"""The one rule for what a handout may load: data: URLs and files inside allowed folders.

Used by the PDF renderer's URL fetcher and by the standalone-HTML inliner,
so a stylesheet or module can never make acuprint reach the network or
read a file elsewhere on the machine.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


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
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s'"]*))\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)


def inline_css_urls(css: str, base_url: str, allowed: tuple[Path, ...]) -> tuple[str, list[str]]:
    """Replace every url() in `css` by a data: URL of the allowed file it names.

    Returns the new CSS and one message per refused URL (a URL outside the
    sandbox, or an @import, which a standalone page cannot follow); the
    caller treats any refusal as an error.
    """
    return _rewrite(css, base_url, allowed, inline=True)


def blocked_css_urls(css: str, base_url: str, allowed: tuple[Path, ...]) -> list[str]:
    """One message per url() or @import in `css` that the sandbox refuses."""
    return _rewrite(css, base_url, allowed, inline=False)[1]


def _rewrite(
    css: str, base_url: str, allowed: tuple[Path, ...], *, inline: bool
) -> tuple[str, list[str]]:
    refused: list[str] = []

    def replace(match: re.Match[str]) -> str:
        target = next(group for group in match.groups() if group is not None)
        if not target or target.startswith("data:"):
            return match.group(0)
        try:
            path = allowed_file(urljoin(base_url, target), allowed)
            if path is None or not inline:
                return match.group(0)
            return f'url("{data_uri(path)}")'
        except (BlockedFetch, OSError) as exc:
            refused.append(str(exc))
            return 'url("data:,")'

    def drop_import(match: re.Match[str]) -> str:
        refused.append(f"@import is not allowed; put the rules in the sheet: {match.group(0)}")
        return ""

    return _URL.sub(replace, _IMPORT.sub(drop_import, css)), refused
