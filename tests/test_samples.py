"""Every sample clinic x handout renders, and the PDFs say and look what they must."""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from acuprint.build.manifest import sha256
from acuprint.build.pipeline import BuildReport
from acuprint.compose.labels import PAGE_NUMBER, labels_for
from acuprint.inputs.project import load_project
from tests.conftest import REPO
from tests.tools import tool

PROJECT = load_project(REPO)
CASES = [
    (clinic, handout, lang)
    for clinic in sorted(PROJECT.clinics)
    for handout in sorted(PROJECT.handouts)
    for lang in PROJECT.clinics[clinic].profile.languages
]
PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


def _pdf(report: BuildReport, clinic: str, handout: str, lang: str) -> PdfReader:
    return PdfReader(report.out_dir / clinic / f"{handout}.{lang}.pdf")


def _pages_text(reader: PdfReader) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def _text(report: BuildReport, clinic: str, handout: str, lang: str) -> list[str]:
    """The text of each page of a sample PDF (each file read once: the build is shared)."""
    return list(_text_of(report.out_dir / clinic / f"{handout}.{lang}.pdf"))


@functools.cache
def _text_of(path: Path) -> tuple[str, ...]:
    return tuple(_pages_text(PdfReader(path)))


def test_every_clinic_handout_and_format_is_built(sample_build: BuildReport) -> None:
    expected = {f"{c}/{h}.{lang}.{fmt}" for c, h, lang in CASES for fmt in ("pdf", "html")}
    # every core handout also asks for a large-print PDF, brochure for a tri-fold
    core = ("back-pain", "chronic-pain", "first-visit", "safety-intake")
    expected |= {f"{c}/{h}.{lang}.large-print.pdf" for c, h, lang in CASES if h in core}
    expected |= {f"{c}/{h}.{lang}.tri-fold.pdf" for c, h, lang in CASES if h == "brochure"}
    assert {entry.path for entry in sample_build.entries} == expected
    # 7 handouts x 2 formats x 5 clinic languages, plus 4 x 5 large-print and 5 tri-fold PDFs
    assert len(expected) == 95


def test_manifest_matches_files(sample_build: BuildReport) -> None:
    manifest = json.loads(sample_build.manifest.read_text())
    outputs = manifest["outputs"]
    assert [o["path"] for o in outputs] == sorted(o["path"] for o in outputs)
    for entry in outputs:
        data = (sample_build.out_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == sha256(data)
        assert entry["bytes"] == len(data)
        assert {"clinic", "handout", "lang", "format"} <= entry.keys()
        if entry["format"] == "pdf":
            reader = PdfReader(sample_build.out_dir / entry["path"])
            assert entry["pages"] == len(reader.pages)
        else:
            assert "pages" not in entry


@pytest.mark.parametrize(("clinic", "handout", "lang"), CASES)
def test_pdf_text_brand_and_module_order(
    sample_build: BuildReport, clinic: str, handout: str, lang: str
) -> None:
    profile = PROJECT.clinics[clinic].profile
    recipe = PROJECT.handouts[handout].recipe
    labels = labels_for(lang)
    before, between, after = PAGE_NUMBER[lang]
    pages = _text(sample_build, clinic, handout, lang)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert profile.name in text, f"clinic name missing on page {number}"
        assert profile.phone in text, f"phone missing on page {number}"
        page_label = f"{before}{number}{between}{total}{after}".strip()
        assert page_label in text.replace("  ", " "), f"no {page_label!r} on page {number}"

    from acuprint.compose.handout import compose_handout

    composed = compose_handout(PROJECT, PROJECT.clinics[clinic], PROJECT.handouts[handout], lang)
    titles = [section.title for section in composed.sections]  # the required ones included
    disclaimer = PROJECT.module("disclaimer", lang).meta.title
    everything = " ".join(pages)
    # Chinese has no spaces: a heading that wraps must not gain one.
    squash = (lambda t: re.sub(r"\s+", "", t)) if lang == "zh-Hans" else (lambda t: t)
    cursor = 0  # each title after the one before it (a subtitle may repeat a title's words)
    for title in [*titles, disclaimer]:
        found = squash(everything).find(squash(title), cursor)
        assert found != -1, f"{title!r} is missing, or out of recipe order"
        cursor = found + 1
    assert disclaimer in pages[-1], "the disclaimer is not on the last page"
    if recipe.layout == "booklet":
        assert labels.book_online in pages[-1] and profile.booking_url in pages[-1]
    else:  # compact layouts: the QR code in the title block, the address in the small print
        assert labels.book_online in pages[0]
        assert profile.booking_url in re.sub(r"\s+", "", everything)  # may wrap in small print
    assert recipe.text(lang).title in pages[0]
    assert labels.references in everything


@pytest.mark.parametrize(("clinic", "handout", "lang"), CASES)
def test_page_size_matches_clinic_paper(
    sample_build: BuildReport, clinic: str, handout: str, lang: str
) -> None:
    width, height = PAPER_POINTS[PROJECT.clinics[clinic].profile.paper]
    for page in _pdf(sample_build, clinic, handout, lang).pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


def _embedded_fonts(path: Path) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for every font in the PDF, read with pypdf."""
    found = {}
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


@pytest.mark.parametrize("clinic", sorted(PROJECT.clinics))
def test_every_font_is_embedded_and_bundled(sample_build: BuildReport, clinic: str) -> None:
    profile = PROJECT.clinics[clinic].profile
    families = {PROJECT.fonts[profile.fonts.body].name}
    families.add(PROJECT.fonts[profile.fonts.headings or profile.fonts.body].name)
    # WeasyPrint names an embedded font "SUBSET+Family-Name-Style".
    allowed = {
        family.replace(" ", "-") + style
        for family in families
        for style in ("", "-Bold", "-Italic", "-Bold-Italic")
    }
    path = sample_build.out_dir / clinic / "back-pain.en.pdf"
    fonts = _embedded_fonts(path)
    assert fonts, "no fonts found"
    for name, embedded in fonts:
        assert embedded, f"{name} is not embedded"
        subset_prefix, _, font_name = name.lstrip("/").partition("+")
        assert len(subset_prefix) == 6, f"{name} is not subset"
        assert font_name in allowed, f"{name} is not one of the clinic's fonts {sorted(families)}"

    # Independent check with poppler's pdffonts: every font embedded (emb = yes).
    listing = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\s(yes)\s+(yes)\s+(yes)\s+\d+\s+\d+$", row), row


def test_standalone_html_has_no_external_resources(sample_build: BuildReport) -> None:
    for entry in sample_build.entries:
        if entry.format != "html":
            continue
        html = (sample_build.out_dir / entry.path).read_text()
        assert "<link" not in html
        sources = re.findall(r'\s(?:src|href)="([^"]+)"', html)
        urls = re.findall(r'url\("([^"]+)"\)', html)
        for ref in [*sources, *urls]:
            assert ref.startswith(("data:", "https://", "#")), ref
        links = [r for r in sources if r.startswith("https://")]
        assert links == [PROJECT.clinics[entry.clinic].profile.booking_url]
        assert f'<html lang="{entry.lang}">' in html


@pytest.mark.parametrize("clinic", sorted(PROJECT.clinics))
def test_last_page_qr_code_decodes_to_the_booking_url(
    sample_build: BuildReport, clinic: str, tmp_path: Path
) -> None:
    pdf = sample_build.out_dir / clinic / "first-visit.en.pdf"
    image = tmp_path / "first"
    last = "1"  # a one-sheet handout carries its booking QR code in the title block
    command = [tool("pdftoppm"), "-r", "150", "-f", last, "-l", last, "-png", "-singlefile"]
    subprocess.run([*command, str(pdf), str(image)], check=True)
    decoded = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", f"{image}.png"], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == PROJECT.clinics[clinic].profile.booking_url


def test_references_list_sources_and_review_dates(sample_build: BuildReport) -> None:
    pages = _text(sample_build, "cedar-hollow", "back-pain", "en")
    text = " ".join(pages)
    start = text.index("References")
    references = text[start:]
    recipe = PROJECT.handouts["back-pain"].recipe
    for module_id in recipe.modules:
        meta = PROJECT.module(module_id, "en").meta
        for source in meta.sources:
            assert source.citation[:40] in references, source.id
    # Each source once, even where several modules cite it.
    assert references.count("Mu J, Furlan AD") == 1
    # A one-sheet handout gives the oldest review date of its sections.
    assert "Last reviewed: Nov 21, 2026 · Next review: Nov 2027" in references


def test_uk_clinic_dates_read_day_month_year(sample_build: BuildReport) -> None:
    text = " ".join(_text(sample_build, "marlowe-street", "first-visit", "en"))
    assert "21 Nov 2026" in text and "Nov 21, 2026" not in text


@pytest.mark.parametrize("lang", ["es", "zh-Hans"])
def test_translated_pdf_declares_its_language_and_uses_bundled_fonts(
    sample_build: BuildReport, lang: str
) -> None:
    path = sample_build.out_dir / "cedar-hollow" / f"back-pain.{lang}.pdf"
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == lang
    text = " ".join(_pages_text(reader))
    title = PROJECT.module("benefit-short-back-pain", lang).meta.title
    assert re.sub(r"\s+", "", title) in re.sub(r"\s+", "", text)
    listing = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True)
    names = {row.split()[0].split("+")[-1] for row in listing.stdout.splitlines()[2:]}
    assert names <= {
        "Lato",
        "Lato-Bold",
        "Roboto-Slab-Bold",
        "Noto-Sans-CJK-SC",
        "Noto-Sans-CJK-SC-Bold",
        "Lato-Italic",
        "Roboto-Slab",
    }, names
    if lang == "zh-Hans":
        assert {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"} <= names


# --- issue 11: the shape of each handout ------------------------------------------------

CORE = ("back-pain", "chronic-pain", "first-visit", "brochure")
RED_FLAG_HEADING = {
    "en": "Back pain warning signs",
    "es": "Señales de alarma",
    "zh-Hans": "背痛的危险信号",
}


@pytest.mark.parametrize(("clinic", "handout", "lang"), CASES)
def test_each_handout_keeps_its_page_budget(
    sample_build: BuildReport, clinic: str, handout: str, lang: str
) -> None:
    pages = len(_pdf(sample_build, clinic, handout, lang).pages)
    if handout in CORE:
        assert pages == 2, "a core handout is one sheet, printed on both sides"
    elif handout == "safety-intake":
        assert pages == 1
    elif handout == "more-information":
        assert pages <= 4


@pytest.mark.parametrize(("clinic", "handout", "lang"), CASES)
def test_pain_handouts_show_the_warning_signs_and_the_emergency_number_on_page_1(
    sample_build: BuildReport, clinic: str, handout: str, lang: str
) -> None:
    profile = PROJECT.clinics[clinic].profile
    first = _text(sample_build, clinic, handout, lang)[0]
    if not PROJECT.handouts[handout].recipe.about_pain:
        return
    number, other = ("911", "999") if profile.region_code == "us" else ("999", "911")
    assert number in first and RED_FLAG_HEADING[lang] in first
    assert other not in first


@pytest.mark.parametrize(("clinic", "handout", "lang"), CASES)
def test_no_handout_prints_the_other_regions_words(
    sample_build: BuildReport, clinic: str, handout: str, lang: str
) -> None:
    from acuprint.compose.regions import forbidden_terms

    region = PROJECT.clinics[clinic].profile.region_code
    text = " ".join(_text(sample_build, clinic, handout, lang))
    assert forbidden_terms(text, lang, region, PROJECT.regions) == []
