"""Check a clinic's logo once, when the project loads, and keep a safe copy for both outputs.

A logo is untrusted. Sizes are checked before anything is decoded: the file
size, and a PNG's declared width and height. An SVG is parsed without a
document type (so no entities), bounded in elements and in how far `<use>`
multiplies them, and must load nothing: no external references, no fonts or
imports in its `<style>`, no scripts. What passes is re-serialised, and that
copy is what the HTML and the PDF both embed.
"""

from __future__ import annotations

import base64
import io
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

from acuprint.inputs.css import urls_in

MAX_LOGO_BYTES = 5_000_000
MAX_PNG_PIXELS = 25_000_000  # 5000 x 5000
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DRAWN = 50_000  # elements drawn once every <use> is expanded
MAX_SVG_DEPTH = 40  # below the 50 levels _drawn follows

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
_URL_ATTRIBUTE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class LogoProblem:
    """Why a logo is refused, and what to do instead."""

    message: str
    fix: str


def check_logo(data: bytes, suffix: str) -> bytes | LogoProblem:
    """The logo to embed (a sanitised SVG, or the PNG as it is), or why it is refused."""
    if len(data) > MAX_LOGO_BYTES:
        return LogoProblem(
            f"is {len(data):,} bytes, too large for a logo",
            f"export it smaller (under {MAX_LOGO_BYTES // 1_000_000} MB)",
        )
    if suffix == ".png":
        return _check_png(data)
    return _check_svg(data)


def read_logo(path: Path) -> bytes | LogoProblem:
    """A logo file's bytes, read only if it is a regular file of at most MAX_LOGO_BYTES.

    Opened without blocking, then judged by what was opened: a FIFO, a
    device (/dev/zero) or a folder is refused, never read or waited on.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "its name is not a valid file name"
        return LogoProblem(f"cannot be read: {reason}", "check the file name and permissions")
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return LogoProblem(
                "is not a regular file (a folder, device or pipe)",
                "give the path of the logo's .svg or .png file",
            )
        if status.st_size > MAX_LOGO_BYTES:
            return LogoProblem(
                f"is {status.st_size:,} bytes, too large for a logo",
                f"export it smaller (under {MAX_LOGO_BYTES // 1_000_000} MB)",
            )
        try:
            data = handle.read(MAX_LOGO_BYTES + 1)
        except OSError as exc:
            return LogoProblem(f"cannot be read: {exc.strerror}", "check its permissions")
    return data


def _check_png(data: bytes) -> bytes | LogoProblem:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR" or len(data) < 33:
        return LogoProblem("is not a PNG image", "export the logo again from your design tool")
    width, height = struct.unpack(">II", data[16:24])
    if width * height > MAX_PNG_PIXELS:
        return LogoProblem(
            f"is {width} x {height} pixels, too many to print safely",
            "export it at most 5000 x 5000 pixels (1200 pixels wide prints sharp at 10 cm)",
        )
    return _decoded(data, "PNG")


def _decoded(data: bytes, kind: str) -> bytes | LogoProblem:
    """`data` if it decodes whole as a `kind` image of at most MAX_PNG_PIXELS, else why not."""
    from PIL import Image, ImageFile

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which
    # a truncated or corrupt PNG decodes "successfully" (padded with black). Decode this
    # one strictly, whatever the flag says, and put the flag back as it was.
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > MAX_PNG_PIXELS:
                return LogoProblem(
                    f"is {image.width} x {image.height} pixels, too many to print safely",
                    "export it at most 5000 x 5000 pixels (1200 pixels wide prints sharp at 10 cm)",
                )
            image.load()  # a truncated or corrupt file fails here, not mid-render
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return LogoProblem(
            "is damaged or incomplete", "export the logo again from your design tool"
        )
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return data


def _check_svg(data: bytes) -> bytes | LogoProblem:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return LogoProblem(
            "declares a document type or entities, which logos do not need",
            "export it again as plain SVG, or remove the <!DOCTYPE ...> block",
        )
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return LogoProblem(
            "is not a valid SVG image", "export the logo again from your design tool"
        )
    if root.tag != f"{_SVG}svg":
        return LogoProblem("is not an SVG image", "export the logo again from your design tool")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        return LogoProblem(
            f"has {len(elements):,} elements, too many for a logo",
            "simplify it in your design tool (combine paths)",
        )
    if _depth(root) > MAX_SVG_DEPTH:
        return LogoProblem(
            f"nests its elements more than {MAX_SVG_DEPTH} levels deep",
            "simplify it in your design tool (ungroup nested groups)",
        )
    for element in elements:
        refused = _refused(element)
        if refused:
            return refused
    if _drawn(root) > MAX_SVG_DRAWN:
        return LogoProblem(
            "repeats its shapes (<use>) so often it would take too long to draw",
            "simplify it in your design tool (expand or remove the repeated <use> copies)",
        )
    ElementTree.register_namespace("", _SVG[1:-1])
    ElementTree.register_namespace("xlink", _XLINK_HREF[1:].split("}")[0])
    serialised: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return serialised


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _refused(element: ElementTree.Element) -> LogoProblem | None:
    name = _local(element.tag)
    if name in _FORBIDDEN:
        return LogoProblem(
            f"contains <{name}>, which a logo must not have",
            "export it again as a plain drawing (no scripts or embedded content)",
        )
    for attribute, value in element.attrib.items():
        local = _local(attribute).lower()
        if local.startswith("on"):
            return LogoProblem(
                f"has a script attribute ({local})", "remove it, or export the logo again"
            )
        if local == "href" and value.strip().lower().startswith("data:"):
            embedded = _check_embedded(value.strip())
            if embedded:
                return embedded
        elif local == "href" and not value.strip().startswith("#"):
            return LogoProblem(
                f"links to {value[:80]!r}; a logo may use only its own parts",
                "embed the image in the SVG, or export the logo as one drawing",
            )
        for target in _URL_ATTRIBUTE.findall(value):
            if not target.startswith("#"):
                return LogoProblem(
                    f"loads {target[:80]!r}; a logo may use only its own parts",
                    "remove the reference, or export the logo as one drawing",
                )
    if name == "style":
        css = "".join(element.itertext())
        if re.search(r"@\s*(font-face|import)", css, re.IGNORECASE) or re.search(r"\\", css):
            return LogoProblem(
                "loads fonts or rules in its <style>, which could change other text",
                "turn text into outlines in your design tool and remove @font-face/@import",
            )
        urls = urls_in(css)
        if urls is None:
            return LogoProblem(
                "nests the rules of its <style> too deeply to check",
                "export the logo again from your design tool",
            )
        outside = [url for url, _ in urls if not url.startswith("#")]
        if outside:
            return LogoProblem(
                f"loads {outside[0][:80]!r} from its <style>",
                "remove the reference, or export the logo as one drawing",
            )
    return None


_EMBEDDED = {"image/png", "image/jpeg"}


def _check_embedded(url: str) -> LogoProblem | None:
    """Why a picture embedded in an SVG logo (a data: URL) is refused, or None.

    Only PNG and JPEG pictures, each checked like a PNG logo (pixels, damage):
    another SVG inside would skip every check above, and render as slowly as
    it likes.
    """
    header, comma, payload = url[5:].partition(",")
    parts = [part.strip().lower() for part in header.split(";")]
    mime = parts[0] or "text/plain"
    if mime not in _EMBEDDED:
        return LogoProblem(
            f"embeds a picture of type {mime[:40]!r}; a logo may embed only PNG or JPEG pictures",
            "export the logo as one drawing (flatten any SVG placed inside it)",
        )
    try:
        data = (
            base64.b64decode(payload, validate=True)
            if "base64" in parts
            else unquote_to_bytes(payload)
        )
    except ValueError:
        data = b""
    if not comma or not data:
        return LogoProblem(
            "embeds a picture that cannot be decoded", "export the logo again from your design tool"
        )
    checked = _check_png(data) if mime == "image/png" else _decoded(data, "JPEG")
    if isinstance(checked, LogoProblem):
        return LogoProblem(f"embeds a picture that {checked.message}", checked.fix)
    return None


def _depth(root: ElementTree.Element) -> int:
    """How deeply the elements nest (walked with a stack: any depth is safe to measure)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _drawn(root: ElementTree.Element) -> int:
    """How many elements drawing the SVG visits once every <use> is expanded (bounded)."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    memo: dict[int, int] = {}

    def count(element: ElementTree.Element, depth: int) -> int:
        if depth > 50:  # a <use> cycle: treat as unbounded
            return MAX_SVG_DRAWN + 1
        key = id(element)
        if key in memo:
            return memo[key]
        total = 1
        for child in element:
            total += count(child, depth + 1)
            if total > MAX_SVG_DRAWN:
                break
        if _local(element.tag) == "use":
            href = element.get("href") or element.get(_XLINK_HREF) or ""
            target = by_id.get(href.lstrip("#")) if href.startswith("#") else None
            if target is not None:
                total += count(target, depth + 1)
        memo[key] = min(total, MAX_SVG_DRAWN + 1)
        return memo[key]

    return count(root, 0)
