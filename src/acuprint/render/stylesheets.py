"""A handout's stylesheets in cascade order: fonts, tokens, brand, styles/, clinic.css.

Two of them are generated from the clinic profile (@font-face rules and the
brand tokens); the rest are the files designers edit.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from acuprint.compose.handout import ComposedHandout
from acuprint.compose.labels import PAGE_NUMBER
from acuprint.inputs.colours import PAGE_NUMBER_TOKEN, brand_tokens, colour_tokens
from acuprint.inputs.environment import cache_dir
from acuprint.inputs.project import LAYOUT_SHEETS, STYLESHEETS, VARIANT_SHEETS, Project
from acuprint.inputs.reads import read_bytes, record
from acuprint.inputs.schema import ClinicProfile
from acuprint.render.fonts import subset_font


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
            return read_bytes(self.path).decode("utf-8-sig")
        return self.text or ""


# Fillable tick boxes are drawn by the PDF viewer, not as plain squares. A
# --forms PDF embeds its fonts whole (viewers type into the fields with them),
# and WeasyPrint then writes no Unicode value for ligature glyphs (Lato's ti,
# tt, tti, ft): "practitioner" would extract, and be read aloud, as "prac oner".
FORMS_CSS = """\
.task-list-item-checkbox { appearance: auto; }
html { font-variant-ligatures: none; }
"""


def style_sources(
    project: Project,
    composed: ComposedHandout,
    *,
    inline_fonts: bool,
    characters: frozenset[int] = frozenset(),
    profile: str = "office",
    variant: str = "",
    forms: bool = False,
) -> tuple[StyleSource, ...]:
    """Every stylesheet of a handout in cascade order; the clinic's own sheet comes last.

    With `inline_fonts`, fonts are embedded as subset data: URLs; a language's
    script font is subset to `characters`, the ones the handout prints.
    """
    clinic = composed.clinic
    files = [
        StyleSource(relative(path, project.root), path=path)
        for path in (project.styles_dir / name for name in STYLESHEETS)
    ]
    if not clinic.stylesheet:
        record(clinic.folder / "clinic.css", None)  # creating one must rebuild the clinic
    else:
        files.append(
            StyleSource(
                relative(clinic.stylesheet, project.root), path=clinic.stylesheet, clinic_only=True
            )
        )
    fonts = font_face_css(
        project, clinic.profile, composed.lang, inline=inline_fonts, characters=characters
    )
    brand = brand_css(project, clinic.profile, composed.lang, landscape=variant == "tri-fold")
    where = relative(clinic.folder, project.root)
    generated = [StyleSource(f"brand (from {where}/clinic.toml)", text=brand)]
    if profile == "press":
        from acuprint.render.cmyk import press_css

        press = press_css(project.styles_dir, clinic.profile, files[0].read())
        generated.append(StyleSource("press (from styles/color/)", text=press))
    if forms:
        files.append(StyleSource("forms", text=FORMS_CSS))
    layout = composed.handout.recipe.layout
    # Large print and the tri-fold have layouts of their own.
    if layout in LAYOUT_SHEETS and not variant:
        path = project.styles_dir / LAYOUT_SHEETS[layout]
        files.append(StyleSource(relative(path, project.root), path=path))
    if variant in VARIANT_SHEETS:
        path = project.styles_dir / VARIANT_SHEETS[variant]
        files.append(StyleSource(relative(path, project.root), path=path))
    # Fonts first, brand tokens right after the default tokens, clinic.css (and
    # the variant's sheet) last.
    return (
        StyleSource("fonts (from styles/fonts/fonts.toml)", text=fonts),
        files[0],
        *generated,
        *files[1:],
    )


def font_face_css(
    project: Project,
    profile: ClinicProfile,
    lang: str,
    *,
    inline: bool,
    characters: frozenset[int] = frozenset(),
) -> str:
    """@font-face rules for the clinic's fonts in `lang`: file URLs, or subset fonts inlined."""
    brand = set(project.brand_font_keys(profile))
    read_bytes(project.fonts_dir / "fonts.toml")  # the catalogue: part of the depfile
    rules = []
    for key in project.font_keys(profile, lang):
        family = project.fonts[key]
        for file, weight, style in family.faces():
            path = project.fonts_dir / file
            if inline:
                # Brand fonts keep one Latin subset for every page; a script font
                # is subset to this page's characters, or it would be megabytes.
                wanted = None if key in brand else characters
                data = subset_font(path, cache_dir(project.root), wanted)
                src = "data:font/woff;base64," + base64.b64encode(data).decode()
            else:
                src = relative(path, project.root)
            rules.append(
                f'@font-face {{ font-family: "{family.name}"; src: url("{src}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


def brand_css(
    project: Project, profile: ClinicProfile, lang: str, *, landscape: bool = False
) -> str:
    """CSS generated from the clinic profile: colour and font tokens, paper size, page labels."""
    script = [project.fonts[k].name for k in project.font_keys(profile, lang)]
    script = [name for name in script if name not in _brand_names(project, profile)]
    body = _stack(project.fonts[profile.fonts.body].name, script)
    headings = _stack(project.fonts[profile.fonts.headings or profile.fonts.body].name, script)
    colours = profile.colors
    tokens = colour_tokens((project.styles_dir / STYLESHEETS[0]).read_text(encoding="utf-8"))
    before, between, after = PAGE_NUMBER.get(lang, PAGE_NUMBER["en"])
    return "\n".join(
        [
            ":root {",
            *(f"  --color-{name}: {value};" for name, value in brand_tokens(colours).items()),
            f"  --font-body: {body};",
            f"  --font-headings: {headings};",
            "}",
            # @page rules cannot read custom properties, so page-level values are literal.
            "@page {",
            f"  size: {profile.paper}{' landscape' if landscape else ''};",
            f"  font-family: {body};",
            "  @bottom-right {",
            f'    content: "{before}" counter(page) "{between}" counter(pages) "{after}";',
            f"    color: {tokens.get(PAGE_NUMBER_TOKEN, colours.text)};",
            "  }",
            # For browsers, which print a page from the HTML: they cannot place
            # element() running headers (print.css), so they keep these strings
            # and print the clinic's name and contact line on every page.
            f"  @top-left {{ content: {css_string(profile.name)}; }}",
            f"  @bottom-left {{ content: {css_string(_contact_line(profile))}; }}",
            "}",
        ]
    )


def css_string(text: str) -> str:
    """`text` as a quoted CSS string."""
    safe = " .,:;@·-_/()&+'"
    escaped = "".join(c if c.isalnum() or c in safe else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def _contact_line(profile: ClinicProfile) -> str:
    website = profile.website.removeprefix("https://").removeprefix("http://").rstrip("/")
    return f"{profile.phone} · {profile.email} · {website}"


def _brand_names(project: Project, profile: ClinicProfile) -> set[str]:
    return {project.fonts[k].name for k in project.brand_font_keys(profile)}


def _stack(first: str, script: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in [first, *script]) + ", sans-serif"


def css_for_style_element(css: str) -> Markup:
    """Make CSS safe to place inside <style>: '</' can never close the element.

    In CSS, `\\\\/` is an escaped '/', so the stylesheet means the same.
    """
    return Markup(css.replace("</", "<\\\\/"))


def relative(path: Path, root: Path) -> str:
    """`path` relative to the project root, with forward slashes."""
    return path.resolve().relative_to(root).as_posix()
