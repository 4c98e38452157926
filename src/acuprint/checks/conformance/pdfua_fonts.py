"""PDF/UA-1 rules about fonts: every font embedded, every character code mapped to Unicode."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pikepdf

from acuprint.checks.conformance import Violation, rule
from acuprint.checks.conformance.pdfua import _TEXT, STANDARD, _violation


def _page_fonts(page: Any) -> dict[str, Any]:
    resources = page.obj.get("/Resources", {})
    return {str(name): font for name, font in resources.get("/Font", {}).items()}


def _descriptor(font: Any) -> Any:
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    return font.get("/FontDescriptor", {})


@rule("7.21.4.1-1", STANDARD, "Every font used is embedded")
def fonts_embedded(pdf: Any) -> Iterable[Violation]:
    """Every font a page uses carries its font program."""
    reported: set[str] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in _page_fonts(page).values():
            if font.get("/Subtype") == "/Type3":
                continue
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            embedded = any(
                k in _descriptor(font) for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if not embedded and name not in reported:
                reported.add(name)
                yield _violation("7.21.4.1-1", f"font {name} is not embedded", number)


_CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


def to_unicode(font: Any) -> dict[int, str]:
    """A font's ToUnicode CMap: character code -> text (empty if it has none)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.read_bytes()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _CMAP_CHAR.findall(block):
            mapping[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in _CMAP_RANGE.findall(block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                texts = re.findall(rb"<([0-9A-Fa-f]*)>", target)
                for offset, text in enumerate(texts[: last - first + 1]):
                    mapping[first + offset] = _utf16(text)
            else:
                start = bytes.fromhex(target.strip(b"<>").decode())
                for offset in range(last - first + 1):
                    value = int.from_bytes(start, "big") + offset
                    mapping[first + offset] = _utf16(
                        value.to_bytes(len(start), "big").hex().encode()
                    )
    return mapping


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")


def _shown_codes(page: Any) -> Iterator[tuple[str, int]]:
    """(font resource name, character code) for every glyph the page shows."""
    fonts = _page_fonts(page)
    current: str | None = None
    width = 1
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "Tf":
            current = str(operands[0])
            font = fonts.get(current)
            width = 2 if font is not None and font.get("/Subtype") == "/Type0" else 1
        elif op in _TEXT and current is not None:
            shown = operands[-1]
            strings = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
            for string in strings:
                if isinstance(string, pikepdf.String):
                    data = bytes(string)
                    for i in range(0, len(data) - width + 1, width):
                        yield current, int.from_bytes(data[i : i + width], "big")


@rule("7.21.7-1", STANDARD, "Every character code shown maps to Unicode (ToUnicode)")
def glyphs_map_to_unicode(pdf: Any) -> Iterable[Violation]:
    """Text extracts as what it says: no glyph (a ligature, say) lacks a Unicode value."""
    maps: dict[tuple[int, int], dict[int, str]] = {}
    for number, page in enumerate(pdf.pages, start=1):
        fonts = _page_fonts(page)
        missing: dict[str, set[int]] = {}
        for name, code in _shown_codes(page):
            font = fonts[name]
            if font.objgen not in maps:
                maps[font.objgen] = to_unicode(font)
            mapping = maps[font.objgen]
            text = mapping.get(code, "")
            if not text or "\ufffd" in text or text in ("\ufeff", "\ufffe", "\x00"):
                missing.setdefault(str(font.get("/BaseFont", name)).lstrip("/"), set()).add(code)
        for font_name, codes in sorted(missing.items()):
            shown = ", ".join(f"{c:#06x}" for c in sorted(codes)[:5])
            yield _violation(
                "7.21.7-1",
                f"{font_name}: {len(codes)} character code(s) with no Unicode value ({shown})",
                number,
            )
