"""What the font rules read from a PDF: each font, its embedded program, the glyphs it shows."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from acuprint.checks.conformance.objects import drawings, operations


@dataclass
class FontUse:
    """A font the file shows text with, and the character codes it shows."""

    font: Any
    name: str
    codes: set[int] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)

    @property
    def composite(self) -> bool:
        """A Type 0 font with two-byte codes (Identity-H/V): codes are CIDs."""
        encoding = self.font.get("/Encoding")
        return bool(self.font.get("/Subtype") == "/Type0" and encoding in _IDENTITY)

    @property
    def descendant(self) -> Any:
        """The CIDFont of a Type 0 font; the font itself otherwise."""
        return self.font.DescendantFonts[0] if self.composite else self.font

    @property
    def descriptor(self) -> Any:
        """The font descriptor (an empty dictionary if there is none)."""
        return self.descendant.get("/FontDescriptor", Dictionary())

    @property
    def program(self) -> Stream | None:
        """The embedded font program, if any."""
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if isinstance(self.descriptor.get(key), Stream):
                return self.descriptor[key]  # type: ignore[no-any-return]
        return None

    @cached_property
    def glyphs(self) -> _Glyphs | None:
        """The embedded program's glyphs, as fontTools reads them (None: cannot read)."""
        program = self.program
        if program is None or not self.composite:
            return None
        return _Glyphs.read(program, self.descendant)


@dataclass
class _Glyphs:
    """For a CIDFont's program: CID -> glyph id, and each glyph's advance in 1/1000 em."""

    gid_of: Any  # callable: cid -> gid or None
    count: int  # glyphs in the program
    advances: list[float]  # empty when the program has no metrics table (bare CFF)

    @classmethod
    def read(cls, program: Stream, cid_font: Any) -> _Glyphs | None:
        import logging

        from fontTools.cffLib import CFFFontSet
        from fontTools.ttLib import TTFont, TTLibError

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        data = program.read_bytes()
        try:
            if program.get("/Subtype") == "/CIDFontType0C":
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
                return cls._from_cff(cff, [])
            font = TTFont(io.BytesIO(data), lazy=True)
            order = font.getGlyphOrder()
            scale = 1000 / font["head"].unitsPerEm
            advances = [font["hmtx"][name][0] * scale for name in order]
            if "CFF " in font:
                return cls._from_cff(font["CFF "].cff, advances)
            count = len(order)
        except (TTLibError, KeyError, ValueError, AssertionError, IndexError, EOFError):
            return None
        mapping = cid_font.get("/CIDToGIDMap", Name.Identity)
        if isinstance(mapping, Stream):
            table = mapping.read_bytes()

            def gid_of(cid: int) -> int | None:
                if 2 * cid + 2 > len(table):
                    return None
                return int.from_bytes(table[2 * cid : 2 * cid + 2])

        else:

            def gid_of(cid: int) -> int | None:
                return cid

        return cls(gid_of, count, advances)

    @classmethod
    def _from_cff(cls, cff: Any, advances: list[float]) -> _Glyphs:
        top = cff.topDictIndex[0]
        charset = list(top.charset)
        if hasattr(top, "ROS"):  # CID-keyed: a glyph's name is its CID; a PDF CID is looked up
            index = {int(n[3:]): gid for gid, n in enumerate(charset) if n.startswith("cid")}
            index[0] = 0
            return cls(index.get, len(charset), advances)
        return cls(lambda cid: cid, len(charset), advances)

    def glyph(self, cid: int) -> int | None:
        """The glyph id that draws `cid` (0: .notdef), or None if the program has none."""
        gid = self.gid_of(cid)
        return gid if gid is not None and gid < self.count else None


_IDENTITY = (Name("/Identity-H"), Name("/Identity-V"))
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def font_uses(pdf: Pdf) -> list[FontUse]:
    """Every font that shows text, with the codes shown (2-byte for Type 0 fonts)."""
    found: dict[tuple[int, int], FontUse] = {}
    for drawing in drawings(pdf):
        fonts = drawing.resources.get("/Font", Dictionary())
        current: FontUse | None = None
        for item in operations(drawing):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                continue
            operator = str(item.operator)
            if operator == "Tf" and item.operands:
                font = fonts.get(item.operands[0])
                if font is None:
                    current = None
                    continue
                key = font.objgen if font.is_indirect else (id(font), 0)
                if key not in found:
                    found[key] = FontUse(font, str(font.get("/BaseFont", "?")).lstrip("/"))
                current = found[key]
            elif operator in _TEXT_OPERATORS and current is not None:
                strings = item.operands[-1]
                parts = list(strings) if isinstance(strings, Array) else [strings]
                for part in parts:
                    if isinstance(part, pikepdf.String):
                        raw = bytes(part)
                        if current.composite:
                            current.codes |= {
                                int.from_bytes(raw[i : i + 2]) for i in range(0, len(raw) - 1, 2)
                            }
                        else:
                            current.codes |= set(raw)
                if drawing.page is not None:
                    current.pages.add(drawing.page)
    return list(found.values())


def declared_width(cid_font: Any, cid: int) -> float:
    """A CID's width from the CIDFont's /W array, else /DW (1000)."""
    widths = cid_font.get("/W", Array())
    i = 0
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], Array):
            run = widths[i + 1]
            if first <= cid < first + len(run):
                return float(run[cid - first])
            i += 2
        else:
            last, width = int(widths[i + 1]), float(widths[i + 2])
            if first <= cid <= last:
                return width
            i += 3
    return float(cid_font.get("/DW", 1000))


@dataclass(frozen=True)
class FontProblem:
    """Something wrong with a font the file shows text with."""

    kind: str  # "not embedded", "missing glyph", "notdef", "width", "no ToUnicode"
    message: str
    page: int | None


WIDTH_TOLERANCE = 1  # in 1/1000 em, as veraPDF allows


@lru_cache(maxsize=8)
def font_problems(pdf: Pdf) -> tuple[FontProblem, ...]:
    """Every font problem, read once per open file (several rules share it)."""
    problems: list[FontProblem] = []
    for use in font_uses(pdf):
        if not use.codes:
            continue
        page = min(use.pages) if use.pages else None
        if "/ToUnicode" not in use.font:
            problems.append(FontProblem("no ToUnicode", f"{use.name} has no ToUnicode map", page))
        if use.font.get("/Subtype") == "/Type3":
            continue  # its glyphs are content streams, checked as drawings
        if use.program is None:
            problems.append(FontProblem("not embedded", f"{use.name} is not embedded", page))
            continue
        glyphs = use.glyphs
        if glyphs is None:
            continue
        absent, notdef, widths = [], [], []
        for cid in sorted(use.codes):
            gid = glyphs.glyph(cid)
            if gid is None:
                absent.append(cid)
            elif gid == 0:
                notdef.append(cid)
            elif glyphs.advances:
                declared = declared_width(use.descendant, cid)
                if abs(glyphs.advances[gid] - declared) > WIDTH_TOLERANCE:
                    widths.append(f"CID {cid}: {declared:g} in the PDF, {glyphs.advances[gid]:.0f}")
        if absent:
            problems.append(
                FontProblem(
                    "missing glyph",
                    f"{use.name}: the font program has no glyph for {len(absent)} of "
                    f"{len(use.codes)} CIDs shown (e.g. {', '.join(map(str, absent[:5]))})",
                    page,
                )
            )
        if notdef:
            problems.append(
                FontProblem("notdef", f"{use.name}: {len(notdef)} CIDs show .notdef", page)
            )
        if widths:
            problems.append(
                FontProblem(
                    "width",
                    f"{use.name}: {len(widths)} widths differ from the font program "
                    f"({'; '.join(widths[:3])})",
                    page,
                )
            )
    return tuple(problems)
