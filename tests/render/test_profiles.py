"""Print profiles: office (PDF/UA), press (PDF/X-4, bleed, crop marks, CMYK), archive (PDF/A-3b)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from acuprint.render.press import SLUG_MM
from tests.conftest import SampleBuild, build, sheets
from tests.tools import tool

ONE = {"clinics": ["marlowe-street"], "handouts": ["first-visit"], "formats": ("pdf",)}
MM = 72 / 25.4


@pytest.fixture
def sample_pdf(sample_builds: SampleBuild) -> Callable[[str], Path]:
    """marlowe-street's first-visit PDF in a profile, from the run's shared sample build."""

    def find(profile: str) -> Path:
        report = sample_builds(profile=profile, **ONE)
        [entry] = sheets(report.entries)
        assert entry.profile == profile
        return report.out_dir / entry.path

    return find


def _xmp(path: Path) -> str:
    return subprocess.run(
        [tool("pdfinfo"), "-meta", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_office_is_tagged_pdf_ua_with_title_and_language(sample_pdf: Callable[[str], Path]) -> None:
    path = sample_pdf("office")
    assert path.name == "first-visit.en.pdf"
    root = PdfReader(path).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert 'pdfuaid:part="1"' in _xmp(path)
    assert PdfReader(path).metadata.title.startswith("Your first acupuncture visit")


def test_archive_is_pdf_a_3b_with_its_inputs_recorded(sample_pdf: Callable[[str], Path]) -> None:
    path = sample_pdf("archive")
    assert path.name == "first-visit.en.archive.pdf"
    xmp = _xmp(path)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    reader = PdfReader(path)
    inputs = reader.metadata["/acuprintinputs"]  # WeasyPrint keeps letters and digits only
    assert inputs.startswith("acuprint 0.1.0; WeasyPrint 70.0; clinic marlowe-street;")
    assert "disclaimer v3 (reviewed 2026-11-21)" in inputs
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"


def test_press_has_bleed_trim_box_crop_marks_and_a_cmyk_output_intent(
    sample_pdf: Callable[[str], Path],
) -> None:
    path = sample_pdf("press")
    assert path.name == "first-visit.en.press.pdf"
    reader = PdfReader(path)
    for page in reader.pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert float(trim.width) == pytest.approx(210 * MM, abs=0.5)  # A4 trim
        assert float(trim.left) - float(bleed.left) == pytest.approx(3 * MM, abs=0.1)
        assert float(bleed.top) - float(trim.top) == pytest.approx(3 * MM, abs=0.1)
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "Artifex CMYK SWOP Profile"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4
    assert "PDF/X-4" in _xmp(path)


def test_press_colours_are_cmyk(sample_pdf: Callable[[str], Path]) -> None:
    path = sample_pdf("press")
    content = PdfReader(path).pages[0].get_contents().get_data().decode("latin-1")
    # Text, rules and backgrounds are painted in CMYK (the output intent manages them).
    assert "/DeviceCMYK cs" in content
    office = PdfReader(sample_pdf("office")).pages[0].get_contents().get_data()
    assert b"/DeviceCMYK" not in office  # the office profile stays RGB


def test_press_crop_marks_print_outside_the_bleed(
    sample_pdf: Callable[[str], Path], tmp_path: Path
) -> None:
    path = sample_pdf("press")
    subprocess.run(
        [
            tool("pdftoppm"),
            *("-r", "72", "-f", "1", "-l", "1", "-aaVector", "no", "-gray"),
            *("-png", "-singlefile", str(path), str(tmp_path / "p")),
        ],
        check=True,
    )
    slug = round(SLUG_MM * MM)  # from the paper's edge to the trim
    bleed = round(3 * MM)
    with Image.open(tmp_path / "p.png") as image:
        page = image.convert("L")
        # The mark along the top-left corner's horizontal trim line, in the slug.
        mark = page.crop((0, slug - 1, slug - bleed, slug + 2))
        assert min(mark.get_flattened_data()) < 100, "no crop mark outside the bleed"
        # Nothing of the marks inside the bleed: the page background runs there.
        corner = page.crop((slug - bleed + 1, slug - bleed + 1, slug - 1, slug - 1))
        assert min(corner.get_flattened_data()) > 200, "a crop mark prints in the bleed"


def test_press_warns_about_a_low_resolution_png_logo(project: Path) -> None:
    logo = project / "clinics/marlowe-street/logo.png"
    Image.new("RGB", (60, 60), "purple").save(logo)
    toml = project / "clinics/marlowe-street/clinic.toml"
    toml.write_text(toml.read_text().replace('logo = "logo.svg"', 'logo = "logo.png"'))
    report = build(project, profile="press", workers=1, **ONE)  # type: ignore[arg-type]
    [warning] = [w for w in report.warnings if ".large-print." not in w]
    assert warning == (
        "marlowe-street/first-visit.en.press.pdf: preflight: images: an image on page 1 "
        "prints at 191 dpi; print shops need 300: use vector art (SVG) or an image with more pixels"
    )
    strict = build(project, profile="press", workers=1, strict=True, force=True, **ONE)  # type: ignore[arg-type]
    assert strict.failures and not strict.built


@pytest.mark.parametrize("profile", ["office", "press", "archive"])
def test_every_profile_is_byte_identical_across_processes(
    project: Path, sample_builds: SampleBuild, profile: str
) -> None:
    # A fresh process with one worker against the run's shared build (a worker per core).
    # Chinese: the largest font subsets, and a script of its own.
    only = {"clinics": ["cedar-hollow"], "handouts": ["first-visit"], "langs": ["zh-Hans"]}
    shared = sample_builds(profile=profile, **only).out_dir
    out = project / "out-a"
    command = [sys.executable, "-m", "acuprint", "build", "--project", str(project)]
    command += ["--out", str(out), "--clinic", "cedar-hollow", "--handout", "first-visit"]
    command += ["--lang", "zh-Hans", "--profile", profile, "--jobs", "1"]
    subprocess.run(command, check=True, capture_output=True)
    files = sorted(p.relative_to(out) for p in (out / "cedar-hollow").rglob("*.*"))
    assert [(p, (out / p).read_bytes()) for p in files] == [
        (p, (shared / p).read_bytes()) for p in files
    ]
    names = {path.name for path in files}
    assert "first-visit.zh-Hans.html" in names
    assert any(".large-print." in name for name in names)
    assert any(name.endswith("-p01.png") for name in names)  # proofs are stable too


def test_large_print_variant_has_18_point_body_text(sample_builds: SampleBuild) -> None:
    from tests.render.test_pdf import _text_sizes

    report = sample_builds(clinics=["cedar-hollow"], handouts=["chronic-pain"], formats=("pdf",))
    paths = {entry.path for entry in report.entries}
    assert "cedar-hollow/chronic-pain.en.large-print.pdf" in paths
    assert "cedar-hollow/chronic-pain.zh-Hans.large-print.pdf" in paths
    standard = _text_sizes(report.out_dir / "cedar-hollow/chronic-pain.en.pdf", 0)
    large = _text_sizes(report.out_dir / "cedar-hollow/chronic-pain.en.large-print.pdf", 0)
    sentence = "Side effects are common but mostly mild"  # body text, not the main message
    assert max(s for t, s in standard.items() if t.startswith(sentence)) < 16
    assert min(s for t, s in large.items() if t.startswith(sentence)) == pytest.approx(18, abs=0.01)


def test_forms_make_the_checklist_fillable(sample_builds: SampleBuild) -> None:
    only = {"clinics": ["marlowe-street"], "handouts": ["safety-intake"], "formats": ("pdf",)}
    report = sample_builds(forms=True, **only)
    path = report.out_dir / "marlowe-street/safety-intake.en.pdf"
    fields = PdfReader(path).get_fields()
    assert fields is not None
    boxes = [name for name, field in fields.items() if field.get("/FT") == "/Btn"]
    assert len(boxes) == 14  # one per checklist item, "none of these" included
    assert fields["patient-name"]["/FT"] == "/Tx" and fields["date"]["/FT"] == "/Tx"
    plain = sample_builds(**only)
    assert not PdfReader(plain.out_dir / "marlowe-street/safety-intake.en.pdf").get_fields()


def _words_by_position(pdf: Path, page: int) -> list[tuple[float, str]]:
    """(x in points from the left, text) for every run of text on a page."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], text.strip()))

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


def test_tri_fold_brochure_puts_each_panel_where_it_folds(sample_builds: SampleBuild) -> None:
    report = sample_builds(clinics=["cedar-hollow"], handouts=["brochure"], formats=("pdf",))
    path = report.out_dir / "cedar-hollow/brochure.en.tri-fold.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (width, height) == pytest.approx((792, 612), abs=0.5)  # Letter landscape
    third = width / 3

    def panel(page: int, text: str) -> int:
        x = next(x for x, words in _words_by_position(path, page) if text in words)
        return int(x // third)

    # Outside: flap (warning signs) left, back (booking) middle, cover (title) right.
    assert panel(0, "Back pain warning signs") == 0
    assert panel(0, "Book online") == 1
    assert panel(0, "Your acupuncture") == 2
    # Inside: the modules in recipe order, left to right, references last.
    order = ["What to expect", "Tell us first", "Side effects and when to get help", "References"]
    panels = [panel(1, title) for title in order]
    assert panels[0] == 0 and panels == sorted(panels), panels
    assert panels[-1] >= 1  # the inside runs on past its first panel


def test_a_tri_fold_with_too_much_content_fails_clearly(project: Path) -> None:
    recipe = project / "handouts/recipes/brochure.toml"
    recipe.write_text(recipe.read_text().replace("modules = [\n", 'modules = [\n    "benefits",\n'))
    report = build(
        project, clinics=["marlowe-street"], handouts=["brochure"], formats=("pdf",), workers=1
    )
    # The plain handout overflows its 2-page budget too; the tri-fold says why it has 2.
    tri_fold = [f for f in report.failures if ".tri-fold.pdf" in f]
    assert len(report.failures) == 2 and len(tri_fold) == 1, report.failures
    assert tri_fold[0].startswith(
        "marlowe-street/brochure.en.tri-fold.pdf: preflight failed: page budget: "
        "brochure.en.tri-fold.pdf has 3 pages; a tri-fold has 2 sides: the recipe has too "
        "much content for one: cut about "
    ), tri_fold
