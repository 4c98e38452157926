"""Usage errors read as plain English, with the choices or the fix; no library wording."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app

LIBRARY_WORDS = ("Value error", "Input should be", "x>=", "<list[", "Possible options", "<str>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--colour", "red"],
            "Error: 'build' has no option --colour.\n    fix: use one of: --as-of, --clinic,",
        ),
        (["build", "--clinc", "x"], "Error: 'build' has no option --clinc. Did you mean --clinic?"),
        (
            ["build", "--format", "docx"],
            "Error: '--format': 'docx' is not one of 'pdf', 'html', 'all'.",
        ),
        (["build", "--jobs", "0"], "Error: '--jobs' / '-j': 0 is too small: use 1 or more"),
        (["build", "--timeout", "soon"], "Error: '--timeout': must be a number, e.g. 1.5"),
        (
            ["check", "--max-pages", "0", "x.pdf"],
            "Error: '--max-pages': 0 is too small: use 1 or more",
        ),
        (["preview", "--port", "70000"], "Error: '--port': 70000 is too large: use 65535 or less"),
        (["manifest", "merge", "--out", "m.json"], "Error: give at least one MANIFEST.json"),
        (["check"], "Error: give at least one FILE.pdf"),
        (["init"], "Error: DIR is missing"),
    ],
)  # fmt: skip
def test_usage_errors_are_plain(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    for words in LIBRARY_WORDS:
        assert words not in result.stderr, words


def test_help_shows_no_library_ranges(runner: CliRunner) -> None:
    for command in (["build"], ["check"], ["preview"], ["manifest", "merge"], ["new", "clinic"]):
        text = runner.invoke(app, [*command, "--help"]).stdout
        for words in ("x>=", "x<=", "<list[", "<str>", "<path>"):
            assert words not in text, (command, words)


def test_preview_refuses_an_unknown_clinic_with_the_choices(
    runner: CliRunner, project: Path
) -> None:
    result = runner.invoke(app, ["preview", "--clinic", "nope", "--project", str(project)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown clinic 'nope'.\n"
        "    fix: use one of: bayside-pain-care, cedar-hollow, marlowe-street "
        "(from clinics/<id>/)\n"
        "Nothing was started.\n"
    )
    result = runner.invoke(
        app, ["preview", "--clinic", "marlowe-street", "--lang", "es", "--project", str(project)]
    )
    assert result.exit_code == 2
    assert "error: unknown language 'es'.\n    fix: use one of: en" in result.stderr


def test_check_names_its_own_page_limit(runner: CliRunner, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(612, 792)
    pdf = tmp_path / "two-pages.pdf"
    with pdf.open("wb") as file:
        writer.write(file)
    result = runner.invoke(app, ["check", "--max-pages", "1", str(pdf)])
    assert result.exit_code == 1
    assert "2 pages (--max-pages allows 1)" in result.stdout
    assert "recipe" not in result.stdout


def test_lint_on_clean_content_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from acuprint.checks.lint import LintReport
    from acuprint.commands.common import print_findings

    print_findings(LintReport(tmp_path), tmp_path)
    assert capsys.readouterr().err == "No problems found.\n"
