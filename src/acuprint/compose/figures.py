"""Module text with its figures: pictures that teach, each with alt text and a caption.

A module places a figure with a block of its own:

    ::: figure needle-size
    alt: What the picture shows, for a reader who cannot see it.
    caption: The words printed under the picture.
    Any other lines are Markdown the figure frames (a chart's labels).
    :::

The figure's words are the module's words: translated with it, read by the
checks and signed off like every other paragraph (compose/units.py). Here
the block becomes a <figure>; its <img> names the drawing (`figure:NAME`),
which the render stage replaces with the drawing coloured for the clinic
(render/figures.py).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from acuprint.compose.markdown import render_markdown
from acuprint.inputs.regions import FENCE, FIGURE

FIGURE_SRC = "figure:"  # the <img src> prefix the render stage fills in
_KEY = re.compile(r"^(?P<key>alt|caption):[ \t]*(?P<text>.*)$", re.IGNORECASE)
_INLINE_P = re.compile(r"^<p>(?P<inner>.*)</p>\s*$", re.DOTALL)


def render_module_body(text: str) -> Markup:
    """Expanded module text to HTML: Markdown, with every figure block as a <figure>."""
    parts: list[str] = []
    prose: list[str] = []
    figure: dict[str, object] | None = None
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        opened = FIGURE.match(bare)
        if opened and figure is None:
            parts.append(render_markdown("".join(prose)))
            prose = []
            figure = {"name": opened.group("name"), "alt": "", "caption": "", "body": []}
            continue
        if figure is not None:
            fence = FENCE.match(bare)
            if fence and not fence.group("name"):
                parts.append(_figure(figure))
                figure = None
                continue
            key = _KEY.match(bare)
            if key:
                figure[key.group("key").lower()] = key.group("text").strip()
            else:
                body = figure["body"]
                assert isinstance(body, list)
                body.append(line)
            continue
        prose.append(line)
    parts.append(render_markdown("".join(prose)))
    return Markup("".join(parts))


def _figure(figure: dict[str, object]) -> str:
    name = str(figure["name"])
    body_lines = figure["body"]
    assert isinstance(body_lines, list)
    body = "".join(body_lines).strip()
    caption = _inline(str(figure["caption"]))
    framed = f'<div class="figure__body">{render_markdown(body)}</div>' if body else ""
    return (
        f'<figure class="figure figure--{escape(name)}">'
        f'<img class="figure__image" src="{FIGURE_SRC}{escape(name)}" '
        f'alt="{escape(str(figure["alt"]))}">'
        f"{framed}"
        f'<figcaption class="figure__caption">{caption}</figcaption>'
        "</figure>\n"
    )


def _inline(text: str) -> str:
    """One line of Markdown as inline HTML (bold and the like, no <p>)."""
    html = str(render_markdown(text))
    match = _INLINE_P.match(html)
    return match.group("inner") if match else html
