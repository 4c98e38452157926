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

from acuprint.inputs.colours import PAGE_NUMBER_TOKEN, brand_tokens, channels, colour_tokens, tint
from acuprint.inputs.schema import ClinicProfile

ICC_PROFILE = Path("color") / "artifex-cmyk-swop.icc"  # relative to styles/
BLEED_MM = 3


@cache
def _transform(icc: Path) -> object:
    from PIL import ImageCms  # Pillow's LittleCMS binding; only the press profile needs it

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(icc)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )


def to_cmyk(colour: str, icc: Path) -> tuple[float, float, float, float]:
    """A hex sRGB colour as CMYK fractions (0 to 1) through the output profile."""
    from PIL import Image, ImageCms

    rgb = Image.new("RGB", (1, 1), channels(colour))
    cmyk = ImageCms.applyTransform(rgb, _transform(icc))  # type: ignore[arg-type]
    assert cmyk is not None
    pixel = cmyk.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    return tuple(round(c / 255, 3) for c in pixel)  # type: ignore[return-value]


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
        # The page background (here the brand tint) is printed into the bleed.
        f"  background: {device_cmyk(tint(colours.primary, 0.97), icc)};",
        "}",
    ]
    return "\n".join(lines)
