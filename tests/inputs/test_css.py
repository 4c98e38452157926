"""Stylesheets are checked when the project loads: a parsed sandbox, syntax, selectors, fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app
from acuprint.inputs.css import check_stylesheet

CLINIC = Path("/project/clinics/a")
SHEET = CLINIC / "clinic.css"
ALLOWED = (CLINIC,)


def _messages(css: str, families: tuple[str, ...] = ("Lato",)) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in check_stylesheet(SHEET, css, ALLOWED, families)]


# Each way a stylesheet might reach the network, in my own variations.
REMOTE = [
    ".a { background: url(http://127.0.0.1:9/p.png) }",
    ".a { background: url('https://tracker.example/p.png') }",
    ".a { background: u\\72l(http://127.0.0.1:9/p.png) }",
    ".a { background: \\75rl(http://127.0.0.1:9/p.png) }",
    ".a { background: URL( //cdn.example/x.png ) }",
    '@\\69mport "http://127.0.0.1:9/x.css";',
    '@import url("style.css");',
    '.a { background-image: image-set("http://127.0.0.1:9/p.png" 1x) }',
    '.a { background-image: -webkit-image-set("http://127.0.0.1:9/p.png" 1x) }',
    '.a { background-image: image-set(url("http://127.0.0.1:9/p.png") 2x) }',
    "@media screen { .a { background: url(http://127.0.0.1:9/p.png) } }",
    "@supports (display: grid) { @media print { .a { cursor: url(http://x.example/c) } } }",
    "@font-face { font-family: X; src: url(http://127.0.0.1:9/f.woff) }",
    ".a { --hidden: url(http://127.0.0.1:9/p.png) }",
    ".a { background: url(http\\3a //127.0.0.1:9/p.png) }",
    ".a { background: url(file:///etc/passwd) }",
    ".a { background: url(../../../etc/passwd) }",
    ".a { .b { background: url(http://127.0.0.1:9/nested.png) } }",
]


@pytest.mark.parametrize("css", REMOTE)
def test_every_way_to_load_from_outside_is_refused(css: str) -> None:
    messages = _messages(css)
    assert messages, css
    assert all(line == 1 for line, _ in messages)
    assert any("load" in m or "@import" in m for _, m in messages)


@pytest.mark.parametrize(
    "css",
    [
        ".a { background: url(pattern.svg) }",
        ".a { background: url(data:image/png;base64,iVBORw0KGgo=) }",
        '.a { background-image: image-set("pattern.svg" 1x) }',
        ".a { fill: url(#gradient) }" if False else ".a { color: #123456 }",
        "@media print { .a { font-family: Lato, sans-serif } }",
        ".a { font-family: var(--font-body) }",
        ".a:not(.b) > .c + .d ~ [lang|=en]::before { content: 'x' }",
    ],
)
def test_what_a_clinic_may_write_passes(css: str) -> None:
    assert _messages(css) == []


def test_syntax_and_selector_errors_name_their_lines() -> None:
    css = ".ok { color: red }\n.bad > > .x { color: red }\n.decl { color red; }\n"
    messages = _messages(css)
    assert [line for line, _ in messages] == [2, 3]
    assert "invalid selector" in messages[0][1]
    assert "syntax error" in messages[1][1]


def test_a_font_no_bundled_face_provides_is_named_with_its_line() -> None:
    messages = _messages('.a { color: red }\n.b { font-family: "Comic Sans MS", serif }\n')
    assert messages == [
        (2, "font 'Comic Sans MS' is not bundled, so it would not print as you see it")
    ]


# A URL or a font reached through a custom property (or attr()/env()) is computed
# where no load-time check can see it: refused outright, with the line.
COMPUTED = [
    ('.a { --x: "http://127.0.0.1:9/p.png" }\n.b { background: image-set(var(--x) 1x) }', 2),
    ('.a { --x: "http://127.0.0.1:9/p.png" }\n.b { background: image-set(var(--x)) }', 2),
    ("\n.b { background-image: -webkit-image-set(attr(data-u) 1x) }", 2),
    ("\n.b { background-image: image(env(--u)) }", 2),
    ('.b { content: "x" }\n.c { background: cross-fade(image-set(var(--u)) 50%) }', 2),
]


@pytest.mark.parametrize(("css", "line"), COMPUTED)
def test_a_url_computed_in_a_url_function_is_refused(css: str, line: int) -> None:
    messages = _messages(css)
    assert [at for at, _ in messages] == [line]
    assert "which the sandbox cannot check" in messages[0][1]


@pytest.mark.parametrize(
    ("css", "message"),
    [
        (
            '.a { --f: "Comic Sans MS"; }\n.b { font-family: var(--f) }',
            "'font-family' takes its font from var(--f), which could name any font",
        ),
        (
            "\n.b { font: bold 12pt var(--f) }",
            "'font' takes its font from var(--f), which could name any font",
        ),
        (
            '\n:root { --font-body: "Comic Sans MS", sans-serif }',
            "font 'Comic Sans MS' is not bundled, so it would not print as you see it",
        ),
        (
            '\n.b { font-family: var(--font-body, "Comic Sans MS") }',
            "font 'Comic Sans MS' is not bundled, so it would not print as you see it",
        ),
        (
            '\n.b { font: 12pt/1.2 "Comic Sans MS", serif }',
            "font 'Comic Sans MS' is not bundled, so it would not print as you see it",
        ),
        (
            '\n@font-face { font-family: "Lato"; src: url(lato-lookalike.ttf) }',
            "@font-face is not allowed: a handout prints only the bundled fonts",
        ),
    ],
)
def test_a_font_reached_another_way_is_still_checked(css: str, message: str) -> None:
    assert _messages(css) == [(2, message)]


def test_the_shipped_font_tokens_and_shorthands_pass() -> None:
    css = (
        ":root { --font-body: sans-serif; --font-headings: var(--font-body); }\n"
        ".a { font-family: var(--font-headings) } .b { font: inherit }\n"
        ".c { font: italic 12pt/1.3 Lato, sans-serif }\n"
    )
    assert _messages(css) == []


def test_a_font_face_in_a_clinic_folder_stops_the_build(project: Path) -> None:
    clinic = project / "clinics" / "bayside-pain-care"
    (clinic / "hand.ttf").write_bytes((project / "styles/fonts/lato/Lato-Regular.ttf").read_bytes())
    (clinic / "clinic.css").write_text(
        '.x { color: red }\n@font-face { font-family: "Lato"; src: url(hand.ttf) }\n'
    )
    code, stderr = _build(project, "--clinic", "bayside-pain-care", "--format", "html")
    assert code == 2, stderr
    assert "clinics/bayside-pain-care/clinic.css:2: @font-face is not allowed" in stderr
    assert "fix: add the font to styles/fonts/fonts.toml" in stderr
    assert not (project / "out").exists() or not any((project / "out").iterdir())


@pytest.mark.parametrize(
    "css",
    [
        ".x { color: red }\n.a " + "{ .b " * 5000 + "}" * 5000,
        ".x { color: red }\n.a { width: " + "calc(" * 5000 + "1px" + ")" * 5000 + " }",
    ],
    ids=["blocks", "functions"],
)
def test_deep_nesting_is_a_problem_with_its_line_not_a_crash(css: str) -> None:
    assert _messages(css) == [(2, "blocks or brackets are nested more than 64 levels deep")]


def _build(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["build", "--project", str(project), *args])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        (".x { color: red }\n.t { background: u\\72l(http://127.0.0.1:9/p.png) }\n", ":2: loads"),
        (".x { color: red }\n\n.t { color red; }\n", ":3: CSS syntax error"),
        (
            "@media screen {\n .t { background: image-set('http://x.example/a.png' 1x) } }",
            ":2: loads",
        ),
    ],
)
def test_bad_clinic_css_stops_the_build_before_anything_is_written(
    project: Path, css: str, expected: str
) -> None:
    (project / "clinics" / "bayside-pain-care" / "clinic.css").write_text(css)
    code, stderr = _build(project)
    assert code == 2, stderr
    assert f"clinics/bayside-pain-care/clinic.css{expected}" in stderr
    assert "fix:" in stderr and "Traceback" not in stderr
    assert not (project / "out").exists() or not any((project / "out").iterdir())


def test_a_clinic_with_three_mistakes_hears_of_all_three_at_once(project: Path) -> None:
    toml = project / "clinics" / "cedar-hollow" / "clinic.toml"
    text = toml.read_text().replace("tagline =", "tagine =", 1)
    text = text.replace('logo = "logo.svg"', 'logo = "logo-new.svg"')
    text = text.replace('body = "lato"', 'body = "comic-sans"')
    toml.write_text(text)
    code, stderr = _build(project)
    assert code == 2
    assert "tagine" in stderr
    assert "logo file 'logo-new.svg' does not exist" in stderr
    assert "unknown font 'comic-sans'" in stderr


@pytest.mark.parametrize("out", ["", " "])
def test_an_empty_out_is_refused(project: Path, out: str) -> None:
    code, stderr = _build(project, "--out", out)
    assert code == 2
    assert "--out is empty" in stderr
    assert not (project / "manifest.json").exists() and not (project / "index.html").exists()


@pytest.mark.parametrize("out", [".", "clinics", "styles/x"])
def test_the_project_or_its_sources_are_refused_as_out(project: Path, out: str) -> None:
    result = CliRunner().invoke(
        app, ["build", "--project", str(project), "--out", str(project / out)]
    )
    assert result.exit_code == 2
    assert "fix: give a folder of its own" in result.stderr
    assert not (project / "manifest.json").exists()


def test_a_folder_of_other_files_is_refused_unless_forced(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "index.html").write_text("my website")
    (other / "notes.txt").write_text("mine")
    args = ["--out", str(other), "--clinic", "marlowe-street", "--format", "html"]
    code, stderr = _build(project, *args)
    assert code == 2 and "acuprint did not write" in stderr
    assert (other / "index.html").read_text() == "my website"
    code, _ = _build(project, *args, "--force", "--no-proofs")
    assert code == 0
    assert (other / "notes.txt").read_text() == "mine"
