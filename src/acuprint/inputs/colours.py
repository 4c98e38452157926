"""Colour arithmetic on hex colours: channels, tints, WCAG contrast. One place for all of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PAGE_NUMBER_TOKEN = "--color-muted"  # the colour of "Page N of M"
_TOKEN_COLOUR = re.compile(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;")


def colour_tokens(tokens_css: str) -> dict[str, str]:
    """The hex colour tokens a stylesheet sets, e.g. {"--color-muted": "#4a5560"}."""
    return dict(_TOKEN_COLOUR.findall(tokens_css))


def channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of "#rgb" or "#rrggbb", 0-255 each."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def tint(colour: str, amount: float) -> str:
    """Mix a hex colour with white; `amount` 0 keeps the colour, 1 gives white."""
    mixed = [round(c + (255 - c) * amount) for c in channels(colour)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def brand_tokens(colours: Any) -> dict[str, str]:
    """The clinic's colour tokens, by name without "--color-": the one list the HTML's
    CSS, the press profile's CMYK CSS and the recoloured drawings all read."""
    return {
        "primary": colours.primary,
        "accent": colours.accent,
        "text": colours.text,
        "alert": colours.alert,
        "alert-tint": tint(colours.alert, 0.93),
        "primary-tint": tint(colours.primary, 0.90),
        "accent-tint": tint(colours.accent, 0.85),
    }


def _luminance(colour: str) -> float:
    linear = []
    for channel in channels(colour):
        c = channel / 255
        linear.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 (none) to 21 (black on white)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class ContrastShortfall:
    """A brand colour below the contrast its use needs (the lint's clinic/contrast rule)."""

    key: str  # "text", "primary" or "accent" in clinic.toml's [colors]
    colour: str
    ratio: float
    needed: float
    where: str  # what it is used for, on what background
    unreadable: bool  # text or links: an error everywhere; accent rules: a lint warning

    def message(self) -> str:
        """What is wrong, in one line."""
        return (
            f"colors.{self.key} {self.colour} has contrast {self.ratio:.2f}:1 for {self.where} "
            f"(WCAG needs {self.needed}:1)"
        )


def brand_contrast(primary: str, accent: str, text: str) -> list[ContrastShortfall]:
    """Brand colours too light for where they are used: the one list lint, build and
    `new clinic` judge by."""
    white = "#ffffff"
    checks = [
        ("text", text, white, 4.5, "body text on the white page"),
        ("text", text, tint(primary, 0.90), 4.5, "text on the title block"),
        ("primary", primary, white, 4.5, "headings and links on the white page"),
        ("accent", accent, white, 3.0, "rules and tick boxes on the white page"),
    ]
    found = []
    for key, colour, background, needed, where in checks:
        ratio = contrast_ratio(colour, background)
        if ratio < needed:
            found.append(ContrastShortfall(key, colour, ratio, needed, where, key != "accent"))
    return found
