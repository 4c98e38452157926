"""Bad input: one clear message per problem (file, line, key, fix), exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app

Edit = Callable[[str, str, str], None]
CLINIC = "clinics/cedar-hollow/clinic.toml"


def _line_of(path: Path, text: str) -> int:
    """The 1-based line on which `text` starts in `path`."""
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def _build(runner: CliRunner, project: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["build", "--project", str(project), *args])
    return result.exit_code, result.stdout, result.stderr


def _assert_rejected(runner: CliRunner, project: Path, *expected: str) -> str:
    code, _, stderr = _build(runner, project)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    for line in expected:
        assert line in stderr.splitlines(), f"{line!r} not in:\n{stderr}"
    assert stderr.rstrip().endswith(
        "Nothing was built. Fix the problems above and run the command again."
    )
    assert not (project / "out").exists(), "something was written to out/"
    return stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "fix"),
    [
        pytest.param(
            CLINIC,
            'name = "Cedar Hollow Acupuncture"',
            'name = "Cedar Hollow Acupuncture',
            f"  {CLINIC}:{{line}}: invalid TOML: Illegal character '\\n'",
            "    fix: check quotes, brackets and '=' on that line (strings need double quotes)",
            id="invalid-toml",
        ),
        pytest.param(
            CLINIC,
            "tagline =",
            "tagine =",
            f"  {CLINIC}:{{line}}: tagine: unknown key 'tagine'. Did you mean 'tagline'?",
            "    fix: remove it or correct the spelling; allowed keys here: name, tagline, phone, "
            "email, website, booking_url, address, practitioners, colors, fonts, paper, "
            "languages, logo, print_profile, printer, jurisdiction, region, opening_hours, "
            "directions, translations, allowed_claims",
            id="unknown-key",
        ),
        pytest.param(
            CLINIC,
            'primary = "#2f6b4f"',
            'primary = "greenish"',
            f"  {CLINIC}:{{line}}: colors.primary: 'greenish' is not a colour",
            '    fix: write it as a hex code such as "#1a6b5c" or a CSS colour name such as "teal"',
            id="bad-colour",
        ),
        pytest.param(
            CLINIC,
            'logo = "logo.svg"',
            'logo = "brand.svg"',
            f"  {CLINIC}:{{line}}: logo: logo file 'brand.svg' does not exist",
            "    fix: add the file to clinics/cedar-hollow/ or correct 'logo'; "
            "files here: logo.svg",
            id="missing-logo",
        ),
        pytest.param(
            CLINIC,
            'logo = "logo.svg"',
            'logo = "../marlowe-street/logo.svg"',
            f"  {CLINIC}:{{line}}: logo: logo '../marlowe-street/logo.svg' is outside the "
            "clinic's folder",
            "    fix: put the logo in cedar-hollow/ and give its file name",
            id="logo-outside-folder",
        ),
        pytest.param(
            CLINIC,
            'paper = "letter"',
            'paper = "legal"',
            f"  {CLINIC}:{{line}}: paper: 'legal' is not allowed here",
            "    fix: use 'letter' or 'a4'",
            id="bad-paper",
        ),
        pytest.param(
            CLINIC,
            'body = "lato"',
            'body = "latto"',
            f"  {CLINIC}:{{line}}: fonts.body: unknown font 'latto'. Did you mean 'lato'?",
            "    fix: use one of the bundled fonts: charis (Charis SIL), inter (Inter), "
            "lato (Lato), open-sans (Open Sans), roboto-slab (Roboto Slab)",
            id="unknown-font",
        ),
        pytest.param(
            CLINIC,
            'booking_url = "https://cedarhollow.example.com/book"',
            'booking_url = "cedarhollow.example.com/book"',
            f"  {CLINIC}:{{line}}: booking_url: 'cedarhollow.example.com/book' "
            "is not a web address",
            '    fix: start it with https://, as in "https://example.com"',
            id="bad-url",
        ),
        pytest.param(
            "handouts/recipes/safety-intake.toml",
            '"safety-checklist",',
            '"safety-checklst",',
            "  handouts/recipes/safety-intake.toml:{line}: modules[0]: "
            "unknown module 'safety-checklst'. Did you mean 'safety-checklist'?",
            "    fix: use an id from 'acuprint list' (files in handouts/modules/)",
            id="unknown-module",
        ),
        pytest.param(
            "handouts/modules/benefits.md",
            "last_reviewed: 2026-11-21",
            "last_reviewed: last spring",
            "  handouts/modules/benefits.md:{line}: last_reviewed: 'last spring' is not a date",
            "    fix: write the date as YYYY-MM-DD, e.g. 2026-11-15",
            id="front-matter-bad-date",
        ),
        pytest.param(
            "handouts/modules/benefits.md",
            "title: What the research says",
            "title: What the research: says",
            "  handouts/modules/benefits.md:{line}: invalid YAML front matter: "
            "mapping values are not allowed here",
            "    fix: use 'key: value' lines; quote values that contain ':' or '#'",
            id="front-matter-bad-yaml",
        ),
        pytest.param(
            "handouts/modules/benefits.md",
            "version: 3",
            "verson: 1",
            "  handouts/modules/benefits.md:{line}: verson: unknown key 'verson'. "
            "Did you mean 'version'?",
            "    fix: remove it or correct the spelling; allowed keys here: id, title, version, "
            "language, translates, last_reviewed, sources, allowed_claims",
            id="front-matter-unknown-key",
        ),
        pytest.param(
            "handouts/modules/benefits.md",
            "id: benefits",
            "id: benefit",
            "  handouts/modules/benefits.md:{line}: id: id 'benefit' does not match the file name "
            "'benefits.md'",
            "    fix: set 'id: benefits' or rename the file to 'benefit.md'",
            id="front-matter-id-mismatch",
        ),
    ],
)
def test_bad_input_is_reported_with_file_line_key_and_fix(
    runner: CliRunner,
    project: Path,
    edit: Edit,
    file: str,
    old: str,
    new: str,
    where: str,
    fix: str,
) -> None:
    edit(file, old, new)
    line = _line_of(project / file, new)
    stderr = _assert_rejected(runner, project, where.replace("{line}", str(line)), fix)
    assert stderr.startswith("error: 1 problem(s) in the project files:\n"), stderr


def test_every_problem_is_reported_at_once(runner: CliRunner, project: Path, edit: Edit) -> None:
    edit(CLINIC, 'paper = "letter"', 'paper = "legal"')
    edit("handouts/recipes/back-pain-booklet.toml", '"benefits",', '"benefit",')
    edit("handouts/modules/disclaimer.md", "language: en", "language: en\nauthor: me")
    paper = _line_of(project / CLINIC, "paper =")
    module = _line_of(project / "handouts/recipes/back-pain-booklet.toml", '"benefit"')
    author = _line_of(project / "handouts/modules/disclaimer.md", "author:")
    stderr = _assert_rejected(
        runner,
        project,
        f"  {CLINIC}:{paper}: paper: 'legal' is not allowed here",
        f"  handouts/recipes/back-pain-booklet.toml:{module}: modules[4]: "
        "unknown module 'benefit'. "
        "Did you mean 'benefits'?",
        f"  handouts/modules/disclaimer.md:{author}: author: unknown key 'author'.",
    )
    assert stderr.startswith("error: 3 problem(s)")


def test_a_broken_module_is_one_problem_not_one_per_recipe(
    runner: CliRunner, project: Path, edit: Edit
) -> None:
    edit("handouts/modules/disclaimer.md", "version: 3", "version: one")
    line = _line_of(project / "handouts/modules/disclaimer.md", "version:")
    stderr = _assert_rejected(
        runner,
        project,
        f"  handouts/modules/disclaimer.md:{line}: version: 'one' is not a whole number",
        "    fix: write a whole number, e.g. 2",
    )
    assert stderr.startswith("error: 1 problem(s)")


def test_missing_disclaimer_module_is_an_error(runner: CliRunner, project: Path) -> None:
    (project / "handouts/modules/disclaimer.md").unlink()
    _assert_rejected(
        runner,
        project,
        "  handouts/modules/disclaimer.md: the disclaimer module is missing; "
        "every handout must end with it",
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--clinic",
            "cedar-holow",
            "error: unknown clinic 'cedar-holow'. Did you mean 'cedar-hollow'?\n"
            "    fix: use one of: bayside-pain-care, cedar-hollow, marlowe-street "
            "(from clinics/<id>/)\nNothing was built.\n",
        ),
        (
            "--handout",
            "first-vist",
            "error: unknown handout 'first-vist'. Did you mean 'first-visit'?\n"
            "    fix: use one of: back-pain, back-pain-booklet, brochure, chronic-pain, "
            "first-visit, more-information, safety-intake "
            "(from handouts/recipes/<id>.toml)\nNothing was built.\n",
        ),
    ],
)
def test_unknown_selection_suggests_the_closest_id(
    runner: CliRunner, project: Path, option: str, value: str, message: str
) -> None:
    code, _, stderr = _build(runner, project, option, value)
    assert code == 2
    assert stderr == message
    assert not (project / "out").exists()


def test_bad_format_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    code, _, stderr = _build(runner, project, "--format", "docx")
    assert code == 2
    assert "Error: '--format': 'docx' is not one of 'pdf', 'html', 'all'." in stderr
    assert "Invalid value" not in stderr  # Click's wording is rewritten (commands/usage.py)


def test_a_folder_that_is_no_project_is_named_once(runner: CliRunner, tmp_path: Path) -> None:
    code, _, stderr = _build(runner, tmp_path)
    assert code == 2
    assert "no acuprint project here (no clinics/, handouts/ or styles/ folder)" in stderr
    assert "    fix: run acuprint inside a project folder, or pass --project DIR" in stderr
    assert "folder is missing" not in stderr


def test_a_project_missing_one_folder_names_it(runner: CliRunner, project: Path) -> None:
    import shutil

    shutil.rmtree(project / "handouts" / "recipes")
    code, _, stderr = _build(runner, project)
    assert code == 2
    assert "handouts/recipes: folder is missing" in stderr


def test_a_character_the_fonts_cannot_draw_is_an_input_error(
    runner: CliRunner, project: Path, edit: Edit
) -> None:
    edit("handouts/modules/what-to-expect.md", "Bring a list", "Bring ✓ a list")
    line = _line_of(project / "handouts/modules/what-to-expect.md", "✓")
    _assert_rejected(
        runner,
        project,
        f"  handouts/modules/what-to-expect.md:{line}: character '✓' (U+2713 CHECK MARK) is not "
        "in the clinic's fonts (Lato, Roboto Slab), so it would print as an empty box",
        "    fix: replace the character, or choose fonts that have it in the clinic's [fonts]",
    )


def test_every_unknown_selection_is_reported_at_once(runner: CliRunner, project: Path) -> None:
    code, _, stderr = _build(runner, project, "--clinic", "nope", "--handout", "nah")
    assert code == 2
    assert stderr.splitlines()[0] == "error: unknown clinic 'nope'."
    assert "error: unknown handout 'nah'." in stderr.splitlines()
    assert stderr.endswith("Nothing was built.\n")


@pytest.mark.parametrize(
    ("relative", "old", "new", "key"),
    [
        (CLINIC, 'logo = "logo.svg"', 'logo = "logo\\u0000.svg"', "logo"),
        ("styles/fonts/fonts.toml", '"lato/Lato-Regular.ttf"', '"lato/Lato\\u0000.ttf"', None),
    ],
    ids=["logo", "font file"],
)
def test_a_nul_character_in_a_toml_value_is_a_problem_for_every_command(
    runner: CliRunner, project: Path, edit: Edit, relative: str, old: str, new: str, key: str
) -> None:
    edit(relative, old, new)
    line = _line_of(project / relative, new)
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert result.exit_code == 2, result.output
    where = f"{relative}:{line}: {key or 'lato.regular'}:"
    assert f"{where} holds a NUL character (\\u0000)" in result.stderr
    assert "fix: remove the \\u0000 escape" in result.stderr
    assert "Traceback" not in result.stderr and "LimitExceeded" not in result.stderr


def test_an_acuprint_error_a_command_did_not_expect_is_a_message(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acuprint.build import supervisor

    def stopped(*args: object) -> None:
        raise supervisor.LimitExceeded("reading the project's files took longer than 120 s")

    monkeypatch.setattr(supervisor, "load_limited", stopped)
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert result.exit_code == 2
    assert result.stderr == "error: reading the project's files took longer than 120 s\n"


def test_a_module_far_larger_than_a_section_is_refused_before_it_is_parsed(
    runner: CliRunner, project: Path
) -> None:
    import time

    module = project / "handouts" / "modules" / "benefits.md"
    head, _, body = module.read_text(encoding="utf-8").partition("\n---\n")
    module.write_text(head + "\n---\n" + body + "- [ ] x\n" * 15_000, encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert time.perf_counter() - started < 10  # markdown-it took a minute on such task lists
    assert result.exit_code == 2, result.output
    size = module.stat().st_size
    assert f"handouts/modules/benefits.md: is {size:,} bytes, far more than one section" in (
        result.stderr
    )
    assert "fix: split it into modules of under 50,000 bytes each" in result.stderr
