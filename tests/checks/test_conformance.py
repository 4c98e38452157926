"""Conformance rules: every sample output passes, and deliberately broken files fail by rule id."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Stream
from typer.testing import CliRunner

from acuprint.checks.conformance.run import check_conformance, claimed_standards, rules_of
from acuprint.checks.preflight import preflight
from acuprint.cli import app
from tests.conftest import SampleBuild, sheets

PROFILES = ("office", "press", "archive")


@pytest.fixture(scope="module")
def samples(sample_builds: SampleBuild) -> dict[str, list[Path]]:
    """A US and a UK clinic's first-visit and brochure (tri-fold too), in every profile."""
    found: dict[str, list[Path]] = {}
    for profile in PROFILES:
        report = sample_builds(
            clinics=["cedar-hollow", "marlowe-street"],
            handouts=["first-visit", "brochure"],
            formats=("pdf",),
            profile=profile,
        )
        assert not report.failures, report.failures
        found[profile] = [report.out_dir / e.path for e in report.entries]
    return found


def test_rules_are_registered_with_ids() -> None:
    pdfx = {r.id for r in rules_of("PDF/X-4")}
    pdfa = {r.id for r in rules_of("PDF/A-3b")}
    assert len(pdfx) >= 12 and len(pdfa) >= 15
    assert "ISO 19005-3:2012 6.2.4.3-2" in pdfa and "ISO 19005-3:2012 6.6.2.1-1" in pdfa
    assert all(r.startswith(("ISO 15930-7:2010 ", "acuprint ")) for r in pdfx)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_sample_output_passes(samples: dict[str, list[Path]], profile: str) -> None:
    files = samples[profile]
    assert len(files) >= 12  # 2 clinics, 2 handouts, their languages, the tri-folds
    expected = {"office": "PDF/UA-1", "press": "PDF/X-4", "archive": "PDF/A-3b"}[profile]
    for path in files:
        with pikepdf.open(path) as pdf:
            assert expected in claimed_standards(pdf), path
        assert check_conformance(path) == [], path


# --- deliberately broken files -------------------------------------------------------------


def _broken(source: Path, breaking: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(source) as pdf:
        breaking(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _rules(data: bytes, standard: str) -> set[str]:
    return {v.rule for v in check_conformance(data, [standard])}


def _inject_rgb(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(Stream(pdf, b"q 1 0 0 rg 0 0 20 20 re f Q"))


def _inject_rgb_image(pdf: pikepdf.Pdf) -> None:
    image = Stream(pdf, b"\xff\x00\x00", Type=Name.XObject, Subtype=Name.Image)
    image.update({"/Width": 1, "/Height": 1, "/BitsPerComponent": 8})
    image.ColorSpace = Name.DeviceRGB
    page = pdf.pages[0]
    if "/XObject" not in page.obj.Resources:
        page.obj.Resources.XObject = Dictionary()
    page.obj.Resources.XObject["/Injected"] = image
    page.contents_add(Stream(pdf, b"q 20 0 0 20 0 0 cm /Injected Do Q"))


def _remove_output_intent(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/OutputIntents"]


def _unembed_fonts(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        descriptor = font.DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]


def _shrink_font_widths(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        font.DescendantFonts[0].W = Array([])
        font.DescendantFonts[0].DW = 1


def _drop_to_unicode(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        del font["/ToUnicode"]


def _show_absent_glyph(pdf: pikepdf.Pdf) -> None:
    name = next(iter(pdf.pages[0].obj.Resources.Font.keys()))
    pdf.pages[0].contents_add(Stream(pdf, f"BT {name} 10 Tf <FFF0> Tj ET".encode()))


def _remove_trim_box(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].obj["/TrimBox"]


def _add_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def _remove_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def _pdfa_part_2(pdf: pikepdf.Pdf) -> None:
    data = pdf.Root.Metadata.read_bytes().replace(b'pdfaid:part="3"', b'pdfaid:part="2"')
    data = data.replace(b"<pdfaid:part>3</pdfaid:part>", b"<pdfaid:part>2</pdfaid:part>")
    pdf.Root.Metadata.write(data)


def _hide_annotations(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            annotation.F = 2


@pytest.mark.parametrize(
    ("breaking", "rule"),
    [
        (_inject_rgb, "ISO 15930-7:2010 6.2.4-1"),
        (_inject_rgb, "acuprint press-1"),
        (_inject_rgb_image, "acuprint press-1"),
        (_remove_output_intent, "ISO 15930-7:2010 6.2.2-1"),
        (_unembed_fonts, "ISO 15930-7:2010 6.3-1"),
        (_show_absent_glyph, "ISO 15930-7:2010 6.3-2"),
        (_shrink_font_widths, "ISO 15930-7:2010 6.3-3"),
        (_remove_trim_box, "ISO 15930-7:2010 6.2.3-1"),
        (_add_javascript, "ISO 15930-7:2010 6.4-2"),
        (_remove_xmp, "ISO 15930-7:2010 6.7-1"),
    ],
)
def test_broken_press_files_fail_their_rule(
    samples: dict[str, list[Path]], breaking: Callable[[Any], None], rule: str
) -> None:
    [source] = [p for p in samples["press"] if p.name == "first-visit.en.press.pdf"][:1]
    assert rule in _rules(_broken(source, breaking), "PDF/X-4")


@pytest.mark.parametrize(
    ("breaking", "rule"),
    [
        (_remove_output_intent, "ISO 19005-3:2012 6.2.4.3-2"),  # DeviceRGB, no intent left
        (_unembed_fonts, "ISO 19005-3:2012 6.2.11.4.1-1"),
        (_show_absent_glyph, "ISO 19005-3:2012 6.2.11.4.1-2"),
        (_shrink_font_widths, "ISO 19005-3:2012 6.2.11.5-1"),
        (_drop_to_unicode, "ISO 19005-3:2012 6.2.11.7.2-1"),
        (_add_javascript, "ISO 19005-3:2012 6.5.1-1"),
        (_remove_xmp, "ISO 19005-3:2012 6.6.2.1-1"),
        (_pdfa_part_2, "ISO 19005-3:2012 6.6.4-2"),
        (_hide_annotations, "ISO 19005-3:2012 6.3.2-2"),
    ],
)
def test_broken_archive_files_fail_their_rule(
    samples: dict[str, list[Path]], breaking: Callable[[Any], None], rule: str
) -> None:
    [source] = [p for p in samples["archive"] if p.name == "first-visit.en.archive.pdf"][:1]
    assert rule in _rules(_broken(source, breaking), "PDF/A-3b")


def test_an_encrypted_file_fails(samples: dict[str, list[Path]], tmp_path: Path) -> None:
    [source] = [p for p in samples["archive"] if p.name == "first-visit.en.archive.pdf"][:1]
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
    assert "ISO 19005-3:2012 6.1.3-2" in _rules((tmp_path / "locked.pdf").read_bytes(), "PDF/A-3b")


def test_preflight_runs_the_rules_on_press_files(samples: dict[str, list[Path]]) -> None:
    [source] = [p for p in samples["press"] if p.name == "first-visit.en.press.pdf"][:1]
    good = preflight(source.read_bytes(), "good.pdf")
    assert [c.ok for c in good.checks if c.name == "conformance (PDF/X-4)"] == [True]
    bad = preflight(_broken(source, _inject_rgb), "bad.pdf")
    [check] = [c for c in bad.failures if c.name == "conformance (PDF/X-4)"]
    assert "ISO 15930-7:2010 6.2.4-1" in check.detail


def test_cli_check_conformance(
    samples: dict[str, list[Path]], runner: CliRunner, tmp_path: Path
) -> None:
    [source] = [p for p in samples["archive"] if p.name == "first-visit.en.archive.pdf"][:1]
    result = runner.invoke(app, ["check", str(source), "--conformance"])
    assert result.exit_code == 0, result.output
    assert "conformance (PDF/A-3b): " in result.output and "0 violation(s)" in result.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(_broken(source, _unembed_fonts))
    result = runner.invoke(app, ["check", str(broken), "--conformance"])
    assert result.exit_code == 1
    assert "FAIL  ISO 19005-3:2012 6.2.11.4.1-1 (page 1): " in result.output


# --- an archive with form fields -----------------------------------------------------------


@pytest.fixture(scope="module")
def archive_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cedar-hollow's safety form, fillable, as an archive (PDF/A-3b) file."""
    from tests.conftest import REPO, build

    out = tmp_path_factory.mktemp("archive-form")
    report = build(
        REPO,
        out,
        clinics=["cedar-hollow"],
        handouts=["safety-intake"],
        langs=["en"],
        formats=("pdf",),
        profile="archive",
        forms=True,
        proofs=False,
    )
    assert not report.failures, report.failures
    (entry,) = sheets(report.entries)
    return out / entry.path


def test_an_archive_form_draws_its_own_fields(archive_form: Path) -> None:
    with pikepdf.open(archive_form) as pdf:
        form = pdf.Root.AcroForm
        assert len(form.Fields) > 5  # still a form a person can fill in
        assert not bool(form.get("/NeedAppearances", False))  # PDF/A forbids it
        widgets = [
            a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Widget"
        ]
        assert widgets and all(
            isinstance(w.get("/AP"), Dictionary) and "/N" in w.AP for w in widgets
        )
    assert check_conformance(archive_form) == []


def _ask_viewers_to_draw(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AcroForm.NeedAppearances = True


def _drop_an_appearance(pdf: pikepdf.Pdf) -> None:
    widget = next(a for a in pdf.pages[0].obj.Annots if a.Subtype == "/Widget")
    del widget["/AP"]


@pytest.mark.parametrize(
    ("breaking", "rule"),
    [
        (_ask_viewers_to_draw, "ISO 19005-3:2012 6.4.1-3"),
        (_drop_an_appearance, "ISO 19005-3:2012 6.3.3-1"),
    ],
)
def test_broken_archive_forms_fail_their_rule(
    archive_form: Path, breaking: Callable[[Any], None], rule: str
) -> None:
    assert rule in _rules(_broken(archive_form, breaking), "PDF/A-3b")
