"""The typed, validated shape of every input file.

Each class is the schema of one kind of file; field descriptions double as
documentation (see `acuprint schema` in a later release) and every model
forbids unknown keys so a typo is reported instead of ignored.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from acuprint.inputs.named_colours import CSS_COLOUR_NAMES
from acuprint.jobs import PRINT_PROFILES as PRINT_PROFILES
from acuprint.jobs import PrintProfile as PrintProfile

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_BARE_HEX = re.compile(r"^(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def invalid(value: str, what: str, fix: str) -> PydanticCustomError:
    """An error whose message says what is wrong and whose context says how to fix it."""
    return PydanticCustomError(
        "acuprint", "{value} is not {what}", {"value": repr(value), "what": what, "fix": fix}
    )


def colour_as_written(value: object) -> object:
    """What people write for a colour, as a hex code: "purple", "c9822b", "#C9822B"."""
    if not isinstance(value, str):
        return value
    written = value.strip()
    named = CSS_COLOUR_NAMES.get(written.lower().replace(" ", ""))
    if named:
        return named
    return f"#{written}" if _BARE_HEX.match(written) else written


def _hex_colour(value: str) -> str:
    if not _HEX_COLOUR.match(value):
        raise invalid(
            value,
            "a colour",
            'write it as a hex code such as "#1a6b5c" or a CSS colour name such as "teal"',
        )
    return value.lower()


def _lowercase(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise invalid(value, "an e-mail address", 'write it like "hello@example.com"')
    return value


def _web_url(value: str) -> str:
    if not _WEB_URL.match(value):
        raise invalid(value, "a web address", 'start it with https://, as in "https://example.com"')
    return value


def _past_date(value: date) -> date:
    # A review date in the future would switch off the review-due checks.
    if value.year < 1990 or value > date.today():
        raise invalid(
            value.isoformat(), "a past date", "give the day the review really happened, YYYY-MM-DD"
        )
    return value


PastDate = Annotated[date, AfterValidator(_past_date)]
Colour = Annotated[str, BeforeValidator(colour_as_written), AfterValidator(_hex_colour)]
Paper = Annotated[Literal["letter", "a4"], BeforeValidator(_lowercase)]
Email = Annotated[str, AfterValidator(_email)]
WebUrl = Annotated[str, AfterValidator(_web_url)]
Slug = Annotated[str, Field(pattern=SLUG)]
# BCP 47 language tags as acuprint uses them: "en", "es", "zh-Hans".
LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]


def _printer_name(value: str) -> str:
    # A CUPS queue name as lpadmin makes them; no space, "/", "#" or quote reaches `lp -d`.
    if not _PRINTER_NAME.match(value):
        raise invalid(
            value,
            "a CUPS printer name",
            'write the queue\'s name as `lpstat -e` lists it, e.g. "front-desk" '
            "(letters, digits and _ . @ + : = ~ -)",
        )
    return value


_PRINTER_NAME = re.compile(r"^[A-Za-z0-9_.@+:=~-]{1,127}$")
PrinterName = Annotated[str, AfterValidator(_printer_name)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- styles/fonts/fonts.toml ---------------------------------------------------


class FontFamily(_Strict):
    """One bundled font family; file paths are relative to styles/fonts/."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ]{0,60}$")] = Field(
        description="Family name used in CSS, e.g. 'Lato' (letters, digits, spaces)."
    )
    license: Text = Field(description="SPDX licence identifier, e.g. 'OFL-1.1'.")
    source: Text = Field(description="Where the files came from.")
    regular: str = Field(description="Upright, normal weight.")
    bold: str = Field(description="Upright, bold weight.")
    italic: str | None = Field(default=None, description="Italic, normal weight.")
    bold_italic: str | None = Field(default=None, description="Italic, bold weight.")
    languages: list[LanguageTag] = Field(
        default_factory=list,
        description="Languages whose script this family adds to every clinic's fonts "
        "(e.g. a Chinese font for 'zh-Hans'); empty for a brand font clinics choose.",
    )

    def faces(self) -> list[tuple[str, str, str]]:
        """Return (file, weight, style) for every face the family bundles."""
        candidates = [
            (self.regular, "400", "normal"),
            (self.bold, "700", "normal"),
            (self.italic, "400", "italic"),
            (self.bold_italic, "700", "italic"),
        ]
        return [(path, weight, style) for path, weight, style in candidates if path]


# --- clinics/<id>/clinic.toml ------------------------------------------------------


class Address(_Strict):
    """Postal address printed in the footer and on the last page."""

    street: Text = Field(description="Street and number, e.g. '118 Larkspur Lane'.")
    city: Text
    region: str = Field(default="", description="State, county or region; may be empty.")
    postal_code: Text
    country: Literal["US", "UK"] = Field(description="'US' or 'UK'.")


class Practitioner(_Strict):
    """A practitioner listed on the handout, with credentials and licence."""

    name: Text
    credentials: Text = Field(description="e.g. 'LAc, Dipl. Ac. (NCCAOM)' or 'MBAcC'.")
    license: Text = Field(description="Licence or registration number and issuer.")


class BrandColours(_Strict):
    """Brand colours; they become the CSS custom properties --color-*."""

    primary: Colour = Field(description="Headings, rules and the header band.")
    accent: Colour = Field(description="Highlights, tick boxes and callout borders.")
    text: Colour = Field(description="Body text; keep it dark for contrast.")
    alert: Colour = Field(
        default="#a4161a",
        description="Warning signs and emergency boxes and their icons; keep it a dark red.",
    )


class FontChoice(_Strict):
    """Which bundled families (keys of styles/fonts/fonts.toml) the clinic uses.

    The catalogue is checked when clinics load (inputs/clinics.py), which also
    turns a family's display name ("Open Sans") into its key ("open-sans").
    """

    body: Text = Field(description="Family for body text, header and footer.")
    headings: Text | None = Field(default=None, description="Family for headings; body if unset.")


class ClinicText(_Strict):
    """Clinic wording in another language."""

    tagline: str = Field(default="", max_length=200)
    opening_hours: list[Text] = Field(default_factory=list)
    directions: str = Field(default="", max_length=400)


class AllowedClaim(_Strict):
    """A phrase the claims lint would flag, allowed in a module or clinic for a written reason."""

    phrase: Annotated[str, Field(min_length=2, max_length=120)]
    why: Annotated[str, Field(min_length=20, max_length=400)]


class ClinicProfile(_Strict):
    """Everything acuprint needs to brand a clinic's handouts."""

    name: Text = Field(description="Display name, printed in every page header.")
    tagline: str = Field(default="", max_length=200, description="Short line under the name.")
    phone: Text = Field(description="Phone number as patients should dial it.")
    email: Email
    website: WebUrl
    booking_url: WebUrl = Field(description="Online booking page; printed as a QR code.")
    address: Address
    practitioners: list[Practitioner] = Field(default_factory=list)
    colors: BrandColours
    fonts: FontChoice
    paper: Paper = Field(description="'letter' (US) or 'a4', in any case.")
    languages: list[LanguageTag] = Field(
        default=["en"], min_length=1, description="Languages to build, e.g. ['en', 'es']."
    )
    logo: str = Field(description="Logo file in the clinic's folder: SVG preferred, PNG allowed.")
    print_profile: PrintProfile = Field(
        default="office",
        description="Default PDF profile: 'office' (office printer, accessible), 'press' "
        "(print shop: bleed, crop marks, CMYK) or 'archive' (PDF/A).",
    )
    printer: PrinterName | None = Field(
        default=None,
        description="Optional: the CUPS queue `acuprint print` sends this clinic's handouts "
        "to, e.g. 'front-desk' (as `lpstat -e` lists it); --printer overrides it.",
    )
    jurisdiction: Slug | None = Field(
        default=None,
        description="Advertising rules the claims check applies: 'us', 'uk', or one a "
        "project's claims.toml defines; default from address.country.",
    )
    region: Literal["us", "uk"] | None = Field(
        default=None,
        description="Whose wording handouts use (911 or 999, license or licence); "
        "default from address.country.",
    )
    opening_hours: list[Text] = Field(
        default_factory=list,
        description="Optional: one line per day or group of days, e.g. 'Mon-Fri 8am-6pm'; "
        "printed on the first-visit handout.",
    )
    directions: str = Field(
        default="",
        max_length=400,
        description="Optional: how to get there (transit, parking, entrance); "
        "printed on the first-visit handout.",
    )
    translations: dict[LanguageTag, ClinicText] = Field(
        default_factory=dict, description="Tagline per language, e.g. [translations.es]."
    )

    allowed_claims: list[AllowedClaim] = Field(
        default_factory=list,
        description="Phrases in the clinic's own text (name, tagline, credentials) the claims "
        "check may not flag, each with the reason.",
    )

    @property
    def rules(self) -> str:
        """The jurisdiction whose advertising rules apply."""
        return self.jurisdiction or ("us" if self.address.country == "US" else "uk")

    @property
    def region_code(self) -> Literal["us", "uk"]:
        """The region whose wording the clinic's handouts print."""
        return self.region or ("us" if self.address.country == "US" else "uk")

    def opening_hours_in(self, lang: str) -> list[str]:
        """Opening hours in `lang` (as written if no translation)."""
        text = self.translations.get(lang)
        return (text.opening_hours if text and text.opening_hours else None) or self.opening_hours

    def directions_in(self, lang: str) -> str:
        """How to get there in `lang` (as written if no translation)."""
        text = self.translations.get(lang)
        return (text.directions if text else "") or self.directions

    def tagline_in(self, lang: str) -> str:
        """The tagline in `lang` (as written if no translation)."""
        text = self.translations.get(lang)
        return text.tagline if text else self.tagline


# --- handouts/recipes/<id>.toml ----------------------------------------------------


class RecipeText(_Strict):
    """A recipe's title and subtitle in another language."""

    title: Text
    subtitle: str = Field(default="", max_length=200)


class Recipe(_Strict):
    """A handout: which modules, in which order, under which title."""

    title: Text
    subtitle: str = Field(default="", max_length=200)
    modules: list[Slug] = Field(min_length=1, description="Module ids in print order.")
    variants: list[Literal["large-print", "tri-fold"]] = Field(
        default_factory=list,
        description="Extra PDFs of this handout: 'large-print' (18 pt body, nothing under 16 pt) "
        "or 'tri-fold' (a landscape brochure, two sides, three panels a side).",
    )
    max_pages: Annotated[int, Field(ge=1, le=100)] | None = Field(
        default=None,
        description="Page budget: the build fails a PDF of this handout with more pages, "
        "saying how much to cut.",
    )
    large_print_max_pages: Annotated[int, Field(ge=1, le=200)] | None = Field(
        default=None,
        description="Page budget of the large-print variant (default: twice max_pages). "
        "Large print always uses the booklet layout, one column at 18pt.",
    )
    layout: Literal["booklet", "sheet", "form"] = Field(
        default="booklet",
        description="'booklet' (default), 'sheet' (a compact one-sheet handout: headings in "
        "the margin, references in small print) or 'form' (a one-page form to fill in).",
    )
    about_pain: bool = Field(
        default=True,
        description="A handout about pain carries the back-pain warning signs on its first "
        "page (the build adds them if the recipe leaves them out). Only a handout that is "
        "not about pain, such as a form, may set false.",
    )
    next_appointment: bool = Field(
        default=False,
        description="Print a box for the next appointment and notes, with the clinic's "
        "opening hours and directions if the profile has them.",
    )
    translations: dict[LanguageTag, RecipeText] = Field(
        default_factory=dict, description="Title and subtitle per language, e.g. [translations.es]."
    )

    def text(self, lang: str) -> RecipeText:
        """Title and subtitle in `lang` (English if no translation)."""
        return self.translations.get(lang) or RecipeText(title=self.title, subtitle=self.subtitle)


# --- handouts/modules/<id>.md front matter --------------------------------------------


class Source(_Strict):
    """One cited source, listed in the handout's references."""

    id: Slug
    citation: Annotated[str, Field(min_length=10, max_length=600)]
    year: Annotated[int, Field(ge=1900, le=2100)]
    language: LanguageTag = Field(
        default="en",
        description="The language the citation is written in; a handout in another language "
        "marks it, so screen readers read it in this one.",
    )
    url: WebUrl | None = None
    checked: PastDate | None = Field(
        default=None,
        description="When a reviewer last confirmed this older source is still the current "
        "evidence; with `check_note`, it clears the lint's 'review due' flag for two years.",
    )
    check_note: str = Field(default="", max_length=400, description="What the reviewer found.")


class ModuleMeta(_Strict):
    """Front matter of a content module."""

    id: Slug = Field(description="Same as the file name without '.md'.")
    title: Text
    version: Annotated[int, Field(ge=1)] = Field(description="Raise it on every content change.")
    language: LanguageTag = Field(description="Language tag, e.g. 'en', 'es' or 'zh-Hans'.")
    translates: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="For a translation: the version of the English module it translates.",
    )
    last_reviewed: PastDate = Field(description="Date of the last clinical review, YYYY-MM-DD.")
    sources: list[Source] = Field(default_factory=list)
    allowed_claims: list[AllowedClaim] = Field(
        default_factory=list, description="Phrases the claims lint may not flag here, and why."
    )
