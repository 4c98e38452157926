"""What the PDF/X and PDF/A rules read from a file: drawing, colour, fonts, glyphs, XMP.

Every content stream is walked with the resources it draws with (pages, form
XObjects, tiling patterns, annotation appearances, Type 3 glyphs), so a rule
sees what a renderer would draw, not only what a page's own stream says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream


@dataclass(frozen=True)
class Drawing:
    """One content stream, the resources it draws with, and the page it is on."""

    stream: Any  # a Stream, or a Page (whose contents may be an array of streams)
    resources: Any
    page: int | None
    what: str  # "page 2", "form XObject 45", "appearance of annotation 12"...


def drawings(pdf: Pdf) -> Iterator[Drawing]:
    """Every content stream of the file, once per page it is drawn on."""
    for number, page in enumerate(pdf.pages, start=1):
        seen: set[tuple[int, int]] = set()
        resources = page.obj.get("/Resources", Dictionary())
        yield Drawing(page, resources, number, f"page {number}")
        yield from _drawn_by(resources, number, seen)
        for annotation in page.obj.get("/Annots", Array()):
            for appearance in annotation.get("/AP", Dictionary()).values():
                states = [appearance] if isinstance(appearance, Stream) else appearance.values()
                for state in states:
                    if isinstance(state, Stream) and _first(state, seen):
                        what = f"appearance of annotation {annotation.objgen[0]}"
                        form_resources = state.get("/Resources", Dictionary())
                        yield Drawing(state, form_resources, number, what)
                        yield from _drawn_by(form_resources, number, seen)


def _first(obj: Any, seen: set[tuple[int, int]]) -> bool:
    if not obj.is_indirect:
        return True
    if obj.objgen in seen:
        return False
    seen.add(obj.objgen)
    return True


def _drawn_by(resources: Any, page: int, seen: set[tuple[int, int]]) -> Iterator[Drawing]:
    children: list[tuple[Any, str]] = []
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == "/Form":
            children.append((xobject, f"form XObject {xobject.objgen[0]}"))
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if pattern.get("/PatternType") == 1:
            children.append((pattern, f"tiling pattern {pattern.objgen[0]}"))
    for state in resources.get("/ExtGState", Dictionary()).values():
        mask = state.get("/SMask")
        if isinstance(mask, Dictionary) and "/G" in mask:
            children.append((mask.G, f"soft mask {mask.G.objgen[0]}"))
    for child, what in children:
        if _first(child, seen):
            child_resources = child.get("/Resources", Dictionary())
            yield Drawing(child, child_resources, page, what)
            yield from _drawn_by(child_resources, page, seen)
    for font in resources.get("/Font", Dictionary()).values():
        if font.get("/Subtype") == "/Type3" and _first(font, seen):
            font_resources = font.get("/Resources", resources)
            for name, procedure in font.CharProcs.items():
                yield Drawing(procedure, font_resources, page, f"Type 3 glyph {name}")


def operations(drawing: Drawing) -> list[Any]:
    """The parsed operators of a drawing (an unreadable stream gives none)."""
    try:
        return list(pikepdf.parse_content_stream(drawing.stream))
    except pikepdf.PdfError:
        return []


# --- colour ----------------------------------------------------------------------------

DEVICE = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK", "/DeviceGray": "Gray"}
_SHORT = {"/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/G": "/DeviceGray"}


@dataclass(frozen=True)
class ColourUse:
    """One use of a colour space: its family, whether device-dependent, and where."""

    family: str  # "RGB", "CMYK", "Gray", or another space's name ("Separation"...)
    device: bool  # DeviceRGB/CMYK/Gray, not ICC-based or calibrated
    where: str
    page: int | None


def space_families(space: Any, resources: Any = None) -> list[tuple[str, bool]]:
    """(family, device-dependent) for a colour space and every space it is built on."""
    if isinstance(space, Name):
        name = _SHORT.get(str(space), str(space))
        if name in DEVICE:
            return [(DEVICE[name], True)]
        if name == "/Pattern":
            return []
        named = resources.get("/ColorSpace", Dictionary()).get(space) if resources else None
        return space_families(named, None) if named is not None else []
    if not isinstance(space, Array) or not space:
        return []
    family = str(space[0])
    if family == "/ICCBased":
        n = int(space[1].get("/N", 0))
        return [({1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, "ICC"), False)]
    if family in ("/CalRGB", "/CalGray", "/Lab"):
        return [({"/CalRGB": "RGB", "/CalGray": "Gray"}.get(family, "Lab"), False)]
    if family in ("/Indexed", "/I"):
        return space_families(space[1], resources)
    if family in ("/Separation", "/DeviceN"):
        return [(family.lstrip("/"), False), *space_families(space[2], resources)]
    if family == "/Pattern" and len(space) > 1:
        return space_families(space[1], resources)
    return []


_OPERATOR_SPACE = {"rg": "/DeviceRGB", "RG": "/DeviceRGB", "k": "/DeviceCMYK"}
_OPERATOR_SPACE |= {"K": "/DeviceCMYK", "g": "/DeviceGray", "G": "/DeviceGray"}


def colour_uses(pdf: Pdf) -> list[ColourUse]:
    """Every colour space the file paints with: operators, images, shadings, groups, annotations."""
    uses: list[ColourUse] = []

    def add(space: Any, resources: Any, where: str, page: int | None) -> None:
        for family, device in space_families(space, resources):
            uses.append(ColourUse(family, device, where, page))

    for drawing in drawings(pdf):
        resources, page, what = drawing.resources, drawing.page, drawing.what
        for item in operations(drawing):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                image = item.iimage.obj
                add(
                    image.get("/ColorSpace", image.get("/CS")),
                    resources,
                    f"{what}: inline image",
                    page,
                )
                continue
            operator = str(item.operator)
            if operator in _OPERATOR_SPACE:
                add(Name(_OPERATOR_SPACE[operator]), resources, f"{what}: {operator}", page)
            elif operator in ("cs", "CS") and item.operands:
                add(item.operands[0], resources, f"{what}: {operator}", page)
            elif operator == "sh" and item.operands:
                shading = resources.get("/Shading", Dictionary()).get(item.operands[0])
                if shading is not None:
                    add(shading.get("/ColorSpace"), resources, f"{what}: shading", page)
        for name, xobject in resources.get("/XObject", Dictionary()).items():
            if xobject.get("/Subtype") == "/Image" and not xobject.get("/ImageMask", False):
                add(xobject.get("/ColorSpace"), resources, f"{what}: image {name}", page)
        for name, pattern in resources.get("/Pattern", Dictionary()).items():
            if "/Shading" in pattern:
                add(pattern.Shading.get("/ColorSpace"), resources, f"{what}: pattern {name}", page)
        if isinstance(drawing.stream, Stream) and "/Group" in drawing.stream:
            add(drawing.stream.Group.get("/CS"), resources, f"{what}: transparency group", page)
    for number, page_object in enumerate(pdf.pages, start=1):
        group = page_object.obj.get("/Group")
        if group is not None:
            add(group.get("/CS"), None, f"page {number}: transparency group", number)
        for annotation in page_object.obj.get("/Annots", Array()):
            for key in ("/C", "/IC"):
                value = annotation.get(key)
                if isinstance(value, Array) and len(value) == 3:
                    where = f"page {number}: annotation {annotation.objgen[0]} {key}"
                    uses.append(ColourUse("RGB", True, where, number))
    return uses


# --- output intents and metadata ---------------------------------------------------------


@dataclass(frozen=True)
class OutputProfile:
    """An output intent's ICC profile, read from its header."""

    subtype: str  # "/GTS_PDFX", "/GTS_PDFA1"...
    device_class: str  # "prtr", "mntr"...
    colour_space: str  # "CMYK", "RGB ", "GRAY"
    components: int  # the stream's /N
    condition: str  # OutputConditionIdentifier
    data: bytes = field(repr=False)


def output_profiles(pdf: Pdf) -> list[OutputProfile | str]:
    """Each output intent's profile; a string says why one is unusable."""
    found: list[OutputProfile | str] = []
    for intent in pdf.Root.get("/OutputIntents", Array()):
        subtype = str(intent.get("/S", "?"))
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, Stream):
            found.append(f"the {subtype} output intent has no embedded ICC profile")
            continue
        data = profile.read_bytes()
        if len(data) < 128 or data[36:40] != b"acsp":
            found.append(f"the {subtype} output intent's profile is not an ICC profile")
            continue
        found.append(
            OutputProfile(
                subtype,
                data[12:16].decode("latin-1"),
                data[16:20].decode("latin-1"),
                int(profile.get("/N", 0)),
                str(intent.get("/OutputConditionIdentifier", "")),
                data,
            )
        )
    return found


def xmp(pdf: Pdf) -> str | None:
    """The catalog's XMP metadata as text, or None if there is none."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, Stream):
        return None
    return metadata.read_bytes().decode("utf-8", "replace")


def xmp_value(text: str, prefix: str, name: str) -> str | None:
    """A simple XMP property, written as an attribute or as an element."""
    attribute = re.search(rf'{prefix}:{name}\s*=\s*"([^"]*)"', text)
    if attribute:
        return attribute.group(1)
    element = re.search(rf"<{prefix}:{name}>\s*(?:<rdf:\w+>\s*<rdf:li[^>]*>)?([^<]*)<", text)
    return element.group(1).strip() if element else None


def actions(pdf: Pdf) -> Iterator[tuple[str, Any]]:
    """Every action dictionary (with where it is) in the catalog, pages, annotations, fields."""

    def chain(action: Any, where: str) -> Iterator[tuple[str, Any]]:
        while isinstance(action, Dictionary):
            yield where, action
            following = action.get("/Next")
            action = following[0] if isinstance(following, Array) and following else following

    root = pdf.Root
    yield from chain(root.get("/OpenAction"), "the document's open action")
    for key, action in root.get("/AA", Dictionary()).items():
        yield from chain(action, f"the document's {key} action")
    names = root.get("/Names", Dictionary())
    if "/JavaScript" in names:
        yield "the document's JavaScript names", Dictionary(S=Name.JavaScript)
    for number, page in enumerate(pdf.pages, start=1):
        for key, action in page.obj.get("/AA", Dictionary()).items():
            yield from chain(action, f"page {number}'s {key} action")
        for annotation in page.obj.get("/Annots", Array()):
            yield from chain(annotation.get("/A"), f"page {number}: annotation action")
            for key, action in annotation.get("/AA", Dictionary()).items():
                yield from chain(action, f"page {number}: annotation {key} action")


# --- fonts and glyphs --------------------------------------------------------------------
