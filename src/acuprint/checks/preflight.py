"""Preflight: inspect a finished PDF the way a print shop or an accessibility check would.

Reads only the PDF (its boxes, fonts, text, tags, output intent, images), so
it can check files acuprint did not make as well as its own, and `acuprint
build` runs it on every PDF it writes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
BLEED_POINTS = 3 * 72 / 25.4
MIN_DPI = 300
_SHOWN_TEXT = re.compile(rb"\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


@dataclass(frozen=True)
class Check:
    """One preflight check and what it found."""

    name: str
    ok: bool
    detail: str
    warning: bool = False  # a problem to report that does not fail the file


@dataclass
class PreflightReport:
    """Every check of one PDF."""

    path: str
    profile: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if no check failed (warnings allowed)."""
        return not self.failures

    @property
    def failures(self) -> list[Check]:
        """The checks that failed."""
        return [check for check in self.checks if not check.ok and not check.warning]

    @property
    def warnings(self) -> list[Check]:
        """The checks that found something to fix that does not fail the file."""
        return [check for check in self.checks if check.warning]

    def format(self) -> str:
        """A short report: a line for the file, a line per check."""
        lines = [f"{self.path} ({self.profile}): {'ok' if self.ok else 'FAILED'}"]
        lines += [
            f"  {'warn' if c.warning else 'ok  ' if c.ok else 'FAIL'}  {c.name}: {c.detail}"
            for c in self.checks
        ]
        return "\n".join(lines)


def preflight(
    data: bytes,
    name: str,
    *,
    profile: str | None = None,
    paper: str | None = None,
    max_pages: int | None = None,
    page_limit_reason: str | None = None,
) -> PreflightReport:
    """Check one PDF; `profile` is read from the file when not given."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        pages = list(reader.pages)
        root = reader.trailer["/Root"]
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        report = PreflightReport(name, profile or "unknown")
        report.checks.append(Check("readable", False, f"not a readable PDF ({exc})"))
        return report
    profile = profile or _profile_of(root)
    report = PreflightReport(name, profile)
    checks = report.checks
    checks.append(_page_size(pages, profile, paper))
    checks.append(_boxes(pages, profile))
    checks.append(_fonts(pages))
    checks.append(_glyphs(pages))
    checks.append(_title_and_language(reader, root))
    if profile == "office":
        checks.append(_tagged(root))
    if profile in ("press", "archive"):
        checks.append(_output_intent(root, profile))
        checks.append(_conformance(data, profile))
    checks.append(_images(pages, required=profile == "press"))
    if max_pages is not None:
        checks.append(
            Check(
                "page count",
                len(pages) <= max_pages,
                f"{len(pages)} pages ({page_limit_reason or f'the recipe allows {max_pages}'})",
            )
        )
    return report


def preflight_file(path: Path, **expected: Any) -> PreflightReport:
    """Check a PDF file on disk."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report = PreflightReport(str(path), "unknown")
        report.checks.append(Check("readable", False, f"cannot be read: {exc.strerror}"))
        return report
    return preflight(data, str(path), **expected)


def _profile_of(root: Any) -> str:
    intents = root.get("/OutputIntents")
    if intents:
        subtype = intents[0].get_object().get("/S")
        if subtype == "/GTS_PDFX":
            return "press"
        if subtype == "/GTS_PDFA1":
            return "archive"
    return "office"


def _page_size(pages: list[Any], profile: str, paper: str | None) -> Check:
    sizes = {(round(float(p.trimbox.width), 1), round(float(p.trimbox.height), 1)) for p in pages}
    if len(sizes) != 1:
        return Check("page size", False, f"pages differ in size: {sorted(sizes)}")
    width, height = sizes.pop()
    named = next(
        (n for n, (w, h) in PAPER_POINTS.items() if abs(w - width) < 1 and abs(h - height) < 1),
        None,
    )
    if named is None:  # landscape, as for a tri-fold brochure
        named = next(
            (n for n, (h, w) in PAPER_POINTS.items() if abs(w - width) < 1 and abs(h - height) < 1),
            None,
        )
    if paper is not None and named != paper:
        return Check("page size", False, f"{width} x {height} pt, expected {paper}")
    if named is None:
        return Check("page size", False, f"{width} x {height} pt is neither Letter nor A4")
    return Check("page size", True, f"{named} ({width} x {height} pt), {len(pages)} pages")


def _boxes(pages: list[Any], profile: str) -> Check:
    for number, page in enumerate(pages, start=1):
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        margins = [
            float(trim.left) - float(bleed.left),
            float(trim.bottom) - float(bleed.bottom),
            float(bleed.right) - float(trim.right),
            float(bleed.top) - float(trim.top),
        ]
        if profile == "press":
            if "/TrimBox" not in page or "/BleedBox" not in page:
                return Check("boxes", False, f"page {number} has no TrimBox and BleedBox")
            if min(margins) < BLEED_POINTS - 0.1:
                return Check("boxes", False, f"page {number}: bleed under 3 mm ({margins} pt)")
        elif [float(v) for v in trim] != [float(v) for v in media]:
            return Check("boxes", False, f"page {number}: trim and media boxes differ")
    if profile == "press":
        return Check("boxes", True, "TrimBox and BleedBox with 3 mm bleed on every page")
    return Check("boxes", True, "trim size only (no bleed)")


def _fonts(pages: list[Any]) -> Check:
    seen: dict[str, tuple[bool, bool]] = {}
    for page in pages:
        fonts = _resources(page).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            base = str(font.get("/BaseFont", "?")).lstrip("/")
            subset = bool(re.match(r"^[A-Z]{6}\+", base))
            seen[base] = (embedded, subset)
    if not seen:
        return Check("fonts", False, "no fonts found")
    bad = [
        f"{n} ({'not embedded' if not e else 'not subset'})"
        for n, (e, s) in seen.items()
        if not (e and s)
    ]
    if bad:
        return Check("fonts", False, "; ".join(sorted(bad)))
    return Check("fonts", True, f"{len(seen)} fonts, all embedded and subset")


_TO_NOTDEF = re.compile(rb"<[0-9A-Fa-f]+>\s+0\s*$|<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s+0\s*$", re.M)


def _glyphs(pages: list[Any]) -> Check:
    # WeasyPrint shows a character no font has through an encoding that maps its
    # code to CID 0 (.notdef); other producers write glyph 0 into the text itself.
    for number, page in enumerate(pages, start=1):
        for ref in _resources(page).get("/Font", {}).values():
            encoding = ref.get_object().get("/Encoding")
            stream: Any = encoding.get_object() if encoding is not None else None
            if hasattr(stream, "get_data") and _TO_NOTDEF.search(stream.get_data()):
                name = str(ref.get_object().get("/BaseFont", "?")).lstrip("/")
                return Check(
                    "glyphs", False, f"page {number}: {name} shows a missing glyph (.notdef)"
                )
        content = page.get_contents()
        if content is not None and _shows_notdef(content.get_data()):
            return Check("glyphs", False, f"page {number} shows a missing glyph (.notdef)")
    return Check("glyphs", True, "no missing glyphs")


def _shows_notdef(content: bytes) -> bool:
    """True if text shown with two-byte glyph ids (Identity-H) uses glyph 0, .notdef."""
    for match in _SHOWN_TEXT.finditer(content):
        strings = _HEX.findall(match.group(1)) if match.group(1) is not None else [match.group(2)]
        for string in strings:
            if any(string[i : i + 4] == b"0000" for i in range(0, len(string) - 3, 4)):
                return True
    return False


def _title_and_language(reader: Any, root: Any) -> Check:
    title = (reader.metadata or {}).get("/Title")
    lang = root.get("/Lang")
    if not title or not lang:
        missing = [what for what, value in (("title", title), ("language", lang)) if not value]
        return Check("title and language", False, f"no document {' or '.join(missing)}")
    return Check("title and language", True, f"{title!s} ({lang})")


def _tagged(root: Any) -> Check:
    marked = root.get("/MarkInfo", {}).get("/Marked")
    if "/StructTreeRoot" not in root or not marked:
        return Check("tagged", False, "no tagged structure (StructTreeRoot, MarkInfo)")
    return Check("tagged", True, "tagged structure present")


def _output_intent(root: Any, profile: str) -> Check:
    intents = root.get("/OutputIntents")
    wanted = "/GTS_PDFX" if profile == "press" else "/GTS_PDFA1"
    if not intents:
        return Check("output intent", False, "no output intent")
    intent = intents[0].get_object()
    if intent.get("/S") != wanted or "/DestOutputProfile" not in intent:
        return Check("output intent", False, f"{intent.get('/S')}, expected {wanted}")
    components = intent["/DestOutputProfile"].get_object().get("/N")
    if profile == "press" and components != 4:
        return Check("output intent", False, f"profile has {components} components, not CMYK")
    return Check("output intent", True, str(intent.get("/OutputConditionIdentifier", "")))


def _conformance(data: bytes, profile: str) -> Check:
    """The rules of the standard the profile promises (PDF/X-4 or PDF/A-3b)."""
    from acuprint.checks.conformance.run import PROFILE_STANDARDS, check_conformance

    standard = PROFILE_STANDARDS[profile]
    violations = check_conformance(data, [standard])
    name = f"conformance ({standard})"
    if violations:
        shown = "; ".join(f"{v.rule}: {v.message}" for v in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        return Check(name, False, shown + more)
    return Check(name, True, "every rule acuprint checks passes")


def _images(pages: list[Any], required: bool) -> Check:
    """The effective resolution of every raster image, from the matrix it is drawn with."""
    from pypdf.generic import ContentStream

    lowest: tuple[float, int] | None = None
    for number, page in enumerate(pages, start=1):
        xobjects = _resources(page).get("/XObject", {})
        images = {
            name: obj.get_object()
            for name, obj in xobjects.items()
            if obj.get_object().get("/Subtype") == "/Image"
        }
        if not images:
            continue
        matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"q":
                stack.append(matrix)
            elif operator == b"Q" and stack:
                matrix = stack.pop()
            elif operator == b"cm":
                matrix = _multiply([float(v) for v in operands], matrix)
            elif operator == b"Do" and operands[0] in images:
                image = images[operands[0]]
                width_pt = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
                if width_pt > 0:
                    dpi = float(image["/Width"]) / (width_pt / 72)
                    if lowest is None or dpi < lowest[0]:
                        lowest = (dpi, number)
    if lowest is None:
        return Check("images", True, "no raster images")
    dpi, number = lowest
    if dpi < MIN_DPI:
        detail = (
            f"an image on page {number} prints at {dpi:.0f} dpi; print shops need {MIN_DPI}: "
            "use vector art (SVG) or an image with more pixels"
        )
        return Check("images", not required, detail, warning=required)
    return Check("images", True, f"lowest resolution {dpi:.0f} dpi")


def _resources(page: Any) -> Any:
    """A page's resources (a page may legally have none)."""
    resources = page.get("/Resources")
    return resources.get_object() if resources is not None else {}


def _multiply(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
