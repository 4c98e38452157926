"""Render a composed handout to branded HTML with Jinja2.

Two flavours of the same page: `linked` (assets referenced by path, for the
PDF renderer, which fetches them through the sandbox) and `standalone`
(CSS, fonts, logo and QR code inlined, so the .html file can be e-mailed or
put on a website and still look right offline).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from acuprint import __version__, installed_version
from acuprint.checks.glyphs import handout_characters
from acuprint.compose.handout import ComposedHandout
from acuprint.compose.labels import (
    Labels,
    format_date,
    format_month,
    format_short_date,
    labels_for,
    one_year_on,
)
from acuprint.inputs.project import Clinic, Project
from acuprint.inputs.reads import read_bytes, record_digest
from acuprint.inputs.schema import ClinicProfile
from acuprint.render.figures import place_figures
from acuprint.render.icons import MODULE_ICONS, Icon, icons_for
from acuprint.render.sandbox import BlockedFetch, inline_css_urls
from acuprint.render.stylesheets import StyleSource, css_for_style_element, style_sources


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
    labels: Labels
    tagline: str
    logo_alt: str
    qr_alt: str
    styles: tuple[InlineStyle, ...]
    logo_src: str
    qr_src: str
    generator: str
    issued_iso: str
    website_label: str
    address_line: str
    build_inputs: str
    format_date: Callable[[date], str]
    layout: str  # the recipe's layout: "booklet", "sheet" or "form"
    icons: dict[str, Icon]  # by name: warning, emergency-phone, checklist, calendar
    module_icons: dict[str, str]  # module id -> icon name beside its heading
    next_appointment: bool
    opening_hours: list[str]
    directions: str
    oldest_review: date
    draft: bool  # print "Draft - not approved for patients" in the footer (checks/signoff.py)
    styles_dir: Path  # where the figures' drawings are (render/figures.py)
    large_print: bool = False  # the large-print variant: figures wait below the emergency box
    # What `acuprint print --next-appointment` writes in the box, for one print only.
    appointment_text: str = ""
    review_line: str = ""  # compact layouts: "Last reviewed: 21 Nov 2026 · Next review: Nov 2027"

    def callouts(self, html: Markup) -> Markup:
        """Module HTML with its figures drawn and the emergency-phone icon on every callout."""
        if self.large_print:
            html = figures_after_first_callout(html)
        html = place_figures(html, self.styles_dir, self.clinic.colors, self.clinic.region_code)
        # The clinic's phone, where a module says [[clinic-phone]] ("Call your
        # practitioner at ..."): the module's words are approved once for every
        # clinic, the number is the clinic's own approved field.
        html = Markup(str(html).replace(CLINIC_PHONE, str(escape(self.clinic.phone))))
        icon = self.icons.get("emergency-phone")
        if icon is None:
            return html
        img = str(icon.img("callout__icon"))
        text = re.sub(
            r"<blockquote>(\s*<p>)?",
            lambda m: '<blockquote class="callout">' + (m.group(1) or "") + img,
            str(html),
        )
        return Markup(text)


# What regions.toml's [[clinic-phone]] term expands to, in every language and region.
CLINIC_PHONE = "{clinic-phone}"

_LEADING_FIGURES = re.compile(
    r"^(?P<figures>\s*(?:<figure\b.*?</figure>\s*)+)"
    r"(?P<box><blockquote>.*?</blockquote>(?:\s*<p>.*?</p>)?)",
    re.S,
)


def _review_line(labels: Labels, composed: ComposedHandout, lang: str, country: str) -> str:
    # The oldest section's review date: every section was reviewed on or after it.
    oldest = min(s.last_reviewed for s in composed.all_sections)
    last = format_short_date(oldest, lang, country)
    colon = "：" if lang == "zh-Hans" else ": "
    return (
        f"{labels.last_reviewed}{colon}{last} · "
        f"{labels.next_review}{colon}{format_month(one_year_on(oldest), lang)}"
    )


def figures_after_first_callout(html: Markup) -> Markup:
    """Module HTML with the figures that open it moved below its first emergency box.

    In large print, page 1 holds the title, the main message and the whole
    emergency list: a chart above the list would push part of it over. The
    paragraph right after the box (what its signs can mean) stays with it.
    """
    return Markup(
        _LEADING_FIGURES.sub(
            lambda m: m.group("box") + "\n" + m.group("figures").strip(), str(html), 1
        )
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("acuprint", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(
    project: Project,
    composed: ComposedHandout,
    *,
    standalone: bool,
    print_profile: str = "office",
    variant: str = "",
    forms: bool = False,
    appointment: str = "",
) -> HtmlDocument:
    """Render one composed handout to HTML: standalone (all inlined) or linked (for the PDF)."""
    clinic = composed.clinic
    profile = clinic.profile
    root = project.root
    lang = composed.lang
    labels = labels_for(lang)
    text = composed.recipe_text
    characters = handout_characters(composed) if standalone else frozenset()
    sources = style_sources(
        project,
        composed,
        inline_fonts=standalone,
        characters=characters,
        profile=print_profile,
        variant=variant,
        forms=forms,
    )
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
        lang=lang,
        title=text.title,
        subtitle=text.subtitle,
        labels=labels,
        tagline=profile.tagline_in(lang),
        logo_alt=labels.logo.format(clinic=profile.name),
        qr_alt=labels.qr_code.format(url=profile.booking_url),
        styles=tuple(inline),
        logo_src=logo_data_uri(clinic),
        qr_src=qr_data_uri(profile.booking_url, profile.colors.text),
        generator=f"acuprint {__version__}",
        issued_iso=composed.issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        website_label=profile.website.removeprefix("https://").removeprefix("http://").rstrip("/"),
        address_line=_address_line(profile),
        build_inputs=build_inputs(composed),
        format_date=lambda day: format_date(day, lang, profile.address.country),
        # Large print and the tri-fold have layouts of their own.
        layout=composed.handout.recipe.layout if not variant else "booklet",
        icons=icons_for(project.styles_dir, profile.colors, labels),
        module_icons=MODULE_ICONS,
        next_appointment=composed.handout.recipe.next_appointment,
        appointment_text=appointment,
        opening_hours=profile.opening_hours_in(lang),
        directions=profile.directions_in(lang),
        oldest_review=min(s.last_reviewed for s in composed.all_sections),
        draft=composed.signoff is None or not composed.signoff.approved,
        styles_dir=project.styles_dir,
        large_print=variant == "large-print",
        review_line=_review_line(labels, composed, lang, profile.address.country),
    )
    template = "trifold.html.j2" if variant == "tri-fold" else "handout.html.j2"
    loaded = _environment().get_template(template)
    if loaded.filename:
        read_bytes(Path(loaded.filename))  # part of the output's depfile
    html = loaded.render(ctx=ctx)
    if forms:
        html = fillable(html, labels)
    # Fonts and parsed sheets are shared between documents of one clinic only:
    # nothing one clinic supplies can reach another clinic's fonts.
    share_key = (
        clinic.id,
        *(
            hashlib.sha256(s.read().encode()).hexdigest() if s.text is not None else str(s.path)
            for s in sources
            if s.clinic_only or s.name.startswith("fonts")
        ),
    )
    return HtmlDocument(
        html,
        root.as_uri() + "/",
        allowed,
        () if standalone else sources,
        root,
        share_key,
    )


_TICK_BOX = re.compile(
    r'<input class="task-list-item-checkbox"\s+type="checkbox">(?P<text>.*?)</label>', re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")


_END_OF_CHECKLIST = re.compile(r'(<ul class="contains-task-list">.*?</ul>)', re.DOTALL)


def fillable(html: str, labels: Labels) -> str:
    """Make every tick box a named, fillable checkbox, with name and date fields after the list.

    For --forms PDFs: patients can fill the checklist on screen before printing.
    Each field's tooltip (the PDF's /TU, which WeasyPrint takes from `title`)
    is what a screen reader announces: a tick box's is its item's own text,
    the name and date fields' are the labels of the handout's language.
    """
    counter = iter(range(1, 10_000))

    def tick_box(match: re.Match[str]) -> str:
        # The item's text is already escaped HTML: without its tags it is a safe attribute.
        text = " ".join(_TAG.sub("", match["text"]).replace('"', "&quot;").split())
        return (
            f'<input class="task-list-item-checkbox" type="checkbox" name="item-{next(counter)}"'
            f' title="{text}">{match["text"]}</label>'
        )

    html = _TICK_BOX.sub(tick_box, html)
    line = (
        '<p class="form-line">'
        f"<label>{escape(labels.your_name)} "
        f'<input type="text" name="patient-name" class="form-line__name" '
        f'title="{escape(labels.your_name)}"></label> '
        f"<label>{escape(labels.date)} "
        f'<input type="text" name="date" class="form-line__date" title="{escape(labels.date)}">'
        "</label></p>"
    )
    return _END_OF_CHECKLIST.sub(lambda m: m.group(1) + "\n" + line, html, count=1)


def build_inputs(composed: ComposedHandout) -> str:
    """What this handout was built from, for an archive PDF's document information."""
    modules = ", ".join(
        f"{s.id} v{s.version} (reviewed {s.last_reviewed})" for s in composed.all_sections
    )
    return (
        f"acuprint {__version__}; WeasyPrint {installed_version('weasyprint')}; "
        f"clinic {composed.clinic.id}; recipe {composed.handout.id}; "
        f"language {composed.lang}; modules {modules}"
    )


def logo_data_uri(clinic: Clinic) -> str:
    """The logo as checked when the project loaded (the same copy for HTML and PDF)."""
    record_digest(clinic.logo, clinic.logo_digest)
    mime = "image/png" if clinic.logo.suffix.lower() == ".png" else "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(clinic.logo_data).decode()


def qr_data_uri(url: str, colour: str) -> str:
    """A QR code for `url` as an SVG data URI (medium error correction)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_data_uri(scale=4, border=2, dark=colour, light="#ffffff"))


def _address_line(profile: ClinicProfile) -> str:
    a = profile.address
    parts = [a.street, a.city, " ".join(p for p in (a.region, a.postal_code) if p)]
    return ", ".join(p for p in parts if p)
