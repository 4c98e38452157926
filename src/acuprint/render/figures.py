"""The figures' drawings (styles/figures/*.svg), coloured from the clinic's tokens.

A drawing is made in the default token colours of styles/tokens.css; each
of those colours is replaced by the clinic's value of the same token, so a
figure matches the handout it is printed in (and the press profile converts
it to CMYK with everything else). The module text placed it as
`<img src="figure:NAME">` (compose/figures.py); here that becomes the
coloured drawing for the clinic's region, inlined as a data: URL.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from acuprint.compose.figures import FIGURE_SRC
from acuprint.inputs.colours import tint
from acuprint.inputs.figures import FIGURES, figure_path
from acuprint.inputs.reads import read_bytes
from acuprint.inputs.schema import BrandColours

# The colours the drawings are made in: styles/tokens.css's defaults.
_DEFAULTS = {
    "#2f5d62": "primary",
    "#eaefef": "primary-tint",
    "#c8893a": "accent",
    "#f7ede1": "accent-tint",
    "#1f2933": "text",
    "#a4161a": "alert",
    "#fbeeee": "alert-tint",
}
_SRC = re.compile(r'src="' + re.escape(FIGURE_SRC) + r'(?P<name>[a-z0-9-]+)"')


def place_figures(html: Markup, styles: Path, colours: BrandColours, region: str) -> Markup:
    """`html` with every figure's drawing filled in, coloured for the clinic."""
    palette = _palette(colours)

    def drawing(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in FIGURES:  # the loader refused it; never load a file by its name
            return match.group(0)
        svg = read_bytes(figure_path(styles, name, region))  # recorded in the depfile
        return f'src="{_recoloured(svg, palette)}"'

    return Markup(_SRC.sub(drawing, str(html)))


def _palette(colours: BrandColours) -> tuple[tuple[str, str], ...]:
    values = {
        "primary": colours.primary,
        "primary-tint": tint(colours.primary, 0.90),
        "accent": colours.accent,
        "accent-tint": tint(colours.accent, 0.85),
        "text": colours.text,
        "alert": colours.alert,
        "alert-tint": tint(colours.alert, 0.93),
    }
    return tuple((default, values[token]) for default, token in _DEFAULTS.items())


@lru_cache(maxsize=64)
def _recoloured(svg: bytes, palette: tuple[tuple[str, str], ...]) -> str:
    mapping = dict(palette)
    text = re.sub(
        "|".join(re.escape(d) for d in mapping),
        lambda m: mapping[m.group(0).lower()],
        svg.decode("utf-8"),
        flags=re.IGNORECASE,
    )
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()
