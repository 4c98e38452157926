"""PDF/UA-1 rule checks: sample office PDFs pass; each rule fails on a file broken for it."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from acuprint.build.pipeline import BuildReport
from acuprint.checks.conformance import RULES, Rule, Violation
from acuprint.checks.conformance import pdfua as _pdfua  # noqa: F401  (registers the rules)
from acuprint.checks.conformance import pdfua_fonts as _pdfua_fonts  # noqa: F401
from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project
from acuprint.render.html import render_html
from acuprint.render.pdf import render_pdf
from tests.conftest import REPO

UA_RULES = [r for r in RULES if r.standard == "PDF/UA-1"]


def violations(pdf: pikepdf.Pdf, rules: list[Rule] = UA_RULES) -> list[Violation]:
    """Every PDF/UA-1 violation in an open file."""
    return [v for r in rules for v in r.check(pdf)]


def render(handout: str, lang: str, *, profile: str = "office", forms: bool = False) -> bytes:
    """One cedar-hollow PDF rendered from the sample project."""
    loaded = load_project(REPO)
    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts[handout], lang
    )
    html = render_html(loaded, composed, standalone=False, print_profile=profile, forms=forms)
    return render_pdf(html, profile, forms).data


@pytest.fixture(scope="module")
def good() -> bytes:
    """A fillable Spanish handout: headings, lists, English citations, a figure, form fields.

    The tick boxes live in the safety form (first-visit no longer has the checklist).
    """
    return render("safety-intake", "es", forms=True)


def test_the_rules_are_registered_with_verapdf_ids() -> None:
    ids = [r.id for r in UA_RULES]
    assert len(ids) == len(set(ids)) >= 20
    assert all(re.fullmatch(r"\d+(\.\d+)*-\d+", i) for i in ids), ids


def test_every_sample_office_pdf_passes(sample_build: BuildReport) -> None:
    pdfs = sorted(sample_build.out_dir.glob("*/*.pdf"))
    assert len(pdfs) >= 20
    found = {}
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            found[path.name] = [f"{v.rule}: {v.message}" for v in violations(pdf)]
    assert not any(found.values()), {k: v for k, v in found.items() if v}


@pytest.mark.parametrize(("handout", "lang"), [("first-visit", "zh-Hans"), ("brochure", "en")])
def test_archive_pdfs_pass(handout: str, lang: str) -> None:
    # Archive files are PDF/A-3b with the same tag tree; they do not claim PDF/UA (5-1).
    tag_rules = [r for r in UA_RULES if r.id != "5-1"]
    with pikepdf.open(io.BytesIO(render(handout, lang, profile="archive"))) as pdf:
        assert [f"{v.rule}: {v.message}" for v in violations(pdf, tag_rules)] == []


def test_the_fillable_file_passes(good: bytes) -> None:
    with pikepdf.open(io.BytesIO(good)) as pdf:
        assert [f"{v.rule}: {v.message}" for v in violations(pdf)] == []


# --- one way to break each rule --------------------------------------------------------


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def _first(pdf: pikepdf.Pdf, kind: str) -> pikepdf.Dictionary:
    return next(e for e in _elements(pdf) if kind == e.S)


def _first_list_item(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(e for e in _elements(pdf) if e.S == "/LI" and e.P.S == "/L")


def _edit_xmp(pdf: pikepdf.Pdf, pattern: str) -> None:
    data = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(re.sub(pattern.encode(), b"", data, flags=re.S))


def _wrap_page(pdf: pikepdf.Pdf, before: bytes, after: bytes) -> None:
    page = pdf.pages[0]
    page.contents_coalesce()
    data = page.obj.Contents.read_bytes()
    page.obj.Contents = pdf.make_stream(before + b"\n" + data + b"\n" + after)


def _strip_first_bdc(pdf: pikepdf.Pdf) -> None:
    """Drop the marked-content operators around the first tagged text: it becomes untagged."""
    page = pdf.pages[0]
    ops = list(pikepdf.parse_content_stream(page))
    start = next(
        i for i, op in enumerate(ops) if str(op.operator) == "BDC" and "/MCID" in op.operands[1]
    )
    end = next(i for i in range(start, len(ops)) if str(ops[i].operator) == "EMC")
    del ops[end], ops[start]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def _detach_first_paragraph(pdf: pikepdf.Pdf) -> None:
    paragraph = _first(pdf, "/P")
    parent = paragraph.P
    parent.K = pikepdf.Array([k for k in parent.K if k.objgen != paragraph.objgen])


def _drop_fonts_program(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        descriptor = font.DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]


def _drop_to_unicode(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        del font["/ToUnicode"]


def _span_under_list(pdf: pikepdf.Pdf) -> None:
    item = _first_list_item(pdf)
    span = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=item.P)
    )
    item.P.K.append(span)


def _p_under_list_item(pdf: pikepdf.Pdf) -> None:
    item = _first_list_item(pdf)
    p = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=item)
    )
    item.K.append(p)


def _remove_tooltips(pdf: pikepdf.Pdf) -> None:
    for field in pdf.Root.AcroForm.Fields:
        del field["/TU"]


def _untab(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        if "/Tabs" in page.obj:
            del page.obj["/Tabs"]


def _unform(pdf: pikepdf.Pdf) -> None:
    for element in _elements(pdf):
        if element.S == "/Form":
            element.S = pikepdf.Name.Div


BREAKERS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "5-1": lambda pdf: _edit_xmp(pdf, r"<pdfuaid:part>.*?</pdfuaid:part>|pdfuaid:part=\"1\""),
    "6.2-1": lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False),
    "7.1-1": lambda pdf: _wrap_page(pdf, b"/P <</MCID 999>> BDC", b"EMC"),
    "7.1-2": lambda pdf: _wrap_page(pdf, b"/Artifact BMC", b"EMC"),
    "7.1-3": _detach_first_paragraph,
    "7.1-8": lambda pdf: pdf.Root.__delitem__("/Metadata"),
    "7.1-9": lambda pdf: _edit_xmp(pdf, r"<dc:title>.*?</dc:title>"),
    "7.1-10": lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
    "7.1-11": lambda pdf: pdf.Root.__delitem__("/StructTreeRoot"),
    "7.2-17": lambda pdf: _first_list_item(pdf).P.__setitem__("/S", pikepdf.Name.Div),
    "7.2-18": lambda pdf: _first_list_item(pdf).__setitem__("/S", pikepdf.Name.Div),
    "7.2-19": _span_under_list,
    "7.2-20": _p_under_list_item,
    "7.2-34": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "7.3-1": lambda pdf: _first(pdf, "/Figure").__delitem__("/Alt"),
    "7.4.2-1": lambda pdf: _first(pdf, "/H1").__setitem__("/S", pikepdf.Name.H2),
    "7.18.1-3": _remove_tooltips,
    "7.18.3-1": _untab,
    "7.18.4-1": _unform,
    "7.21.4.1-1": _drop_fonts_program,
    "7.21.7-1": _drop_to_unicode,
}


def test_every_rule_has_a_broken_file() -> None:
    assert sorted(BREAKERS) == sorted(r.id for r in UA_RULES)


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_each_rule_fails_on_a_file_broken_for_it(good: bytes, rule_id: str) -> None:
    rule = next(r for r in UA_RULES if r.id == rule_id)
    with pikepdf.open(io.BytesIO(good)) as pdf:
        assert list(rule.check(pdf)) == [], "the unbroken file must pass"
        BREAKERS[rule_id](pdf)
        out = io.BytesIO()
        pdf.save(out)
    with pikepdf.open(io.BytesIO(out.getvalue())) as broken:
        found = list(rule.check(broken))
    assert found, f"{rule_id} did not notice"
    assert all(v.rule == f"ISO 14289-1:2014 {rule_id}" for v in found)


def test_untagged_content_fails_7_1_3(good: bytes) -> None:
    with pikepdf.open(io.BytesIO(good)) as pdf:
        _strip_first_bdc(pdf)
        found = list(next(r for r in UA_RULES if r.id == "7.1-3").check(pdf))
    assert any("paints outside" in v.message for v in found)


def test_a_file_without_tags_reports_rather_than_crashes(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    assert {v.rule.split()[-1] for v in violations(pdf)} >= {"6.2-1", "7.1-8", "7.1-11", "7.2-34"}
