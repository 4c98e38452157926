"""HTML to PDF with WeasyPrint: the only module that imports it.

Every fetch goes through `SandboxFetcher`: `data:` URLs and files inside the
project's allowed folders only, so a stylesheet or module cannot make a
render reach the network or read a file elsewhere on the machine.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .render_html import HtmlDocument


class BlockedFetch(ValueError):
    """A URL the sandbox refused to fetch."""


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF: its bytes, page count and every warning WeasyPrint logged."""

    data: bytes
    pages: int
    warnings: tuple[str, ...] = field(default=())


class SandboxFetcher(URLFetcher):  # type: ignore[misc]
    """Allow `data:` URLs and `file:` URLs inside `allowed`; refuse everything else."""

    def __init__(self, allowed: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Fetch one URL if the sandbox allows it."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise BlockedFetch(f"blocked {url}: only files inside the project may be used")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self._allowed):
            raise BlockedFetch(f"blocked {url}: the file is outside the project's folders")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": kind}
        )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(document: HtmlDocument) -> PdfResult:
    """Lay out `document` and return the PDF bytes, page count and warnings."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        html = weasyprint.HTML(
            string=document.html,
            base_url=document.base_url,
            url_fetcher=SandboxFetcher(document.allowed_roots),
        )
        rendered = html.render(font_config=FontConfiguration(), pdf_tags=True)
        data = rendered.write_pdf(pdf_tags=True)
    finally:
        logger.removeHandler(collect)
    return PdfResult(data, len(rendered.pages), tuple(collect.messages))
