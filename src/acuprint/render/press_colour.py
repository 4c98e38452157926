"""RGB to CMYK for every colour a PDF draws, through one ICC transform (see press.py)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from acuprint.render.cmyk import cmyk_of, icc_transform


class PressColourError(ValueError):
    """Something in a press PDF cannot be converted to CMYK; the message says what."""


# --- colour conversion -----------------------------------------------------------------


def _channel(value: Any) -> int:
    return max(0, min(255, round(float(value) * 255)))


class Converter:
    """Walks a PDF's pages and what they draw, converting RGB to CMYK in place."""

    def __init__(self, pdf: Pdf, icc: Path) -> None:
        self.pdf = pdf
        self.icc = icc
        self.where = ""
        self._done: set[tuple[int, int]] = set()
        self._rgb_names: dict[tuple[int, int], dict[str, _Rgb]] = {}

    def cmyk(self, rgb: list[Any], space: _Rgb | None = None) -> list[float]:
        """Three RGB components (0 to 1) as four CMYK ones."""
        red, green, blue = (_channel(v) for v in rgb)
        return list(cmyk_of((red, green, blue), self.icc, space.profile if space else None))

    def _first_visit(self, obj: Any) -> bool:
        if not obj.is_indirect:
            return True
        if obj.objgen in self._done:
            return False
        self._done.add(obj.objgen)
        return True

    # Things that draw.

    def page(self, page: pikepdf.Page) -> None:
        """Convert one page: its resources, content, group and annotations."""
        resources = page.obj.get("/Resources", Dictionary())
        rgb_names = self.resources(resources)
        for contents in page_contents(page.obj):
            self.content(contents, resources, rgb_names)
        self.group(page.obj)
        for annotation in page.obj.get("/Annots", Array()):
            self.annotation(annotation)

    def form(self, form: Any) -> None:
        """Convert a form XObject (or tiling pattern, or appearance stream) once."""
        if not self._first_visit(form):
            return
        resources = form.get("/Resources", Dictionary())
        rgb_names = self.resources(resources)
        self.content(form, resources, rgb_names)
        self.group(form)

    def resources(self, resources: Any) -> dict[str, _Rgb]:
        """Convert what a resource dictionary names; return its RGB colour spaces by name.

        The content stream's `sc`/`scn` operands in those spaces are converted
        from the space's own profile.
        """
        spaces = resources.get("/ColorSpace", Dictionary())
        shared = spaces if spaces.is_indirect else resources
        if shared.is_indirect and shared.objgen in self._rgb_names:
            rgb_names = self._rgb_names[shared.objgen]  # converted already: shared
        else:
            rgb_names = {}
            for name in list(spaces.keys()):
                space = spaces[name]
                rgb = _rgb_space(space)
                if rgb is not None:
                    rgb_names[name] = rgb
                    spaces[name] = Name.DeviceCMYK
                elif _is_indexed_rgb(space):
                    spaces[name] = self.indexed(space)
            if shared.is_indirect:
                self._rgb_names[shared.objgen] = rgb_names
        for xobject in resources.get("/XObject", Dictionary()).values():
            if xobject.get("/Subtype") == "/Image":
                self.image(xobject)
            elif xobject.get("/Subtype") == "/Form":
                self.form(xobject)
        for pattern in resources.get("/Pattern", Dictionary()).values():
            if pattern.get("/PatternType") == 1:
                self.form(pattern)
            elif "/Shading" in pattern:
                self.shading(pattern.Shading)
        for shading in resources.get("/Shading", Dictionary()).values():
            self.shading(shading)
        for state in resources.get("/ExtGState", Dictionary()).values():
            mask = state.get("/SMask")
            if isinstance(mask, Dictionary) and "/G" in mask:
                group = mask.G
                if "/BC" in mask and len(mask.BC) == 3 and self._group_space(group):
                    mask.BC = Array(self.cmyk(list(mask.BC), self._group_space(group)))
                self.form(group)
        for font in resources.get("/Font", Dictionary()).values():
            if font.get("/Subtype") == "/Type3" and self._first_visit(font):
                font_resources = font.get("/Resources", Dictionary())
                names = self.resources(font_resources)
                for procedure in font.CharProcs.values():
                    self.content(procedure, font_resources, names)
        return rgb_names

    @staticmethod
    def _group_space(form: Any) -> _Rgb | None:
        group = form.get("/Group")
        return _rgb_space(group.get("/CS")) if group is not None else None

    def group(self, owner: Any) -> None:
        """A transparency group blends in CMYK, the output space, not RGB."""
        if self._group_space(owner) is not None:
            owner.Group.CS = Name.DeviceCMYK

    def content(self, stream: Stream, resources: Any, rgb_names: dict[str, _Rgb]) -> None:
        """Rewrite one content stream's RGB colour operators as CMYK ones."""
        operations = pikepdf.parse_content_stream(stream)
        changed = False
        # The current fill and stroke colour spaces, when they were RGB.
        fill: _Rgb | None = None
        stroke: _Rgb | None = None
        saved: list[tuple[_Rgb | None, _Rgb | None]] = []
        out: list[Any] = []
        for item in operations:
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                if _rgb_space(_inline_space(item, resources)) is not None:
                    raise PressColourError(
                        f"{self.where}: an inline RGB image cannot be converted to CMYK; "
                        "use an SVG or a PNG/JPEG logo"
                    )
                out.append(item)
                continue
            operands: list[Any] = list(item.operands)
            operator = str(item.operator)
            if operator == "q":
                saved.append((fill, stroke))
            elif operator == "Q" and saved:
                fill, stroke = saved.pop()
            elif operator in ("rg", "RG") and len(operands) == 3:
                operands = self.cmyk(operands)
                operator = "k" if operator == "rg" else "K"
                fill, stroke = (None, stroke) if operator == "k" else (fill, None)
                changed = True
            elif operator in ("cs", "CS") and operands:
                name = str(operands[0])
                space = rgb_names.get(name)
                if name == "/DeviceRGB":
                    operands, changed, space = [Name.DeviceCMYK], True, _Rgb()
                if operator == "cs":
                    fill = space
                else:
                    stroke = space
            elif operator in ("sc", "scn", "SC", "SCN"):
                current = fill if operator in ("sc", "scn") else stroke
                if current is not None and len(operands) == 3:
                    operands, changed = self.cmyk(operands, current), True
                elif current is not None:
                    raise PressColourError(
                        f"{self.where}: a patterned RGB colour cannot be converted to CMYK"
                    )
            out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator)))
        if changed:
            stream.write(pikepdf.unparse_content_stream(out))

    def annotation(self, annotation: Any) -> None:
        """Convert an annotation's colours and appearance streams."""
        for key in ("/C", "/IC"):
            if key in annotation and len(annotation[key]) == 3:
                annotation[key] = Array(self.cmyk(list(annotation[key])))
        characteristics = annotation.get("/MK")
        if characteristics is not None:
            for key in ("/BG", "/BC"):
                if key in characteristics and len(characteristics[key]) == 3:
                    characteristics[key] = Array(self.cmyk(list(characteristics[key])))
        if "/DA" in annotation:
            annotation.DA = pikepdf.String(self.appearance_string(bytes(annotation.DA)))
        for appearance in annotation.get("/AP", Dictionary()).values():
            states = [appearance] if isinstance(appearance, Stream) else appearance.values()
            for state in states:
                if isinstance(state, Stream):
                    self.form(state)
        for kid in annotation.get("/Kids", Array()):
            self.annotation(kid)

    def acroform(self, form: Any) -> None:
        """The form's default appearance, and its fields' (which may not be on a page)."""
        if form is None:
            return
        if "/DA" in form:
            form.DA = pikepdf.String(self.appearance_string(bytes(form.DA)))
        for field in form.get("/Fields", Array()):
            self.annotation(field)

    def appearance_string(self, text: bytes) -> bytes:
        """A form field's default appearance (`/Helv 10 Tf 0 0 1 rg`) in CMYK."""
        words = text.split()
        out: list[bytes] = []
        for word in words:
            if word in (b"rg", b"RG") and len(out) >= 3:
                rgb = [float(v) for v in out[-3:]]
                del out[-3:]
                out += [f"{v:g}".encode() for v in self.cmyk(rgb)]
                out.append(b"k" if word == b"rg" else b"K")
            else:
                out.append(word)
        return b" ".join(out)

    # Things that hold colour values.

    def image(self, image: Stream) -> None:
        """Convert an RGB image's pixels to CMYK through the output profile."""
        if not self._first_visit(image):
            return
        space = image.get("/ColorSpace")
        if _is_indexed_rgb(space):
            image.ColorSpace = self.indexed(space)
            return
        rgb = _rgb_space(space)
        if rgb is None:
            return
        from PIL import ImageCms

        try:
            pixels = pikepdf.PdfImage(image).as_pil_image()
            if pixels.mode != "RGB" or "/Decode" in image:
                raise ValueError(f"{pixels.mode} pixels")
        except Exception as exc:
            raise PressColourError(
                f"{self.where}: an RGB image ({image.get('/Width')} x {image.get('/Height')} "
                f"pixels) cannot be converted to CMYK ({exc}); use an 8-bit RGB PNG or JPEG, "
                "or an SVG"
            ) from None
        cmyk = ImageCms.applyTransform(pixels, icc_transform(self.icc, rgb.profile))
        assert cmyk is not None
        image.write(zlib.compress(cmyk.tobytes(), 9), filter=Name.FlateDecode)
        image.ColorSpace = Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/DecodeParms", "/Intent"):
            if key in image:
                del image[key]

    def indexed(self, space: Any) -> Array:
        """An Indexed space over RGB as one over CMYK: its palette converted."""
        base, high, lookup = space[1], int(space[2]), space[3]
        table = lookup.read_bytes() if isinstance(lookup, Stream) else bytes(lookup)
        palette = bytearray()
        for index in range(high + 1):
            rgb = [c / 255 for c in table[index * 3 : index * 3 + 3]]
            cmyk = self.cmyk(rgb, _rgb_space(base))
            palette += bytes(round(c * 255) for c in cmyk)
        return Array([Name.Indexed, Name.DeviceCMYK, high, pikepdf.String(bytes(palette))])

    def shading(self, shading: Any) -> None:
        """Convert an axial or radial gradient whose stops are RGB (functions of type 2 and 3)."""
        if not self._first_visit(shading):
            return
        rgb = _rgb_space(shading.get("/ColorSpace"))
        if rgb is None:
            return
        if int(shading.ShadingType) not in (1, 2, 3) or not self._function(shading.Function, rgb):
            raise PressColourError(
                f"{self.where}: an RGB gradient cannot be converted to CMYK; "
                "use a gradient with plain colour stops"
            )
        shading.ColorSpace = Name.DeviceCMYK
        if "/Background" in shading:
            shading.Background = Array(self.cmyk(list(shading.Background), rgb))

    def _function(self, function: Any, rgb: _Rgb) -> bool:
        if isinstance(function, Array):
            return False  # one function per RGB component: not convertible in place
        kind = int(function.FunctionType)
        if kind == 2:
            for key, default in (("/C0", [0, 0, 0]), ("/C1", [1, 1, 1])):
                function[key] = Array(self.cmyk(list(function.get(key, default)), rgb))
            return True
        if kind == 3:
            return all(self._function(f, rgb) for f in function.Functions)
        return False


@dataclass(frozen=True)
class _Rgb:
    """An RGB colour space, and the ICC profile its values are in (None: sRGB)."""

    profile: bytes | None = None


def _rgb_space(space: Any) -> _Rgb | None:
    """The RGB colour space `space` is, or None if it is not RGB."""
    if isinstance(space, Name):
        return _Rgb() if space in (Name.DeviceRGB, Name("/RGB"), Name("/CalRGB")) else None
    if isinstance(space, Array) and len(space) >= 2:
        if space[0] == Name.ICCBased and int(space[1].get("/N", 0)) == 3:
            return _Rgb(bytes(space[1].read_bytes()))
        if space[0] == Name("/CalRGB"):
            return _Rgb()
    return None


def _is_indexed_rgb(space: Any) -> bool:
    return (
        isinstance(space, Array)
        and len(space) == 4
        and space[0] in (Name.Indexed, Name("/I"))
        and _rgb_space(space[1]) is not None
    )


def _inline_space(item: pikepdf.ContentStreamInlineImage, resources: Any) -> Any:
    space = item.iimage.obj.get("/ColorSpace", item.iimage.obj.get("/CS"))
    if isinstance(space, Name) and space not in (Name("/RGB"), Name.DeviceRGB):
        return resources.get("/ColorSpace", Dictionary()).get(space, space)
    return space


def page_contents(page: Any) -> Iterator[Stream]:
    contents = page.get("/Contents")
    if isinstance(contents, Stream):
        yield contents
    elif isinstance(contents, Array):
        yield from (c for c in contents if isinstance(c, Stream))
