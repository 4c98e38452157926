"""PDF/A-3b rules (ISO 19005-3:2012), named by their veraPDF validation profile ids.

An id is the clause and test number of veraPDF's PDFA-3B profile
("6.2.4.3-2"), so a finding reads the same as a veraPDF report. Only the
rules that matter most for archived handouts are here: file structure,
output intent and device colour, fonts and glyphs, annotations, actions and
the XMP identification.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pikepdf import Array, Dictionary, Stream

from acuprint.checks.conformance import Violation, rule
from acuprint.checks.conformance.fonts import font_problems
from acuprint.checks.conformance.objects import (
    OutputProfile,
    actions,
    colour_uses,
    output_profiles,
    xmp,
    xmp_value,
)

STANDARD = "PDF/A-3b"
_ID = "ISO 19005-3:2012"


def _pdfa_profile(pdf: Any) -> OutputProfile | None:
    for profile in output_profiles(pdf):
        if isinstance(profile, OutputProfile) and profile.subtype == "/GTS_PDFA1":
            return profile
    return None


@rule(f"{_ID} 6.1.3-1", STANDARD, "The trailer has a file identifier (ID)")
def file_id(pdf: Any) -> Iterator[Violation]:
    """The /ID array."""
    if not isinstance(pdf.trailer.get("/ID"), Array):
        yield Violation(f"{_ID} 6.1.3-1", "the trailer has no ID")


@rule(f"{_ID} 6.1.3-2", STANDARD, "The trailer has no Encrypt key")
def not_encrypted(pdf: Any) -> Iterator[Violation]:
    """An archive must open without a key, forever."""
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        yield Violation(f"{_ID} 6.1.3-2", "the file is encrypted")


@rule(f"{_ID} 6.2.3-1", STANDARD, "The output intent's profile is an output or monitor profile")
def output_profile(pdf: Any) -> Iterator[Violation]:
    """DestOutputProfile: a valid ICC profile of class 'prtr' or 'mntr'."""
    for profile in output_profiles(pdf):
        if isinstance(profile, str):
            yield Violation(f"{_ID} 6.2.3-1", profile)
        elif profile.device_class not in ("prtr", "mntr"):
            yield Violation(f"{_ID} 6.2.3-1", f"the profile's class is {profile.device_class!r}")


@rule(f"{_ID} 6.2.3-2", STANDARD, "All output intents share one destination profile")
def one_output_profile(pdf: Any) -> Iterator[Violation]:
    """A file that is PDF/A and PDF/X at once must use the same profile for both."""
    profiles = {p.data for p in output_profiles(pdf) if isinstance(p, OutputProfile)}
    if len(profiles) > 1:
        yield Violation(f"{_ID} 6.2.3-2", f"{len(profiles)} different output profiles")


def _device_colour(pdf: Any, family: str, test: str, allowed: bool) -> Iterator[Violation]:
    seen: set[str] = set()
    for use in colour_uses(pdf):
        if use.device and use.family == family and not allowed and use.where not in seen:
            seen.add(use.where)
            yield Violation(
                f"{_ID} {test}",
                f"Device{family} ({use.where}) without a matching PDF/A output intent",
                use.page,
            )


@rule(f"{_ID} 6.2.4.3-2", STANDARD, "DeviceRGB only with an RGB PDF/A output intent")
def device_rgb(pdf: Any) -> Iterator[Violation]:
    """Uncalibrated RGB is defined by the output intent's profile."""
    profile = _pdfa_profile(pdf)
    yield from _device_colour(
        pdf, "RGB", "6.2.4.3-2", bool(profile and profile.colour_space == "RGB ")
    )


@rule(f"{_ID} 6.2.4.3-3", STANDARD, "DeviceCMYK only with a CMYK PDF/A output intent")
def device_cmyk(pdf: Any) -> Iterator[Violation]:
    """Uncalibrated CMYK is defined by the output intent's profile."""
    profile = _pdfa_profile(pdf)
    yield from _device_colour(
        pdf, "CMYK", "6.2.4.3-3", bool(profile and profile.colour_space == "CMYK")
    )


@rule(f"{_ID} 6.2.4.3-4", STANDARD, "DeviceGray only with a PDF/A output intent")
def device_gray(pdf: Any) -> Iterator[Violation]:
    """Any PDF/A output intent defines gray."""
    yield from _device_colour(pdf, "Gray", "6.2.4.3-4", _pdfa_profile(pdf) is not None)


@rule(f"{_ID} 6.2.8-3", STANDARD, "Images are not interpolated (Interpolate is false)")
def no_interpolation(pdf: Any) -> Iterator[Violation]:
    """Interpolation makes an image look different from one viewer to another."""
    for obj in pdf.objects:
        if isinstance(obj, Stream) and obj.get("/Subtype") == "/Image" and obj.get("/Interpolate"):
            yield Violation(f"{_ID} 6.2.8-3", f"image {obj.objgen[0]} has Interpolate true")


@rule(f"{_ID} 6.2.11.4.1-1", STANDARD, "Every font used for rendering is embedded")
def fonts_embedded(pdf: Any) -> Iterator[Violation]:
    """An archive must render without the fonts of the machine that opens it."""
    for problem in font_problems(pdf):
        if problem.kind == "not embedded":
            yield Violation(f"{_ID} 6.2.11.4.1-1", problem.message, problem.page)


@rule(f"{_ID} 6.2.11.4.1-2", STANDARD, "Embedded fonts define every glyph referenced")
def glyphs_present(pdf: Any) -> Iterator[Violation]:
    """Each CID shown must map to a glyph of the embedded program."""
    for problem in font_problems(pdf):
        if problem.kind == "missing glyph":
            yield Violation(f"{_ID} 6.2.11.4.1-2", problem.message, problem.page)


@rule(f"{_ID} 6.2.11.5-1", STANDARD, "Glyph widths in the PDF match the embedded font program")
def glyph_widths(pdf: Any) -> Iterator[Violation]:
    """Within 1/1000 em, as veraPDF allows."""
    for problem in font_problems(pdf):
        if problem.kind == "width":
            yield Violation(f"{_ID} 6.2.11.5-1", problem.message, problem.page)


@rule(f"{_ID} 6.2.11.7.2-1", STANDARD, "Fonts map their codes to Unicode (ToUnicode)")
def to_unicode(pdf: Any) -> Iterator[Violation]:
    """Required at level U; acuprint holds its archive files to it so text can be searched."""
    for problem in font_problems(pdf):
        if problem.kind == "no ToUnicode":
            yield Violation(f"{_ID} 6.2.11.7.2-1", problem.message, problem.page)


@rule(f"{_ID} 6.2.11.8-1", STANDARD, "No text shows the .notdef glyph")
def no_notdef(pdf: Any) -> Iterator[Violation]:
    """A .notdef glyph is a character the font did not have."""
    for problem in font_problems(pdf):
        if problem.kind == "notdef":
            yield Violation(f"{_ID} 6.2.11.8-1", problem.message, problem.page)


@rule(f"{_ID} 6.3.2-2", STANDARD, "Annotations print and are not hidden")
def annotation_flags(pdf: Any) -> Iterator[Violation]:
    """The F key: Print set; Hidden, Invisible, NoView and ToggleNoView clear."""
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == "/Popup":
                continue
            if "/F" not in annotation:
                yield Violation(f"{_ID} 6.3.2-1", "an annotation has no F key", number)
                continue
            flags = int(annotation.F)
            if flags & 1 or flags & 2 or not flags & 4 or flags & 32 or flags & 256:
                yield Violation(f"{_ID} 6.3.2-2", f"an annotation's flags are {flags}", number)


@rule(f"{_ID} 6.3.3-1", STANDARD, "Every annotation but Popup and Link has an appearance (AP N)")
def annotation_appearances(pdf: Any) -> Iterator[Violation]:
    """An archive shows each form field as drawn, not as a viewer would draw it."""
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") in ("/Popup", "/Link"):
                continue
            appearance = annotation.get("/AP")
            if not isinstance(appearance, Dictionary) or "/N" not in appearance:
                kind = annotation.get("/Subtype", "an annotation")
                yield Violation(f"{_ID} 6.3.3-1", f"a {kind} has no normal appearance", number)


@rule(f"{_ID} 6.4.1-3", STANDARD, "The form does not ask viewers to draw its fields")
def need_appearances(pdf: Any) -> Iterator[Violation]:
    """NeedAppearances absent or false in the interactive form dictionary."""
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, Dictionary) and bool(form.get("/NeedAppearances", False)):
        yield Violation(f"{_ID} 6.4.1-3", "the form sets NeedAppearances true")


@rule(f"{_ID} 6.5.1-1", STANDARD, "No JavaScript, Launch, ResetForm or other forbidden actions")
def forbidden_actions(pdf: Any) -> Iterator[Violation]:
    """Actions that run code or change the document are not allowed in an archive."""
    forbidden = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide"}
    forbidden |= {"/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
    for where, action in actions(pdf):
        if str(action.get("/S", "")) in forbidden:
            yield Violation(f"{_ID} 6.5.1-1", f"a {action.S} action: {where}")


@rule(f"{_ID} 6.6.2.1-1", STANDARD, "The catalog has an XMP metadata stream (Type/Subtype)")
def metadata_stream(pdf: Any) -> Iterator[Violation]:
    """/Metadata in the catalog, a stream with /Type /Metadata and /Subtype /XML."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, Stream):
        yield Violation(f"{_ID} 6.6.2.1-1", "the catalog has no metadata stream")
    elif metadata.get("/Type") != "/Metadata" or metadata.get("/Subtype") != "/XML":
        yield Violation(f"{_ID} 6.6.2.1-1", "the metadata stream is not /Type /Metadata /XML")


@rule(f"{_ID} 6.6.4-1", STANDARD, "XMP identifies the file as PDF/A-3, conformance B (pdfaid)")
def pdfa_identification(pdf: Any) -> Iterator[Violation]:
    """The PDF/A identification schema: pdfaid:part 3, pdfaid:conformance B (6.6.4-2, -3)."""
    text = xmp(pdf)
    if text is None or "pdfaid:" not in text:
        yield Violation(f"{_ID} 6.6.4-1", "the XMP metadata has no PDF/A identification")
        return
    part = xmp_value(text, "pdfaid", "part")
    if part != "3":
        yield Violation(f"{_ID} 6.6.4-2", f"pdfaid:part is {part!r}, not '3'")
    conformance = xmp_value(text, "pdfaid", "conformance")
    if conformance not in ("B", "U", "A"):
        yield Violation(f"{_ID} 6.6.4-3", f"pdfaid:conformance is {conformance!r}")


@rule(f"{_ID} 6.8-3", STANDARD, "Embedded files name their relationship (AFRelationship)")
def embedded_files(pdf: Any) -> Iterator[Violation]:
    """PDF/A-3 allows attachments, each with its MIME type and relationship."""
    for obj in pdf.objects:
        if isinstance(obj, Dictionary) and obj.get("/Type") == "/Filespec" and "/EF" in obj:
            name = str(obj.get("/UF", obj.get("/F", "?")))
            if "/AFRelationship" not in obj:
                yield Violation(f"{_ID} 6.8-3", f"the attachment {name} has no AFRelationship")
            if "/F" not in obj or "/UF" not in obj:
                yield Violation(f"{_ID} 6.8-2", f"the attachment {name} lacks F or UF")
