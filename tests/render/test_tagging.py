"""The tag tree of office and archive PDFs: artifacts, lists, reading order, /Lang, forms."""

from __future__ import annotations

import io
import subprocess
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from weasyprint.pdf import tags as weasyprint_tags

from acuprint.compose.handout import compose_handout
from acuprint.compose.labels import labels_for
from acuprint.inputs.project import load_project
from acuprint.private_api import languages_tagged
from acuprint.render import tagging
from acuprint.render.html import render_html
from acuprint.render.pdf import render_pdf
from tests.conftest import REPO
from tests.tools import tool


@cache
def pdf_bytes(
    handout: str, lang: str, profile: str = "office", forms: bool = False, variant: str = ""
) -> bytes:
    """A cedar-hollow PDF rendered from the sample project (cached for this module)."""
    loaded = load_project(REPO)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts[handout], lang
    )
    variant = variant or ("tri-fold" if handout == "brochure" else "")
    html = render_html(
        loaded, composed, standalone=False, print_profile=profile, variant=variant, forms=forms
    )
    return render_pdf(html, profile, forms).data


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element reachable from the root, depth first in reading order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: pikepdf.Object) -> None:
        kids = node.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_the_language_hook_is_in_weasyprint_only_during_a_render() -> None:
    # If a WeasyPrint upgrade renames its tree builder, this fails instead of
    # the citations silently losing their /Lang; outside a render WeasyPrint is untouched.
    original = weasyprint_tags._build_box_tree
    with languages_tagged(tagging.own_language):
        with languages_tagged(tagging.own_language):  # renders in two threads at once
            assert weasyprint_tags._build_box_tree is not original
        assert weasyprint_tags._build_box_tree is not original
    assert weasyprint_tags._build_box_tree is original


@pytest.mark.parametrize("profile", ["office", "archive"])
def test_running_header_footer_and_page_numbers_are_artifacts(profile: str) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes("first-visit", "es", profile))) as pdf:
        attached = tagging.attached_elements(pdf.Root.StructTreeRoot)
        for number, page in enumerate(pdf.pages, start=1):
            mapping = pdf.Root.StructTreeRoot.ParentTree.Nums[2 * (number - 1) + 1]
            detached = [e for e in mapping if isinstance(e, pikepdf.Dictionary)]
            assert all(e.objgen in attached for e in detached), f"page {number}"
            artifacts = [
                op
                for op in pikepdf.parse_content_stream(page)
                if str(op.operator) == "BDC"
                and op.operands[0] == "/Artifact"
                and op.operands[1].get("/Type") == "/Pagination"
            ]
            # header name, logo, footer line and "Página N de M" on every page
            assert len(artifacts) >= 4, f"page {number}: {len(artifacts)} pagination artifacts"


def test_review_dates_are_one_list_item_per_section() -> None:
    # Compact layouts print one review date; the booklet layout (here large print)
    # lists each section's.
    loaded = load_project(REPO)
    sections = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["chronic-pain"], "es"
    ).all_sections
    with pikepdf.open(io.BytesIO(pdf_bytes("first-visit", "es"))) as compact:
        for element in (e for e in elements(compact) if e.S == "/L"):
            kinds = {str(k.S) for k in element.K if isinstance(k, pikepdf.Dictionary)}
            assert kinds <= {"/LI", "/L", "/Caption"}, kinds
    with pikepdf.open(io.BytesIO(pdf_bytes("chronic-pain", "es", variant="large-print"))) as pdf:
        lists = [e for e in elements(pdf) if e.S == "/L"]
        for element in lists:
            kinds = {str(k.S) for k in element.K if isinstance(k, pikepdf.Dictionary)}
            assert kinds <= {"/LI", "/L", "/Caption"}, kinds
        reviewed = lists[-2]  # the last list before the practitioners' list
        assert len(reviewed.K) == len(sections)
        for item in reviewed.K:
            assert {str(k.S) for k in item.K} <= {"/Lbl", "/LBody"}


@pytest.mark.parametrize("lang", ["es", "zh-Hans"])
def test_english_citations_carry_lang_and_the_document_its_own(lang: str) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes("first-visit", lang))) as pdf:
        assert str(pdf.Root.Lang) == lang
        tagged = [e for e in elements(pdf) if "/Lang" in e]
        assert tagged and {str(e.Lang) for e in tagged} == {"en"}
        assert {str(e.S) for e in tagged} <= {"/LI", "/Lbl", "/LBody"}


def test_english_pdf_has_no_redundant_lang() -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes("first-visit", "en"))) as pdf:
        assert not [e for e in elements(pdf) if "/Lang" in e]


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_tri_fold_reads_from_the_cover(lang: str) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes("brochure", lang))) as pdf:
        order = [str(e.S) for e in elements(pdf)]
        headings = [kind for kind in order if kind.startswith("/H")]
        assert headings[0] == "/H1"
        # The cover (logo, clinic name, title) comes before the references list.
        assert order.index("/H1") < order.index("/L")


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_form_fields_have_localized_human_tooltips(lang: str) -> None:
    labels = labels_for(lang)
    # The tick boxes live in the safety form: 14 checklist items, then name and date.
    with pikepdf.open(io.BytesIO(pdf_bytes("safety-intake", lang, forms=True))) as pdf:
        tooltips = [str(field.TU) for field in pdf.Root.AcroForm.Fields]
    assert len(tooltips) >= 16
    assert labels.your_name in tooltips and labels.date in tooltips
    boxes = [t for t in tooltips if t not in (labels.your_name, labels.date)]
    for tooltip in boxes:  # the tick boxes: each item's own text
        assert len(tooltip) >= 4 and not tooltip.startswith("item-"), tooltip
    if lang == "es":
        assert any("sangre" in t for t in tooltips)


def test_fillable_text_extracts_without_losing_ligatures(tmp_path: Path) -> None:
    path = tmp_path / "forms.pdf"
    path.write_bytes(pdf_bytes("safety-intake", "en", forms=True))
    text = subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "prac oner" not in text and "infec on" not in text and "de brillator" not in text
    assert text.count("practitioner") >= 4
    assert "infection" in text and "defibrillator" in text
