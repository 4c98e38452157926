"""HTML to PDF with WeasyPrint: the only module that imports it.

Every fetch goes through `SandboxFetcher`: `data:` URLs and files inside the
project's allowed folders only, so a stylesheet or module cannot make a
render reach the network or read a file elsewhere on the machine.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import mimetypes
import os
import re
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from acuprint.atomic import write_atomic
from acuprint.checks.page_layout import DocumentLayout
from acuprint.inputs.environment import cache_dir
from acuprint.inputs.reads import Reads, read_bytes, record, record_digest, recording
from acuprint.private_api import check_weasyprint, languages_tagged
from acuprint.render.html import HtmlDocument
from acuprint.render.layout import summarize
from acuprint.render.sandbox import BlockedFetch, allowed_file
from acuprint.render.stylesheets import StyleSource
from acuprint.render.tagging import finish_tags, own_language

# WeasyPrint options per print profile. office: tagged, accessible PDF/UA-1 with
# the document's language and title; archive: PDF/A-3b, tagged too, with the
# build's inputs in the document information (from <meta> in the HTML).
PROFILE_OPTIONS: dict[str, dict[str, Any]] = {
    "office": {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
    "archive": {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "custom_metadata": True},
    "press": {"pdf_variant": "pdf/x-4", "pdf_tags": True},
}


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF: its bytes, page count and every warning WeasyPrint logged."""

    data: bytes
    pages: int
    warnings: tuple[str, ...] = field(default=())
    layout: DocumentLayout | None = None  # where headings, boxes and lines landed


class SandboxFetcher(URLFetcher):  # type: ignore[misc]
    """Allow `data:` URLs and `file:` URLs inside `allowed`; refuse everything else."""

    def __init__(self, allowed: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = allowed
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Fetch one URL if the sandbox allows it; remember every refusal."""
        try:
            path = allowed_file(url, self._allowed)
        except BlockedFetch as exc:
            self.refused.append(str(exc))
            raise
        if path is None:  # a data: URL
            return super().fetch(url, headers)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            body = read_bytes(path)  # recorded in the output's depfile
        except OSError:
            record(path, None)  # creating it later must rebuild the output
            raise
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": kind})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)


@contextmanager
def _quiet_fonttools() -> Iterator[None]:
    """fontTools (used by WeasyPrint for form fonts) logs chatter that is not a problem."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass
class _Sheet:
    css: Any
    warnings: tuple[str, ...]
    reads: Reads  # what parsing it fetched (fonts, images): replayed into every render using it


_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@cache
def _private_fontconfig_file(cache_folder: Path) -> str:
    """The private fontconfig file, kept in acuprint's cache folder and shared by every worker.

    A folder per worker in the temporary folder was never removed (workers are
    killed, not asked to exit); only if the cache folder cannot be written is a
    temporary one made, and removed when this process exits normally.
    """
    folder = cache_folder / "fontconfig"
    text = _FONTCONFIG.format(cache=(folder / "cache").resolve())
    try:
        config = folder / "acuprint-fonts.conf"
        if not config.is_file() or config.read_text(encoding="utf-8") != text:
            write_atomic(config, text.encode())
        return str(config)
    except OSError:
        temporary = Path(tempfile.mkdtemp(prefix="acuprint-fontconfig-"))
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        config = temporary / "acuprint-fonts.conf"
        config.write_text(_FONTCONFIG.format(cache=temporary / "cache"), encoding="utf-8")
        return str(config)


def _private_font_configuration(cache_folder: Path) -> Any:
    """A FontConfiguration that sees no system fonts: only bundled @font-face fonts exist.

    Output then cannot depend on the fonts a machine happens to have, and no
    font file outside the project is read. Fontconfig reads FONTCONFIG_FILE
    when the configuration is made, so the variable is set for that moment
    only: other programs this process starts (a browser in the tests, say)
    keep the machine's fonts.
    """
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = _private_fontconfig_file(cache_folder)
    try:
        with warnings.catch_warnings():
            # Expected: the private configuration has no system fonts at all.
            warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
            return FontConfiguration()
    finally:
        if previous is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = previous


@dataclass
class _Clinic:
    """What documents with the same fonts and clinic.css share: fonts, parsed sheets.

    A clinic with its own clinic.css never shares, so its CSS can never
    change another clinic's fonts. Images are not shared at all: WeasyPrint's
    image cache would skip the sandbox, and the warning, for an image
    already tried once.
    """

    font_config: Any
    color_profiles: dict[str, Any]
    sheets: dict[tuple[str, ...], _Sheet]


class PdfRenderer:
    """Renders PDFs in one process, reusing fonts, parsed stylesheets and images per clinic.

    A worker keeps one renderer for its whole life: each clinic's fonts are
    loaded once, and each stylesheet is parsed once per clinic (again only
    if its file changes).
    """

    def __init__(self) -> None:
        check_weasyprint()  # its private parts we use are those of one series
        self._clinics: dict[tuple[str, ...], _Clinic] = {}

    def render(
        self, document: HtmlDocument, profile: str = "office", forms: bool = False
    ) -> PdfResult:
        """Lay out `document` for a print profile; return the PDF bytes, pages and warnings."""
        options = {**PROFILE_OPTIONS[profile], "pdf_forms": forms or None}
        # Every stylesheet was checked when the project loaded (acuprint.inputs.css);
        # the fetcher below is the second wall.
        shared = self._clinics.get(document.share_key)
        if shared is None:
            font_config = _private_font_configuration(cache_dir(document.root))
            shared = self._clinics[document.share_key] = _Clinic(font_config, {}, {})
        fetcher = SandboxFetcher(document.allowed_roots)
        # Shared sheets may only load from styles/, so what they load is the
        # same for every clinic that shares them; the clinic's own sheet may
        # also load from the clinic's folder.
        shared_fetcher = SandboxFetcher(document.allowed_roots[:1])
        sheets = [
            self._sheet(
                shared, source, document.base_url, fetcher if source.clinic_only else shared_fetcher
            )
            for source in document.stylesheets
        ]
        with _collect_warnings() as messages, _quiet_fonttools():
            html = weasyprint.HTML(
                string=document.html, base_url=document.base_url, url_fetcher=fetcher
            )
            rendered = html.render(
                font_config=shared.font_config,
                color_profiles=shared.color_profiles,
                stylesheets=[sheet.css for sheet in sheets],
                **options,
            )
            key = hashlib.sha256(f"{profile}\n{document.html}".encode()).hexdigest()
            with languages_tagged(own_language):
                data = rendered.write_pdf(finisher=partial(_stable_document_id, key), **options)
            # Artifacts, tab order: what the HTML cannot tag; an archive's fields drawn.
            data = finish_tags(data, drawn_fields=profile == "archive")
        if fetcher.refused or shared_fetcher.refused:  # e.g. an SVG logo linking elsewhere
            raise BlockedFetch("; ".join([*fetcher.refused, *shared_fetcher.refused]))
        sheet_warnings = [w for sheet in sheets for w in sheet.warnings]
        layout = summarize(rendered)
        return PdfResult(data, len(rendered.pages), (*sheet_warnings, *messages), layout)

    @staticmethod
    def _sheet(
        shared: _Clinic, source: StyleSource, base_url: str, fetcher: SandboxFetcher
    ) -> _Sheet:
        text = source.read()  # recorded in the output's depfile
        if source.path is not None:
            base_url = source.path.resolve().as_uri()
        key = (str(source.path), hashlib.sha256(text.encode()).hexdigest(), base_url)
        sheet = shared.sheets.get(key)
        if sheet is None:
            with _collect_warnings() as messages, recording() as reads:
                css = weasyprint.CSS(
                    string=text,
                    base_url=base_url,
                    url_fetcher=fetcher,
                    font_config=shared.font_config,
                    color_profiles=shared.color_profiles,
                )
            # A parse warning belongs to every document that uses the sheet.
            sheet = _Sheet(css, tuple(f"{source.name}: {m}" for m in messages), reads)
            shared.sheets[key] = sheet
        for path, sha in sheet.reads.items():
            if sha is None:
                record(path, None)
            else:
                record_digest(path, sha)
        return sheet


_RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _stable_document_id(key: str, document: Any, pdf: Any) -> None:
    """Replace the random PDF/X document id WeasyPrint writes with one derived from `key`.

    `key` is a hash of the document's HTML and profile: the same inputs must
    give the same bytes, PDF/X included.
    """
    stable = f"xmp.did:{uuid.UUID(key[:32])}".encode()
    for item in pdf.objects:
        stream = getattr(item, "stream", None)
        if isinstance(stream, list):
            item.stream = [
                _RANDOM_DOCUMENT_ID.sub(stable, part) if isinstance(part, bytes) else part
                for part in stream
            ]


@cache
def _default_renderer() -> PdfRenderer:
    return PdfRenderer()


def render_pdf(document: HtmlDocument, profile: str = "office", forms: bool = False) -> PdfResult:
    """Render one document for a print profile with this process's shared renderer."""
    return _default_renderer().render(document, profile or "office", forms)
