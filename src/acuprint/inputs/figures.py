"""The pictures that teach: which exist, and where their drawings live.

A figure is a self-drawn SVG in styles/figures/, placed in a module by a
`::: figure NAME` block (compose/figures.py) with its alt text and caption in
the module's language. A picture that differs by region (a coin drawn at its
real size) has one drawing per region, `<name>.<region>.svg`.
"""

from __future__ import annotations

from pathlib import Path

from acuprint.errors import Problem
from acuprint.inputs.files import read_text

FIGURES = ("when-to-get-help", "needle-size")
REGIONAL_FIGURES = ("needle-size",)  # drawn once per region
FIGURE_REGIONS = ("us", "uk")


def figure_path(styles: Path, name: str, region: str) -> Path:
    """The drawing of figure `name` for `region`."""
    if name in REGIONAL_FIGURES:
        return styles / "figures" / f"{name}.{region}.svg"
    return styles / "figures" / f"{name}.svg"


def check_figures(styles: Path) -> list[Problem]:
    """A problem for every figure drawing that is missing or unreadable."""
    found = []
    for name in FIGURES:
        for region in FIGURE_REGIONS if name in REGIONAL_FIGURES else FIGURE_REGIONS[:1]:
            drawn = read_text(figure_path(styles, name, region))
            if isinstance(drawn, Problem):
                found.append(drawn)
    return found
