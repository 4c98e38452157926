"""Finish a press PDF: all colour in CMYK, crop marks outside the bleed, a stable file.

WeasyPrint writes the CSS colours of the press profile in CMYK, but SVG art
(the logo, the QR code), raster images and its own crop marks stay in RGB.
`finish_press_pdf` rewrites the finished file with pikepdf so that a print
shop gets no device RGB at all:

- every RGB colour operator (`rg`, `RG`, `sc`/`scn` in an RGB space) of every
  page, form XObject, tiling pattern and annotation appearance becomes CMYK;
- RGB images, shadings (gradients), colour-space resources, transparency
  groups and annotation colours are converted the same way;
- fillable form fields (`--forms`) are drawn into the page, as PDF/X wants
  no annotation printing on the art;
- crop marks are drawn in registration colour (Separation /All) in a slug
  outside the 3 mm bleed, and the MediaBox grows to hold them;
- the output intent holds the committed ICC profile byte for byte (WeasyPrint
  has the colour library re-save it, which is not stable within a process).

Every conversion goes through one transform, sRGB (or the RGB object's own
ICC profile) to the output profile with relative colorimetric intent, so the
same input always gives the same bytes. What cannot be converted faithfully
(an RGB inline image, a sampled or mesh gradient) stops the build with
`PressColourError`, naming what to change.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from acuprint.render.cmyk import BLEED_MM
from acuprint.render.press_colour import Converter

MM = 72 / 25.4
MARK_LENGTH_MM = 6  # each crop mark runs from the bleed edge this far outward
SLUG_MM = BLEED_MM + MARK_LENGTH_MM + 1  # paper kept around the trim for the marks
MARK_WIDTH_PT = 0.25
REGISTRATION = Name("/AcuprintRegistration")
# The colour that prints on every separation: crop marks must show on each plate.
_ALL = [Name.Separation, Name("/All"), Name.DeviceCMYK]


def finish_press_pdf(data: bytes, icc: Path) -> bytes:
    """Convert every RGB colour of a press PDF to CMYK through `icc`, add crop marks."""
    with Pdf.open(io.BytesIO(data)) as pdf:
        _flatten_form_fields(pdf)
        converter = Converter(pdf, icc)
        for number, page in enumerate(pdf.pages, start=1):
            converter.where = f"page {number}"
            converter.page(page)
            _add_crop_marks(pdf, page)
        converter.where = "the form fields"
        converter.acroform(pdf.Root.get("/AcroForm"))
        _committed_output_profile(pdf, icc)
        # WeasyPrint's file id hashes its own output, re-saved ICC profile included:
        # qpdf makes a new one from the finished content instead.
        del pdf.trailer["/ID"]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def _flatten_form_fields(pdf: Pdf) -> None:
    """Draw fillable fields (`--forms`) into the page: PDF/X lets no annotation print on the art.

    A print shop prints the fields as they look; nobody fills in a press file.
    """
    widgets = [
        annotation
        for page in pdf.pages
        for annotation in page.obj.get("/Annots", Array())
        if annotation.get("/Subtype") == Name.Widget
    ]
    if not widgets:
        return
    pdf.generate_appearance_streams()  # qpdf flattens only fields whose appearance is final
    pdf.flatten_annotations(mode="print")
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]


# --- crop marks and the output profile -------------------------------------------------


def _add_crop_marks(pdf: Pdf, page: pikepdf.Page) -> None:
    """Crop marks in registration colour, outside the bleed, on a MediaBox grown to hold them."""
    x0, y0, x1, y1 = (float(v) for v in page.obj.get("/TrimBox", page.mediabox))
    bleed, end, slug = BLEED_MM * MM, (BLEED_MM + MARK_LENGTH_MM) * MM, SLUG_MM * MM
    lines = []
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        lines.append((x + sx * bleed, y, x + sx * end, y))  # along the horizontal trim line
        lines.append((x, y + sy * bleed, x, y + sy * end))  # along the vertical trim line
    path = "\n".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines)
    if "/Resources" not in page.obj:
        page.obj.Resources = Dictionary()
    if "/ColorSpace" not in page.obj.Resources:
        page.obj.Resources.ColorSpace = Dictionary()
    spaces = page.obj.Resources.ColorSpace
    spaces[REGISTRATION] = _registration_space(pdf)
    page.contents_add(Stream(pdf, b"q\n"), prepend=True)
    # Restore the page's graphics state, then draw the marks as an artifact (not content).
    marks = f"Q\n/Artifact BMC\nq\n{REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J\n{path}\nQ\nEMC\n"
    page.contents_add(Stream(pdf, marks.encode()))
    page.obj.MediaBox = Array([x0 - slug, y0 - slug, x1 + slug, y1 + slug])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]


def _registration_space(pdf: Pdf) -> Any:
    tint = Dictionary(
        FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]), C1=Array([1, 1, 1, 1]), N=1
    )
    return pdf.make_indirect(Array([*_ALL, pdf.make_indirect(tint)]))


def _committed_output_profile(pdf: Pdf, icc: Path) -> None:
    """Put the committed ICC bytes back wherever WeasyPrint wrote its re-saved copy."""
    committed = icc.read_bytes()
    wanted = _profile_description(committed)
    for intent in pdf.Root.get("/OutputIntents", Array()):
        profile = intent.get("/DestOutputProfile")
        if profile is not None and _profile_description(profile.read_bytes()) == wanted:
            profile.write(zlib.compress(committed, 9), filter=Name.FlateDecode)
    for obj in pdf.objects:
        if (
            isinstance(obj, Stream)
            and obj.get("/N") == 4
            and obj.get("/Type") is None
            and "/Subtype" not in obj
            and _profile_description(obj.read_bytes()) == wanted
        ):
            obj.write(zlib.compress(committed, 9), filter=Name.FlateDecode)


def _profile_description(data: bytes) -> str | None:
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError):
        return None
    return str(profile.profile_description)
