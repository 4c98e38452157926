"""Fuzzing with a fixed budget: no reader of untrusted input raises or hangs, whatever it gets.

CSS, SVG logos, YAML front matter, TOML, manifests and PDFs: each reader
returns a value or a problem. Hypothesis's deadline catches a hang in the
making (each example must finish in a couple of seconds).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from acuprint.build.manifest import ManifestError, entry_from_json, merge_manifests
from acuprint.cli import app
from acuprint.errors import Problem
from acuprint.inputs.css import check_stylesheet
from acuprint.inputs.files import read_front_matter, read_toml
from acuprint.inputs.logos import LogoProblem, check_logo

BUDGET = settings(
    max_examples=150,
    deadline=3000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

CSS_PIECES = [
    "a",
    ".b",
    "#c",
    "{",
    "}",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    ",",
    " ",
    "\n",
    "\\",
    "\\75",
    "url(",
    "u\\72l(",
    "image-set(",
    "-webkit-image-set(",
    "@import",
    "@media",
    "@supports",
    "@font-face",
    "@page",
    "src:",
    "background:",
    "font-family:",
    '"http://127.0.0.1:9/x"',
    "'../../etc/passwd'",
    "data:,",
    "1e9px",
    "-99999999",
    "!important",
    "/*",
    "*/",
    "&",
    ">",
    "var(--x)",
    "calc(",
    "@\\69mport",
    "\0",
    "\ufeff",
    "é",
    "你",
]
SVG_PIECES = [
    "<svg",
    ' xmlns="http://www.w3.org/2000/svg"',
    ">",
    "</svg>",
    "<g",
    "<use",
    ' href="#a"',
    ' id="a"',
    "/>",
    "<rect",
    "<style>",
    "</style>",
    "@font-face{src:url(x)}",
    "<!DOCTYPE svg [",
    '<!ENTITY a "b">',
    "]>",
    "&a;",
    "<script>",
    "</script>",
    ' onload="x"',
    "<image",
    ' href="http://x"',
    "<![CDATA[",
    "]]>",
    "<?xml",
    "?>",
    "\0",
    "<",
    "&",
    '"',
    "'",
]
YAML_PIECES = [
    "---\n",
    "id: x\n",
    "title: T\n",
    "version: 1\n",
    "language: en\n",
    "last_reviewed: ",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "\n",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "!!python/object:os.system",
    "9" * 50,
    "sources:\n  - id: s\n",
    "\t",
    "'",
    '"',
    "#",
    "? ",
    "|\n  ",
    "%YAML 1.1\n",
]
TOML_PIECES = [
    "name = ",
    '"x"',
    "\n",
    "[",
    "]",
    "[[practitioners]]\n",
    "paper = ",
    "'a4'",
    "=",
    "{",
    "}",
    ",",
    "9" * 50,
    "1979-05-27",
    "inf",
    "nan",
    '"""',
    "\\u0000",
    "#",
    "[colors]\n",
    "primary = ",
    ".",
    "\0",
]


def _joined(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces) | st.text(max_size=3), max_size=60).map("".join)


@BUDGET
@given(_joined(CSS_PIECES))
def test_any_css_gives_problems_not_exceptions(css: str) -> None:
    sheet = Path("/p/clinics/a/clinic.css")
    problems = check_stylesheet(sheet, css, (Path("/p/clinics/a"),), ["Lato"])
    assert all(isinstance(p, Problem) and p.file == sheet for p in problems)


@BUDGET
@given(_joined(SVG_PIECES), st.sampled_from([".svg", ".png"]))
def test_any_logo_is_accepted_or_refused_plainly(data: str, suffix: str) -> None:
    result = check_logo(data.encode("utf-8", "surrogatepass"), suffix)
    assert isinstance(result, bytes | LogoProblem)


@BUDGET
@given(_joined(YAML_PIECES))
def test_any_front_matter_reads_or_gives_a_problem(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("fm") / "m.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = read_front_matter(path)
    assert not isinstance(result, Exception)


@BUDGET
@given(_joined(TOML_PIECES))
def test_any_toml_reads_or_gives_a_problem(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("toml") / "clinic.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = read_toml(path)
    assert isinstance(result, Problem | tuple)


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)
ENTRY_KEYS = ["clinic", "handout", "lang", "format", "path", "sha256", "bytes", "pages", "inputs"]


@BUDGET
@given(st.dictionaries(st.sampled_from(ENTRY_KEYS), JSON, max_size=9) | JSON)
def test_any_manifest_entry_is_read_or_dropped(item: object) -> None:
    entry = entry_from_json(item)
    if entry is not None:
        assert not entry.path.startswith("/") and ".." not in entry.path.split("/")
        assert entry.pages is None or 0 < entry.pages <= 10_000


@BUDGET
@given(JSON | st.text(max_size=40))
def test_any_manifest_file_merges_or_fails_plainly(
    tmp_path_factory: pytest.TempPathFactory, document: object
) -> None:
    path = tmp_path_factory.mktemp("m") / "manifest.json"
    text = document if isinstance(document, str) else json.dumps({"outputs": document})
    path.write_text(text)
    with contextlib.suppress(ManifestError):
        merge_manifests([path])


def test_deep_json_and_fifos_give_plain_errors(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ManifestError, match="not valid JSON"):
        merge_manifests([deep])
    import os

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(ManifestError, match="not a regular file"):
        merge_manifests([fifo])


def _small_pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 2000), st.binary(min_size=1, max_size=8)), max_size=6))
def test_check_reads_any_damaged_pdf_without_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(_small_pdf())
    for offset, junk in edits:
        at = offset % len(data)
        data[at : at + len(junk)] = junk
    folder = tmp_path_factory.mktemp("pdf")
    damaged, good = folder / "damaged.pdf", folder / "good.pdf"
    damaged.write_bytes(bytes(data))
    good.write_bytes(_small_pdf())
    result = CliRunner().invoke(app, ["check", str(damaged), str(good), "--timeout", "20"])
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stdout + result.stderr
    assert str(good) in result.stdout  # a damaged file does not stop the others
