"""PDF/X-4 rules (ISO 15930-7:2010), the ones that matter most to a print shop.

Ids are "ISO 15930-7:2010 <clause>-<n>": the clause of the standard that sets
the requirement and a number for each test of it. There is no public
machine-readable PDF/X profile like veraPDF's for PDF/A, so the clause
numbers follow the standard's structure (6.1 file structure, 6.2 graphics,
6.3 fonts, 6.4 annotations and actions, 6.7 metadata); `acuprint:` rules are
acuprint's own promises for press files, stricter than the standard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pikepdf import Array, Name

from acuprint.checks.conformance import Violation, rule
from acuprint.checks.conformance.fonts import font_problems
from acuprint.checks.conformance.objects import (
    OutputProfile as _Profile,
)
from acuprint.checks.conformance.objects import (
    actions,
    colour_uses,
    output_profiles,
    xmp,
    xmp_value,
)

STANDARD = "PDF/X-4"
_ID = "ISO 15930-7:2010"


def _pdfx_profile(pdf: Any) -> _Profile | None:
    for profile in output_profiles(pdf):
        if isinstance(profile, _Profile) and profile.subtype == "/GTS_PDFX":
            return profile
    return None


@rule(f"{_ID} 6.1.2-1", STANDARD, "The file is PDF 1.6 or earlier, as PDF/X-4 is based on it")
def pdf_version(pdf: Any) -> Iterator[Violation]:
    """The header's version."""
    if tuple(int(p) for p in pdf.pdf_version.split(".")) > (1, 6):
        yield Violation(f"{_ID} 6.1.2-1", f"the file is PDF {pdf.pdf_version}, newer than 1.6")


@rule(f"{_ID} 6.1.3-1", STANDARD, "The file is not encrypted")
def not_encrypted(pdf: Any) -> Iterator[Violation]:
    """An encrypted file cannot be processed by every RIP."""
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        yield Violation(f"{_ID} 6.1.3-1", "the file is encrypted")


@rule(f"{_ID} 6.1.3-2", STANDARD, "The trailer has a file identifier (ID)")
def file_id(pdf: Any) -> Iterator[Violation]:
    """The /ID array."""
    if not isinstance(pdf.trailer.get("/ID"), Array):
        yield Violation(f"{_ID} 6.1.3-2", "the trailer has no ID")


@rule(f"{_ID} 6.2.2-1", STANDARD, "Exactly one GTS_PDFX output intent, with an embedded profile")
def output_intent(pdf: Any) -> Iterator[Violation]:
    """The output intent names the printing condition the file is made for."""
    intents = [i for i in pdf.Root.get("/OutputIntents", Array()) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        yield Violation(f"{_ID} 6.2.2-1", f"{len(intents)} GTS_PDFX output intents, not 1")
        return
    intent = intents[0]
    if "/DestOutputProfile" not in intent:
        yield Violation(f"{_ID} 6.2.2-1", "the output intent has no DestOutputProfile")
    if not str(intent.get("/OutputConditionIdentifier", "")):
        yield Violation(f"{_ID} 6.2.2-1", "the output intent has no OutputConditionIdentifier")


@rule(f"{_ID} 6.2.2-2", STANDARD, "The output intent's profile is a valid ICC output profile")
def output_profile(pdf: Any) -> Iterator[Violation]:
    """An output (printer) profile whose colour space matches its /N."""
    for profile in output_profiles(pdf):
        if isinstance(profile, str):
            yield Violation(f"{_ID} 6.2.2-2", profile)
            continue
        if profile.subtype != "/GTS_PDFX":
            continue
        if profile.device_class != "prtr":
            yield Violation(
                f"{_ID} 6.2.2-2", f"the profile's class is {profile.device_class!r}, not 'prtr'"
            )
        components = {"CMYK": 4, "RGB ": 3, "GRAY": 1}.get(profile.colour_space)
        if components != profile.components:
            yield Violation(
                f"{_ID} 6.2.2-2",
                f"the profile is {profile.colour_space.strip()} but /N is {profile.components}",
            )


@rule(f"{_ID} 6.2.3-1", STANDARD, "Every page has a TrimBox, within a BleedBox within MediaBox")
def page_boxes(pdf: Any) -> Iterator[Violation]:
    """Where the page is cut, and how far its art may run past the cut."""
    for number, page in enumerate(pdf.pages, start=1):
        media = [float(v) for v in page.obj.MediaBox]
        if "/TrimBox" not in page.obj and "/ArtBox" not in page.obj:
            yield Violation(f"{_ID} 6.2.3-1", "the page has no TrimBox (nor ArtBox)", number)
            continue
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.get("/ArtBox"))]
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
        if not _inside(trim, bleed):
            yield Violation(f"{_ID} 6.2.3-1", "the TrimBox is not inside the BleedBox", number)
        if not _inside(bleed, media):
            yield Violation(f"{_ID} 6.2.3-1", "the BleedBox is not inside the MediaBox", number)


def _inside(inner: list[float], outer: list[float]) -> bool:
    slack = 0.01
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@rule(
    f"{_ID} 6.2.4-1",
    STANDARD,
    "Device-dependent colour only in the output intent's colour space (Gray always allowed)",
)
def device_colour(pdf: Any) -> Iterator[Violation]:
    """DeviceRGB under a CMYK printing condition is unmanaged colour."""
    profile = _pdfx_profile(pdf)
    space = (
        {"CMYK": "CMYK", "RGB ": "RGB", "GRAY": "Gray"}.get(profile.colour_space, "")
        if profile
        else ""
    )
    seen: set[str] = set()
    for use in colour_uses(pdf):
        if use.device and use.family not in (space, "Gray") and use.where not in seen:
            seen.add(use.where)
            yield Violation(
                f"{_ID} 6.2.4-1",
                f"Device{use.family} ({use.where}) under a {space or 'missing'} output intent",
                use.page,
            )


@rule("acuprint press-1", STANDARD, "A press file uses no RGB at all, ICC-based included")
def no_rgb(pdf: Any) -> Iterator[Violation]:
    """acuprint converts every colour of a press file to CMYK; any RGB left is a bug."""
    seen: set[str] = set()
    for use in colour_uses(pdf):
        if use.family == "RGB" and use.where not in seen:
            seen.add(use.where)
            kind = "DeviceRGB" if use.device else "ICC-based RGB"
            yield Violation("acuprint press-1", f"{kind}: {use.where}", use.page)


@rule(f"{_ID} 6.3-1", STANDARD, "Every font used for rendering is embedded")
def fonts_embedded(pdf: Any) -> Iterator[Violation]:
    """A RIP without the font cannot print the text."""
    for problem in font_problems(pdf):
        if problem.kind == "not embedded":
            yield Violation(f"{_ID} 6.3-1", problem.message, problem.page)


@rule(f"{_ID} 6.3-2", STANDARD, "Embedded fonts have a glyph for every character code shown")
def glyphs_present(pdf: Any) -> Iterator[Violation]:
    """A glyph the program lacks prints as a box, or not at all, depending on the RIP."""
    for problem in font_problems(pdf):
        if problem.kind in ("missing glyph", "notdef"):
            yield Violation(f"{_ID} 6.3-2", problem.message, problem.page)


@rule(f"{_ID} 6.3-3", STANDARD, "Widths in the font dictionaries match the font programs")
def glyph_widths(pdf: Any) -> Iterator[Violation]:
    """A RIP that trusts the other widths sets the text differently."""
    for problem in font_problems(pdf):
        if problem.kind == "width":
            yield Violation(f"{_ID} 6.3-3", problem.message, problem.page)


@rule(f"{_ID} 6.4-1", STANDARD, "Annotations inside the BleedBox do not print")
def annotations_outside_print_area(pdf: Any) -> Iterator[Violation]:
    """Only TrapNet and PrinterMark annotations may print on the page's art."""
    for number, page in enumerate(pdf.pages, start=1):
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
        for annotation in page.obj.get("/Annots", Array()):
            subtype = annotation.get("/Subtype")
            if subtype in (Name("/TrapNet"), Name("/PrinterMark")):
                continue
            flags = int(annotation.get("/F", 0))
            prints = flags & 4 and not flags & 2 and "/AP" in annotation
            rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
            overlaps = (
                rect[0] < bleed[2]
                and rect[2] > bleed[0]
                and rect[1] < bleed[3]
                and rect[3] > bleed[1]
            )
            if prints and overlaps:
                yield Violation(
                    f"{_ID} 6.4-1", f"a {subtype} annotation prints inside the BleedBox", number
                )


@rule(f"{_ID} 6.4-2", STANDARD, "No JavaScript and no actions other than navigation")
def no_actions(pdf: Any) -> Iterator[Violation]:
    """A press file is printed, not run."""
    for where, action in actions(pdf):
        kind = str(action.get("/S", "?"))
        if kind not in ("/GoTo", "/URI", "/Named", "/GoToR", "/Thread"):
            yield Violation(f"{_ID} 6.4-2", f"a {kind.lstrip('/')} action: {where}")


@rule(f"{_ID} 6.7-1", STANDARD, "XMP metadata identifies the file as PDF/X-4 (GTS_PDFXVersion)")
def xmp_identification(pdf: Any) -> Iterator[Violation]:
    """The PDF/X identification schema in the catalog's metadata stream."""
    text = xmp(pdf)
    if text is None:
        yield Violation(f"{_ID} 6.7-1", "the catalog has no XMP metadata stream")
        return
    version = xmp_value(text, "pdfxid", "GTS_PDFXVersion")
    if version != "PDF/X-4":
        yield Violation(f"{_ID} 6.7-1", f"pdfxid:GTS_PDFXVersion is {version!r}, not 'PDF/X-4'")


@rule(f"{_ID} 6.7-2", STANDARD, "Title, creation and modification dates, and Trapped are set")
def document_information(pdf: Any) -> Iterator[Violation]:
    """What a print shop's job ticket reads: the title, dates and trapping state."""
    text = xmp(pdf) or ""
    info = pdf.trailer.get("/Info")
    for prefix, name in (("xmp", "CreateDate"), ("xmp", "ModifyDate")):
        if not xmp_value(text, prefix, name):
            yield Violation(f"{_ID} 6.7-2", f"the XMP metadata has no {prefix}:{name}")
    if "<dc:title>" not in text and not (info is not None and info.get("/Title")):
        yield Violation(f"{_ID} 6.7-2", "the file has no title")
    trapped = xmp_value(text, "pdf", "Trapped") or (
        str(info.get("/Trapped", "")).lstrip("/") if info is not None else ""
    )
    if trapped not in ("True", "False"):
        yield Violation(f"{_ID} 6.7-2", f"Trapped is {trapped or 'missing'}, not True or False")
