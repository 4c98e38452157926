"""The handout's icons: self-drawn SVGs in styles/icons/, coloured from the clinic's tokens.

Each icon is drawn in `currentColor`. An SVG shown as an image cannot inherit
CSS colour, so the icon is recoloured here with the value of the clinic token
it belongs to (the same value the CSS custom property `--color-<token>` has)
and inlined as a data: URL, with alt text in the handout's language.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from acuprint.compose.labels import Labels
from acuprint.inputs.project import ICONS
from acuprint.inputs.reads import read_bytes
from acuprint.inputs.schema import BrandColours

# icon -> the colour token it is drawn in
ICON_COLOURS: dict[str, str] = {
    "warning": "alert",
    "emergency-phone": "alert",
    "checklist": "primary",
    "calendar": "primary",
}
# module -> the icon beside its heading
MODULE_ICONS = {
    "red-flags": "warning",
    "safety-tell-us": "checklist",
    "safety-checklist": "checklist",
}


@dataclass(frozen=True)
class Icon:
    """One icon ready for the template: a data: URL and its alt text."""

    name: str
    src: str
    alt: str

    def img(self, css_class: str) -> Markup:
        """The icon as an <img> element."""
        return Markup(
            f'<img class="{escape(css_class)} icon--{escape(self.name)}" '
            f'src="{escape(self.src)}" alt="{escape(self.alt)}">'
        )


def icons_for(styles_dir: Path, colours: BrandColours, labels: Labels) -> dict[str, Icon]:
    """Every icon, coloured for one clinic, with alt text in one language."""
    alt = {
        "warning": labels.icon_warning,
        "emergency-phone": labels.icon_emergency,
        "checklist": labels.icon_checklist,
        "calendar": labels.icon_calendar,
    }
    return {
        name: Icon(
            name,
            _data_uri(styles_dir / "icons" / f"{name}.svg", getattr(colours, token)),
            alt[name],
        )
        for name, token in ICON_COLOURS.items()
        if name in ICONS
    }


def _data_uri(path: Path, colour: str) -> str:
    # Read (and recorded in the depfile) on every render, so editing an icon
    # rebuilds the outputs that show it; only the recolouring is cached.
    return _recoloured(read_bytes(path), colour)


@lru_cache(maxsize=64)
def _recoloured(svg: bytes, colour: str) -> str:
    data = svg.decode("utf-8").replace("currentColor", colour).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode()
