"""The press print profile's CSS: CMYK colours through an ICC profile, and bleed.

Print shops ask for PDF/X with 3 mm bleed, crop marks and colours in CMYK.
Brand and token colours are converted from sRGB with the committed output
profile (styles/color/), and the page gets a brand-coloured band that runs
into the bleed, so trimming never leaves a white sliver. What CSS cannot make
CMYK (SVG and raster art) and the crop marks, outside the bleed in
registration colour, are done on the finished file by `render.press`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from acuprint.inputs.colours import PAGE_NUMBER_TOKEN, brand_tokens, channels, colour_tokens, tint
from acuprint.inputs.schema import ClinicProfile

ICC_PROFILE = Path("color") / "artifex-cmyk-swop.icc"  # relative to styles/
BLEED_MM = 3


# A dark colour this close to grey is text, a rule or the QR code: it prints on the
# black plate alone, so it stays sharp if the plates are a hair out of register.
NEUTRAL_CHROMA = 24  # max - min of its 0-255 channels
DARK_LUMA = 128  # and no lighter than the middle
MIN_DOT = 0.02  # less ink than this is below the smallest dot a press holds: none


@cache
def icc_transform(icc: Path, source: bytes | None = None) -> Any:
    import io

    from PIL import ImageCms  # Pillow's LittleCMS binding; only the press profile needs it

    source_profile = (
        ImageCms.ImageCmsProfile(io.BytesIO(source))
        if source is not None
        else ImageCms.createProfile("sRGB")
    )
    return ImageCms.buildTransform(
        source_profile,
        ImageCms.getOpenProfile(str(icc)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )


@cache
def cmyk_of(
    rgb: tuple[int, int, int], icc: Path, source: bytes | None = None
) -> tuple[float, float, float, float]:
    """An RGB colour (0-255; sRGB unless `source` is an ICC profile) as CMYK fractions.

    The one conversion of the press profile, for CSS tokens and for what the
    finished PDF still draws in RGB. Dark near-greys go on the black plate
    alone (k from their luma); everything else through the output profile;
    any ink under MIN_DOT is dropped.
    """
    from PIL import Image, ImageCms

    red, green, blue = rgb
    luma = 0.299 * red + 0.587 * green + 0.114 * blue
    if max(rgb) - min(rgb) <= NEUTRAL_CHROMA and luma <= DARK_LUMA:
        inks: tuple[float, ...] = (0.0, 0.0, 0.0, round(1 - luma / 255, 3))
    else:
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), icc_transform(icc, source))
        assert pixel is not None
        value = pixel.getpixel((0, 0))
        assert isinstance(value, tuple)
        inks = tuple(round(c / 255, 3) for c in value)
    c, m, y, k = (0.0 if ink < MIN_DOT else ink for ink in inks)
    return c, m, y, k


def to_cmyk(colour: str, icc: Path) -> tuple[float, float, float, float]:
    """A hex sRGB colour as CMYK fractions (0 to 1), by `cmyk_of`."""
    red, green, blue = channels(colour)
    return cmyk_of((red, green, blue), icc)


def device_cmyk(colour: str, icc: Path) -> str:
    """CSS `device-cmyk(c m y k)` for a hex colour."""
    return "device-cmyk({} {} {} {})".format(*to_cmyk(colour, icc))


def press_css(styles_dir: Path, profile: ClinicProfile, tokens_css: str) -> str:
    """CSS for the press profile: output profile, CMYK tokens, bleed, band."""
    icc = styles_dir / ICC_PROFILE
    colours = profile.colors
    tokens = colour_tokens(tokens_css)
    page_number = tokens.get(PAGE_NUMBER_TOKEN, colours.text)
    tokens.update({f"--color-{name}": value for name, value in brand_tokens(colours).items()})
    lines = [
        f'@color-profile device-cmyk {{ src: url("styles/{ICC_PROFILE.as_posix()}"); '
        "components: c, m, y, k; }",
        ":root {",
        *(f"  {name}: {device_cmyk(value, icc)};" for name, value in sorted(tokens.items())),
        "}",
        "@page {",
        f"  bleed: {BLEED_MM}mm;",
        f"  @bottom-right {{ color: {device_cmyk(page_number, icc)}; }}",
        # The page background (here the brand tint) is printed into the bleed, unless
        # it is too faint for a press to hold (then the paper is the background).
        f"  background: {_background(tint(colours.primary, 0.97), icc)};",
        "}",
    ]
    return "\n".join(lines)


def _background(colour: str, icc: Path) -> str:
    return "none" if not any(to_cmyk(colour, icc)) else device_cmyk(colour, icc)
