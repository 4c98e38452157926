"""Render a composed handout to branded HTML with Jinja2.

Two flavours of the same page: `linked` (assets referenced by path, for the
PDF renderer, which fetches them through the sandbox) and `standalone`
(CSS, fonts, logo and QR code inlined, so the .html file can be e-mailed or
put on a website and still look right offline).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import __version__
from .compose import ComposedHandout
from .fonts import cache_dir, subset_font
from .models import ClinicProfile
from .project import STYLESHEETS, Project
from .sandbox import BlockedFetch, data_uri, inline_css_urls

LABELS = {
    "en": {
        "references": "References",
        "review_dates": "When each section was last reviewed",
        "book_online": "Book online",
        "call": "Call",
        "page": "Page",
        "of": "of",
    }
}


@dataclass(frozen=True)
class StyleSource:
    """One stylesheet in cascade order: a project file, or CSS that acuprint generated.

    Generated CSS resolves relative URLs against the project root.
    """

    name: str
    path: Path | None = None
    text: str | None = None
    clinic_only: bool = False  # the clinic's own sheet: may load from its folder, never shared

    def base_url(self, project_root: Path) -> str:
        """The URL that relative url() references in this sheet resolve against."""
        return self.path.resolve().as_uri() if self.path else project_root.as_uri() + "/"

    def read(self) -> str:
        """The stylesheet's CSS text."""
        if self.path is not None:
            return self.path.read_text(encoding="utf-8")
        return self.text or ""


@dataclass(frozen=True)
class HtmlDocument:
    """Rendered HTML plus what the PDF stage needs: base URL, sandbox roots, stylesheets.

    In a linked document the stylesheets are not in the HTML: the PDF renderer
    applies them itself, so it can parse each one once and reuse it.
    """

    html: str
    base_url: str
    allowed_roots: tuple[Path, ...]
    stylesheets: tuple[StyleSource, ...]
    warnings: tuple[str, ...] = ()
    root: Path = Path()  # the project folder that base_url names
    # Documents with equal keys may share fonts and parsed shared sheets: the
    # same @font-face rules and the same clinic.css (or none).
    share_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class InlineStyle:
    """A stylesheet placed inside a <style> element."""

    name: str
    text: Markup


@dataclass(frozen=True)
class TemplateContext:
    """The one documented object the handout template receives."""

    handout: ComposedHandout
    clinic: ClinicProfile
    lang: str
    title: str
    subtitle: str
    labels: dict[str, str]
    styles: tuple[InlineStyle, ...]
    logo_src: str
    qr_src: str
    generator: str
    issued_iso: str
    website_label: str
    address_line: str
    format_date: Callable[[date], str]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("acuprint", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(project: Project, composed: ComposedHandout, *, standalone: bool) -> HtmlDocument:
    """Render one composed handout to HTML: standalone (all inlined) or linked (for the PDF)."""
    clinic = composed.clinic
    profile = clinic.profile
    root = project.root
    labels = LABELS.get(composed.lang, LABELS["en"])
    sources = style_sources(project, composed, inline_fonts=standalone)
    # styles/ first: the PDF renderer lets shared stylesheets load from it alone.
    allowed = tuple(p.resolve() for p in (project.styles_dir, clinic.folder, root / "handouts"))
    inline: list[InlineStyle] = []
    if standalone:  # the page must load nothing: every url() becomes a data: URL
        refused: list[str] = []
        for source in sources:
            css, blocked = inline_css_urls(source.read(), source.base_url(root), allowed)
            inline.append(InlineStyle(source.name, css_for_style_element(css)))
            refused.extend(f"{source.name}: {message}" for message in blocked)
        if refused:
            raise BlockedFetch("; ".join(refused))
    ctx = TemplateContext(
        handout=composed,
        clinic=profile,
        lang=composed.lang,
        title=composed.handout.recipe.title,
        subtitle=composed.handout.recipe.subtitle,
        labels=labels,
        styles=tuple(inline),
        logo_src=data_uri(clinic.logo) if standalone else _relative(clinic.logo, root),
        qr_src=qr_data_uri(profile.booking_url, profile.colors.text),
        generator=f"acuprint {__version__}",
        issued_iso=composed.issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        website_label=profile.website.removeprefix("https://").removeprefix("http://").rstrip("/"),
        address_line=_address_line(profile),
        format_date=_date_formatter(profile),
    )
    html = _environment().get_template("handout.html.j2").render(ctx=ctx)
    share_key = tuple(
        hashlib.sha256(s.read().encode()).hexdigest() if s.text is not None else str(s.path)
        for s in sources
        if s.clinic_only or s.name.startswith("fonts")
    )
    return HtmlDocument(
        html,
        root.as_uri() + "/",
        allowed,
        () if standalone else sources,
        (),
        root,
        share_key,
    )


def style_sources(
    project: Project, composed: ComposedHandout, *, inline_fonts: bool
) -> tuple[StyleSource, ...]:
    """Every stylesheet of a handout in cascade order; the clinic's own sheet comes last."""
    clinic = composed.clinic
    labels = LABELS.get(composed.lang, LABELS["en"])
    files = [
        StyleSource(_relative(path, project.root), path=path)
        for path in (project.styles_dir / name for name in STYLESHEETS)
    ]
    if clinic.stylesheet:
        files.append(
            StyleSource(
                _relative(clinic.stylesheet, project.root), path=clinic.stylesheet, clinic_only=True
            )
        )
    generated = [
        StyleSource(
            "fonts (from styles/fonts/fonts.toml)",
            text=font_face_css(project, clinic.profile, inline=inline_fonts),
        ),
        StyleSource(
            f"brand (from {_relative(clinic.folder, project.root)}/clinic.toml)",
            text=brand_css(project, clinic.profile, labels),
        ),
    ]
    # Fonts first, brand tokens right after the default tokens, clinic.css last.
    return (generated[0], files[0], generated[1], *files[1:])


def font_face_css(project: Project, profile: ClinicProfile, *, inline: bool) -> str:
    """@font-face rules for the clinic's fonts: file URLs, or subset fonts inlined."""
    keys = dict.fromkeys([profile.fonts.body, profile.fonts.headings or profile.fonts.body])
    rules = []
    for key in keys:
        family = project.fonts[key]
        for file, weight, style in family.faces():
            path = project.fonts_dir / file
            if inline:
                src = (
                    "data:font/woff;base64,"
                    + base64.b64encode(subset_font(path, cache_dir(project.root))).decode()
                )
            else:
                src = _relative(path, project.root)
            rules.append(
                f'@font-face {{ font-family: "{family.name}"; src: url("{src}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


def brand_css(project: Project, profile: ClinicProfile, labels: dict[str, str]) -> str:
    """CSS generated from the clinic profile: colour and font tokens, paper size, page labels."""
    body = project.fonts[profile.fonts.body].name
    headings = project.fonts[profile.fonts.headings or profile.fonts.body].name
    colours = profile.colors
    fallback = "sans-serif"
    return "\n".join(
        [
            ":root {",
            f"  --color-primary: {colours.primary};",
            f"  --color-accent: {colours.accent};",
            f"  --color-text: {colours.text};",
            f"  --color-primary-tint: {tint(colours.primary, 0.90)};",
            f"  --color-accent-tint: {tint(colours.accent, 0.85)};",
            f'  --font-body: "{body}", {fallback};',
            f'  --font-headings: "{headings}", {fallback};',
            "}",
            # @page rules cannot read custom properties, so page-level values are literal.
            "@page {",
            f"  size: {profile.paper};",
            f'  font-family: "{body}";',
            "  @bottom-right {",
            f'    content: "{labels["page"]} " counter(page) " {labels["of"]} " counter(pages);',
            "  }",
            "}",
        ]
    )


def css_for_style_element(css: str) -> Markup:
    """Make CSS safe to place inside <style>: '</' can never close the element.

    In CSS, `\\/` is an escaped '/', so the stylesheet means the same.
    """
    return Markup(css.replace("</", "<\\/"))


def tint(colour: str, amount: float) -> str:
    """Mix a hex colour with white; `amount` 0 keeps the colour, 1 gives white."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def qr_data_uri(url: str, colour: str) -> str:
    """A QR code for `url` as an SVG data URI (medium error correction)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_data_uri(scale=4, border=2, dark=colour, light="#ffffff"))


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root).as_posix()


def _address_line(profile: ClinicProfile) -> str:
    a = profile.address
    parts = [a.street, a.city, " ".join(p for p in (a.region, a.postal_code) if p)]
    return ", ".join(p for p in parts if p)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date_formatter(profile: ClinicProfile) -> Callable[[date], str]:
    # Month names from this table, not %B: the output must not depend on the locale.
    if profile.address.country == "US":
        return lambda day: f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return lambda day: f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
