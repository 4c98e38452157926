"""`acuprint new clinic`: ask for what a clinic must give, check it, write its folder."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acuprint.commands.common import EXIT_INVALID, ProjectOption, fail_input, say
from acuprint.commands.usage import PlainCommand
from acuprint.errors import InputError

if TYPE_CHECKING:
    from acuprint.inputs.project import Project

new_app = typer.Typer(help="Create a clinic in this project.", no_args_is_help=True)


class RegionChoice(StrEnum):
    """Where the clinic is: sets the address's country, the default paper and the claim rules."""

    us = "us"
    uk = "uk"


class Asker:
    """Each answer from its option, else from a prompt, else (with --no-input) a missing one."""

    def __init__(self, no_input: bool) -> None:
        self.no_input = no_input
        self.missing: list[str] = []

    def __call__(
        self,
        given: str | None,
        option: str,
        question: str,
        default: str | None = None,
        check: Callable[[str], str | None] | None = None,
    ) -> str:
        """The answer; a problem `check` finds is asked again, or reported with --no-input."""
        while True:
            if given is None and self.no_input:
                if default is None:
                    self.missing.append(option)
                    return ""
                return default
            answer = given if given is not None else typer.prompt(question, default=default)
            problem = check(answer) if check else None
            if problem is None:
                return str(answer).strip()
            if given is not None and self.no_input:
                say(f"error: {option}: {problem}", err=True)
                raise typer.Exit(EXIT_INVALID)
            say(f"  {problem}", err=True)
            given = None


def _load(project: Path) -> Project:
    from acuprint.build.supervisor import load_limited

    try:
        return load_limited(project)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None


@new_app.command("clinic", cls=PlainCommand)
def new_clinic(
    clinic_id: Annotated[str, typer.Argument(metavar="ID", help="Folder name, e.g. harbour-lane.")],
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="The clinic's name.")] = None,
    region: Annotated[RegionChoice | None, typer.Option(help="us or uk.")] = None,
    paper: Annotated[
        str | None, typer.Option(metavar="TEXT", help="letter or a4 [default: by region].")
    ] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", metavar="CODE", help="Language (repeatable).")
    ] = None,
    primary: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Headings colour, e.g. #2f6b4f.")
    ] = None,
    accent: Annotated[str | None, typer.Option(metavar="TEXT", help="Highlight colour.")] = None,
    text: Annotated[str | None, typer.Option(metavar="TEXT", help="Body text colour.")] = None,
    body_font: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Body font, e.g. 'Open Sans'.")
    ] = None,
    headings_font: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Headings font.")
    ] = None,
    phone: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Phone number as patients dial it.")
    ] = None,
    email: Annotated[str | None, typer.Option(metavar="TEXT", help="E-mail address.")] = None,
    website: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Web address (https://...).")
    ] = None,
    booking_url: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Online booking page.")
    ] = None,
    street: Annotated[str | None, typer.Option(metavar="TEXT", help="Street and number.")] = None,
    city: Annotated[str | None, typer.Option(metavar="TEXT", help="Town or city.")] = None,
    state: Annotated[
        str | None, typer.Option(metavar="TEXT", help="State or county (may be empty).")
    ] = None,
    postal_code: Annotated[
        str | None, typer.Option(metavar="TEXT", help="ZIP or postcode.")
    ] = None,
    logo: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Logo (SVG or PNG) to copy in.")
    ] = None,
    practitioner: Annotated[
        list[str] | None,
        typer.Option(metavar="'NAME; CREDENTIALS; LICENCE'", help="A practitioner (repeatable)."),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing: every answer from options.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Create clinics/ID/ with a commented clinic.toml and the logo, asking for each answer.

    Example: acuprint new clinic harbour-lane --name "Harbour Lane Acupuncture" --region uk
    """
    from acuprint.inputs.model import SLUG_PATTERN
    from acuprint.inputs.scaffold import (
        DEFAULT_COLOURS,
        REGIONS,
        ClinicAnswers,
        answer_problems,
        contrast_problems,
        font_key_of,
        logo_problem,
        write_clinic,
    )

    if not SLUG_PATTERN.fullmatch(clinic_id):
        say(f"error: '{clinic_id}' is not a clinic id", err=True)
        say("    fix: use lowercase letters, digits and hyphens, e.g. harbour-lane", err=True)
        raise typer.Exit(EXIT_INVALID)
    loaded = _load(project)
    folder = loaded.root / "clinics" / clinic_id
    if folder.exists():
        say(f"error: clinics/{clinic_id} already exists", err=True)
        say("    fix: choose another id, or edit its clinic.toml", err=True)
        raise typer.Exit(EXIT_INVALID)
    ask = Asker(no_input)
    offered = sorted({lang for _, lang in loaded.modules})
    brand = [f.name for f in loaded.fonts.values() if not f.languages]

    def one_of(choices: list[str]) -> Callable[[str], str | None]:
        return lambda v: None if v.lower() in choices else f"use one of: {', '.join(choices)}"

    def languages_check(value: str) -> str | None:
        unknown = [c for c in _split(value) if c not in offered]
        return (
            f"unknown language {', '.join(unknown)}; use: {', '.join(offered)}" if unknown else None
        )

    def font_check(value: str) -> str | None:
        return None if font_key_of(value, loaded.fonts) else f"use one of: {', '.join(brand)}"

    name_ = ask(name, "--name", "Clinic name")
    region_ = ask(
        region.value if region else None,
        "--region",
        "Region (us or uk)",
        "us",
        one_of(list(REGIONS)),
    ).lower()
    paper_ = ask(
        paper, "--paper", "Paper (letter or a4)", REGIONS[region_][1], one_of(["letter", "a4"])
    ).lower()
    langs = ask(
        ",".join(lang) if lang else None,
        "--lang",
        f"Languages, separated by commas ({', '.join(offered)})",
        "en",
        languages_check,
    )
    colours = {}
    while True:
        for key, given in (("primary", primary), ("accent", accent), ("text", text)):
            colours[key] = ask(
                given,
                f"--{key}",
                f"{key.capitalize()} colour (hex or CSS name)",
                DEFAULT_COLOURS[key],
            )
        low = contrast_problems(colours["primary"], colours["accent"], colours["text"])
        if not low:
            break
        for problem in low:
            say(f"  {problem}", err=True)
        if no_input or None not in (primary, accent, text):
            say("error: the brand colours are too light to read", err=True)
            raise typer.Exit(EXIT_INVALID)
        primary = accent = text = None
    body = ask(body_font, "--body-font", f"Body font ({', '.join(brand)})", brand[0], font_check)
    headings = ask(headings_font, "--headings-font", "Headings font", body, font_check)
    answers = ClinicAnswers(
        clinic_id=clinic_id,
        name=name_,
        region=region_,
        paper=paper_,
        languages=_split(langs),
        primary=colours["primary"],
        accent=colours["accent"],
        text=colours["text"],
        body_font=font_key_of(body, loaded.fonts) or body,
        headings_font=font_key_of(headings, loaded.fonts) or headings,
        phone=ask(phone, "--phone", "Phone number"),
        email=ask(email, "--email", "E-mail address"),
        website=ask(website, "--website", "Website (https://...)"),
        booking_url=ask(booking_url, "--booking-url", "Online booking page (https://...)"),
        street=ask(street, "--street", "Street and number"),
        city=ask(city, "--city", "Town or city"),
        area=ask(state, "--state", "State or county (Enter for none)", ""),
        postal_code=ask(postal_code, "--postal-code", "ZIP or postcode"),
        logo=_logo(ask, logo, logo_problem),
        practitioners=_practitioners(practitioner, no_input),
    )
    if ask.missing:
        say(f"error: --no-input needs these options too: {', '.join(ask.missing)}", err=True)
        raise typer.Exit(EXIT_INVALID)
    problems = answer_problems(answers, folder)
    if problems:
        for problem in problems:
            say(f"error: {problem}", err=True)
        say("Nothing was written.", err=True)
        raise typer.Exit(EXIT_INVALID)
    for path in write_clinic(answers, folder):
        say(f"wrote {path}")
    where = "" if project == Path(".") else f" --project {project}"
    say(f"Build it with: acuprint build --clinic {clinic_id}{where}")


def _split(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def _logo(ask: Asker, given: Path | None, check: Callable[[Path], str | None]) -> Path | None:
    answer = ask(
        str(given) if given else None,
        "--logo",
        "Logo file, SVG or PNG (Enter for a placeholder you replace later)",
        "",
        lambda v: check(Path(v).expanduser()) if v.strip() else None,
    )
    return Path(answer).expanduser() if answer else None


def _practitioners(given: list[str] | None, no_input: bool) -> list[tuple[str, str, str]]:
    entries = list(given or [])
    while not given and not no_input:
        entry = typer.prompt(
            "Practitioner as 'name; credentials; licence' (Enter when done)", default=""
        )
        if not entry.strip():
            break
        entries.append(entry)
    found = []
    for entry in entries:
        parts = [part.strip() for part in entry.split(";")]
        if len(parts) != 3 or not all(parts):
            say(f"error: --practitioner '{entry}' is not 'name; credentials; licence'", err=True)
            raise typer.Exit(EXIT_INVALID)
        found.append((parts[0], parts[1], parts[2]))
    return found
