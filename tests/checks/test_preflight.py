"""Preflight: agrees with poppler and qpdf on good files, and catches deliberately broken ones."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from typer.testing import CliRunner

from acuprint.build.pipeline import BuildReport
from acuprint.checks.preflight import preflight, preflight_file
from acuprint.cli import app
from tests.conftest import SampleBuild, build, sheets
from tests.tools import tool

ONE = {"clinics": ["marlowe-street"], "handouts": ["first-visit"], "formats": ("pdf",)}


@pytest.fixture(scope="module")
def pdfs(sample_builds: SampleBuild) -> dict[str, Path]:
    """One PDF per profile from the sample project."""
    found = {}
    for profile in ("office", "press", "archive"):
        report: BuildReport = sample_builds(profile=profile, **ONE)
        [entry] = sheets(report.entries)
        found[profile] = report.out_dir / entry.path
    return found


def _failed(data: bytes, **expected: object) -> dict[str, str]:
    report = preflight(data, "test.pdf", **expected)  # type: ignore[arg-type]
    return {c.name: c.detail for c in report.failures}


@pytest.mark.parametrize("profile", ["office", "press", "archive"])
def test_good_pdfs_pass_and_agree_with_poppler_and_qpdf(
    pdfs: dict[str, Path], profile: str
) -> None:
    path = pdfs[profile]
    report = preflight_file(path, paper="a4", max_pages=6)
    assert report.ok, report.format()
    assert report.profile == profile
    # pdffonts: every font embedded (emb) and subset (sub), as preflight says.
    fonts = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(re.search(r"\syes\s+yes\s+yes\s", row) for row in rows)
    assert f"{len(rows)} fonts, all embedded and subset" in report.format()
    # pdfinfo -box: the trim box preflight measured.
    boxes = subprocess.run([tool("pdfinfo"), "-box", path], capture_output=True, text=True).stdout
    trim = [float(v) for v in re.search(r"TrimBox:\s+(.*)", boxes).group(1).split()]
    assert trim[2] - trim[0] == pytest.approx(595.28, abs=0.1)
    bleed = [float(v) for v in re.search(r"BleedBox:\s+(.*)", boxes).group(1).split()]
    assert (trim[0] - bleed[0] > 8) == (profile == "press")
    # qpdf finds the file structurally sound.
    assert subprocess.run([tool("qpdf"), "--check", path], capture_output=True).returncode == 0


def _edited(path: Path, change: object) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(path))
    change(writer)  # type: ignore[operator]
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_an_unembedded_font_fails(pdfs: dict[str, Path]) -> None:
    def drop_font_files(writer: PdfWriter) -> None:
        for page in writer.pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                for descendant in font.get("/DescendantFonts", []):
                    descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        descriptor.pop(NameObject(key), None)

    failed = _failed(_edited(pdfs["office"], drop_font_files))
    assert "not embedded" in failed["fonts"]


def test_a_missing_glyph_fails(pdfs: dict[str, Path]) -> None:
    def notdef(writer: PdfWriter) -> None:
        page = writer.pages[0]
        content = page.get_contents()
        data = content.get_data()
        content.set_data(re.sub(rb"<([0-9a-f]{4})", b"<0000", data, count=1))
        page.replace_contents(content)

    assert "missing glyph" in _failed(_edited(pdfs["office"], notdef))["glyphs"]


def test_missing_title_language_and_tags_fail(pdfs: dict[str, Path]) -> None:
    def strip(writer: PdfWriter) -> None:
        root = writer._root_object
        for key in ("/Lang", "/StructTreeRoot", "/MarkInfo"):
            root.pop(NameObject(key), None)

    failed = _failed(_edited(pdfs["office"], strip), profile="office")
    assert failed["title and language"] == "no document language"
    assert failed["tagged"].startswith("no tagged structure")


def test_press_without_output_intent_or_bleed_fails(pdfs: dict[str, Path]) -> None:
    def strip(writer: PdfWriter) -> None:
        writer._root_object.pop(NameObject("/OutputIntents"), None)
        for page in writer.pages:
            page.bleedbox = page.trimbox

    failed = _failed(_edited(pdfs["press"], strip), profile="press")
    assert failed["output intent"] == "no output intent"
    assert "bleed under 3 mm" in failed["boxes"]


def test_wrong_paper_and_too_many_pages_fail(pdfs: dict[str, Path]) -> None:
    failed = _failed(pdfs["office"].read_bytes(), paper="letter", max_pages=1)
    assert "expected letter" in failed["page size"]
    assert failed["page count"] == "2 pages (the recipe allows 1)"


def test_a_truncated_file_is_reported_not_raised(pdfs: dict[str, Path]) -> None:
    data = pdfs["office"].read_bytes()
    failed = _failed(data[: len(data) // 3])
    assert failed["readable"].startswith("not a readable PDF")


def test_build_runs_preflight_on_what_it_writes(project: Path) -> None:
    recipe = project / "handouts/recipes/first-visit.toml"
    recipe.write_text(recipe.read_text().replace("max_pages = 2", "max_pages = 1"))
    report = build(project, workers=1, **ONE)  # type: ignore[arg-type]
    [failure] = report.failures
    assert failure.startswith(
        "marlowe-street/first-visit.en.pdf: preflight failed: page budget: "
        "first-visit.en.pdf has 2 pages; the recipe allows 1: cut about "
    )
    assert "lines, for example from the longest sections: red-flags (" in failure
    assert not (project / "out/marlowe-street/first-visit.en.pdf").exists()


def test_check_command(pdfs: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 nothing else")
    result = CliRunner().invoke(app, ["check", str(pdfs["press"]), str(broken)])
    assert result.exit_code == 1
    assert f"{pdfs['press']} (press): ok" in result.stdout
    assert f"{broken} (unknown): FAILED" in result.stdout
    assert result.stdout.rstrip().endswith("1 of 2 file(s) passed")


def test_proofs_show_every_page_and_the_contact_sheet_links_them(project: Path) -> None:
    from PIL import Image

    report = build(project, workers=1, **ONE)  # type: ignore[arg-type]
    [entry] = sheets(report.built)
    out = report.out_dir
    proofs = sorted((out / "marlowe-street" / "proofs").glob("first-visit.en-p*.png"))
    assert len(proofs) == entry.pages == 2
    with Image.open(proofs[0]) as image:
        assert image.size == (596, 842)  # A4 at 72 dpi (595.3 x 841.9 pt, rounded up)
        assert image.convert("L").getextrema()[0] < 100, "the proof is blank"
    sheet = (out / "index.html").read_text()
    # Each clinic is a section with an id, linked from the list at the top (jump links).
    assert '<a href="#clinic-marlowe-street">marlowe-street</a>' in sheet
    assert '<h2 id="clinic-marlowe-street">marlowe-street ' in sheet
    assert '<a href="marlowe-street/first-visit.en.pdf">first-visit (en, 2 pages)</a>' in sheet
    for proof in proofs:
        assert f'src="marlowe-street/proofs/{proof.name}"' in sheet
    # Fewer pages next time: the proofs of pages that no longer exist go.
    recipe = project / "handouts/recipes/first-visit.toml"
    text = recipe.read_text()
    # (The main message talks about needles, which would bring in the safety form.)
    for module in (
        "main-message-first-visit", "what-to-expect-short", "safety-tell-us", "side-effects-short",
        "needle-size",
    ):  # fmt: skip
        text = text.replace(f'    "{module}",\n', "")
    text = text.replace("next_appointment = true", "about_pain = false")
    recipe.write_text(text.replace('    "red-flags",\n', ""))
    build(project, workers=1, **ONE)  # type: ignore[arg-type]
    after = sorted((out / "marlowe-street" / "proofs").glob("first-visit.en-p*.png"))
    assert len(after) < 2


def test_no_proofs_option(project: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--project",
            str(project),
            "--clinic",
            "marlowe-street",
            "--handout",
            "first-visit",
            "--format",
            "pdf",
            "--no-proofs",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert not (project / "out" / "marlowe-street" / "proofs").exists()


def test_a_character_no_font_has_is_caught_in_weasyprint_output(project: Path) -> None:
    # Bypass the build's own glyph check to make WeasyPrint print a .notdef box.
    from acuprint.compose.handout import compose_handout
    from acuprint.inputs.project import load_project
    from acuprint.render.html import render_html
    from acuprint.render.pdf import render_pdf

    loaded = load_project(project)
    clinic = loaded.clinics["cedar-hollow"]
    composed = compose_handout(loaded, clinic, loaded.handouts["first-visit"], "en")
    document = render_html(loaded, composed, standalone=False)
    html = document.html.replace("Bring a list", "Bring \u2713 a list")
    from dataclasses import replace

    pdf = render_pdf(replace(document, html=html))
    assert "missing glyph" in _failed(pdf.data)["glyphs"]
    assert "glyphs" not in _failed(render_pdf(document).data)
