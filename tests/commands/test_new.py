"""`acuprint new clinic`: from answers (options or prompts) to a clinic that loads and builds."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app
from tests.conftest import REPO

LOGO = REPO / "clinics" / "cedar-hollow" / "logo.svg"
ALL_OPTIONS = [
    "--name", "Harbour Lane Acupuncture",
    "--region", "uk",
    "--lang", "en",
    "--lang", "es",
    "--primary", "purple",
    "--accent", "#8a5a14",
    "--text", "1e2a24",
    "--body-font", "Open Sans",
    "--headings-font", "Roboto Slab",
    "--phone", "0117 496 0123",
    "--email", "hello@harbourlane.example.org",
    "--website", "https://harbourlane.example.org",
    "--booking-url", "https://harbourlane.example.org/book",
    "--street", "4 Quay Street",
    "--city", "Bristol",
    "--postal-code", "BS1 4XX",
    "--logo", str(LOGO),
    "--practitioner", "Ann Lee; MBAcC; BAcC registration 0000 (sample)",
]  # fmt: skip


def _new(runner: CliRunner, project: Path, *args: str, input: str | None = None) -> object:
    return runner.invoke(
        app, ["new", "clinic", "harbour-lane", "--project", str(project), *args], input=input
    )


def test_new_clinic_then_build_one_spanish_pdf(runner: CliRunner, project: Path) -> None:
    made = runner.invoke(
        app,
        ["new", "clinic", "harbour-lane", *ALL_OPTIONS, "--no-input", "--project", str(project)],
    )
    assert made.exit_code == 0, made.stderr
    folder = project / "clinics" / "harbour-lane"
    assert f"wrote {folder / 'clinic.toml'}" in made.stdout
    assert "Build it with: acuprint build --clinic harbour-lane --project" in made.stdout
    profile = tomllib.loads((folder / "clinic.toml").read_text(encoding="utf-8"))
    assert profile["colors"] == {"primary": "#800080", "accent": "#8a5a14", "text": "#1e2a24"}
    assert profile["fonts"] == {"body": "open-sans", "headings": "roboto-slab"}
    assert (profile["paper"], profile["address"]["country"]) == ("a4", "UK")
    assert (folder / "logo.svg").read_bytes() == LOGO.read_bytes()
    assert "# The online booking page" in (folder / "clinic.toml").read_text(encoding="utf-8")

    listed = runner.invoke(app, ["list", "--project", str(project)])
    assert "harbour-lane           Harbour Lane Acupuncture (a4; en, es)" in listed.stdout

    out = project / "out"
    built = runner.invoke(
        app,
        ["build", "--project", str(project), "--clinic", "harbour-lane", "--lang", "es",
         "--handout", "first-visit", "--format", "pdf", "--no-proofs", "--jobs", "1"],
    )  # fmt: skip
    assert built.exit_code == 0, built.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    folder = out / "harbour-lane"
    assert pdfs == [folder / "first-visit.es.large-print.pdf", folder / "first-visit.es.pdf"]
    assert all(f"wrote {pdf}" in built.stdout for pdf in pdfs)


def test_every_answer_can_come_from_a_prompt(runner: CliRunner, project: Path) -> None:
    answers = [
        "Harbour Lane Acupuncture",  # name
        "us",  # region
        "",  # paper: the region's default
        "en",  # languages
        "#eeeeee", "", "",  # colours: a primary too light to read ...
        "teal", "", "",  # ... asked again
        "Inter",  # body font
        "",  # headings: same as body
        "(503) 555-0100", "hi@harbourlane.example.com", "https://harbourlane.example.com",
        "https://harbourlane.example.com/book", "1 Main St", "Portland", "OR", "97201",
        "",  # logo: a placeholder
        "Ann Lee; LAc; Oregon licence AC-0002 (sample)", "",
    ]  # fmt: skip
    result = _new(runner, project, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "primary colour #eeeeee has contrast 1.16:1 for headings and links" in result.stderr
    assert "Body font (Lato, Open Sans, Inter, Roboto Slab, Charis SIL)" in result.stdout
    profile = tomllib.loads((project / "clinics/harbour-lane/clinic.toml").read_text())
    assert (profile["paper"], profile["colors"]["primary"]) == ("letter", "#008080")
    assert profile["fonts"] == {"body": "inter", "headings": "inter"}
    assert runner.invoke(app, ["list", "--project", str(project)]).exit_code == 0


def test_no_input_names_every_missing_option(runner: CliRunner, project: Path) -> None:
    result = _new(runner, project, "--name", "Harbour Lane", "--no-input")
    assert result.exit_code == 2
    assert (
        "error: --no-input needs these options too: --phone, --email, --website, "
        "--booking-url, --street, --city, --postal-code"
    ) in result.stderr
    assert not (project / "clinics" / "harbour-lane").exists()


def test_low_contrast_and_a_bad_logo_are_refused(runner: CliRunner, project: Path) -> None:
    light = [*ALL_OPTIONS, "--no-input"]
    light[light.index("--text") + 1] = "lightgrey"
    result = _new(runner, project, *light)
    assert result.exit_code == 2
    assert "text colour #d3d3d3 has contrast 1.50:1 for body text on the white page" in (
        result.stderr
    )
    bad = project / "logo.png"
    bad.write_bytes(b"not a png")
    options = [*ALL_OPTIONS, "--no-input"]
    options[options.index("--logo") + 1] = str(bad)
    result = _new(runner, project, *options)
    assert result.exit_code == 2
    assert f"--logo: logo '{bad}' is not a PNG image" in result.stderr
    assert not (project / "clinics" / "harbour-lane").exists()


def test_an_existing_clinic_is_not_overwritten(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(
        app, ["new", "clinic", "cedar-hollow", "--no-input", "--project", str(project)]
    )
    assert result.exit_code == 2
    assert "error: clinics/cedar-hollow already exists" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_logo_that_is_a_pipe_or_a_device_is_refused_without_reading_it(
    runner: CliRunner, project: Path, kind: str
) -> None:
    logo = project / ("logo.svg" if kind == "fifo" else "logo.png")
    if kind == "fifo":
        os.mkfifo(logo)  # reading it would wait for a writer for ever
    else:
        logo.symlink_to("/dev/zero")  # reading it would fill the memory
    options = [*ALL_OPTIONS, "--no-input"]
    options[options.index("--logo") + 1] = str(logo)
    result = _new(runner, project, *options)
    assert result.exit_code == 2, result.output
    assert f"--logo: logo '{logo}' is not a regular file" in result.stderr
    assert not (project / "clinics" / "harbour-lane").exists()
