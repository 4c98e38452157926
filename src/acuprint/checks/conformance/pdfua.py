"""PDF/UA-1 (ISO 14289-1:2014) rule checks, named by the veraPDF PDF/UA-1 profile's rule ids.

Each id is "clause-test" as veraPDF reports it (e.g. "7.1-3" is clause 7.1,
test 3: "Content shall be marked as Artifact or tagged as real content").
These are the rules an accessible handout most often breaks; they read the
file only, so they judge any PDF, not just acuprint's. Not covered: tables,
notes, optional content, embedded files, and page content inside form
XObjects (acuprint's pages draw text directly).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pikepdf

from acuprint.checks.conformance import Violation, rule

STANDARD = "PDF/UA-1"
_SPEC = "ISO 14289-1:2014"
_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"}
_TEXT = {"Tj", "TJ", "'", '"'}


def _violation(id: str, message: str, page: int | None = None) -> Violation:
    return Violation(f"{_SPEC} {id}", message, page)


# --- the structure tree ----------------------------------------------------------------


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR")


def _elements(pdf: Any) -> Iterator[tuple[Any, Any]]:
    """(element, parent) for every structure element, depth first in document order."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    seen: set[tuple[int, int]] = set()
    stack = [(kid, tree) for kid in reversed(_kids(tree)) if _is_element(kid)]
    while stack:
        element, parent = stack.pop()
        if element.objgen != (0, 0) and element.objgen in seen:
            continue
        seen.add(element.objgen)
        yield element, parent
        stack.extend((kid, element) for kid in reversed(_kids(element)) if _is_element(kid))


def _type(element: Any) -> str:
    """The element's structure type, without the slash (acuprint uses standard types only)."""
    return str(element.get("/S", "")).lstrip("/")


def _parent_tree(pdf: Any) -> dict[int, Any]:
    tree = pdf.Root.get("/StructTreeRoot")
    found: dict[int, Any] = {}
    stack = [tree.get("/ParentTree")] if tree is not None else []
    while stack:
        node = stack.pop()
        if node is None:
            continue
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                found[int(nums[i])] = nums[i + 1]
        stack.extend(node.get("/Kids", []))
    return found


# --- document-level rules --------------------------------------------------------------


@rule("5-1", STANDARD, "The XMP metadata identifies the file as PDF/UA (pdfuaid:part)")
def identification(pdf: Any) -> Iterable[Violation]:
    """The PDF/UA identification schema names part 1."""
    if "/Metadata" not in pdf.Root:
        yield _violation("5-1", "no XMP metadata, so no PDF/UA identification")
        return
    with pdf.open_metadata() as meta:
        part = meta.get("pdfuaid:part")
    if str(part) != "1":
        yield _violation("5-1", f"pdfuaid:part is {part!r}, not 1")


@rule("6.2-1", STANDARD, "The catalog's MarkInfo has Marked true")
def marked(pdf: Any) -> Iterable[Violation]:
    """A tagged file says so in MarkInfo."""
    if not bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)):
        yield _violation("6.2-1", "the catalog has no MarkInfo with Marked true")


@rule("7.1-8", STANDARD, "The catalog has an XMP Metadata stream")
def metadata(pdf: Any) -> Iterable[Violation]:
    """XMP metadata is present."""
    if "/Metadata" not in pdf.Root:
        yield _violation("7.1-8", "the catalog has no Metadata stream")


@rule("7.1-9", STANDARD, "The XMP metadata has a dc:title")
def title(pdf: Any) -> Iterable[Violation]:
    """The document has a title in its metadata."""
    if "/Metadata" not in pdf.Root:
        yield _violation("7.1-9", "no XMP metadata, so no dc:title")
        return
    with pdf.open_metadata() as meta:
        value = meta.get("dc:title")
    if not value or not str(value).strip():
        yield _violation("7.1-9", "the XMP metadata has no dc:title")


@rule("7.1-10", STANDARD, "ViewerPreferences has DisplayDocTitle true")
def display_title(pdf: Any) -> Iterable[Violation]:
    """Viewers show the title, not the file name."""
    preferences = pdf.Root.get("/ViewerPreferences", {})
    if not bool(preferences.get("/DisplayDocTitle", False)):
        yield _violation("7.1-10", "ViewerPreferences has no DisplayDocTitle true")


@rule("7.1-11", STANDARD, "The logical structure is rooted in a StructTreeRoot")
def structure_root(pdf: Any) -> Iterable[Violation]:
    """The file has a structure tree with at least one element."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or not any(_is_element(kid) for kid in _kids(tree)):
        yield _violation("7.1-11", "the catalog has no StructTreeRoot with structure elements")


@rule("7.2-34", STANDARD, "The natural language of page content is determined (catalog /Lang)")
def language(pdf: Any) -> Iterable[Violation]:
    """The catalog names the document's language, and every /Lang is a non-empty tag."""
    lang = str(pdf.Root.get("/Lang", "")).strip()
    if not lang:
        yield _violation("7.2-34", "the catalog has no /Lang: no language for the text")
    for element, _ in _elements(pdf):
        if "/Lang" in element and not str(element.Lang).strip():
            yield _violation("7.2-34", f"a {_type(element)} element has an empty /Lang")


# --- marked content: tagged or artifact ------------------------------------------------


def _marked_content(pdf: Any) -> Iterator[tuple[int, str, Any]]:
    """Events per page: ("tagged", mcid), ("artifact", None) nesting problems, painting outside.

    Yields (page number, kind, detail) where kind is "untagged" (painting outside
    any marked content), "artifact-in-tagged", "tagged-in-artifact" or "mcid".
    """
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[tuple[str, int | None]] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands, op = instruction.operands, str(instruction.operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0]).lstrip("/")
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    value = operands[1].get("/MCID")
                    mcid = int(value) if value is not None else None
                inside_artifact = any(kind == "Artifact" for kind, _ in stack)
                inside_tagged = any(m is not None for _, m in stack)
                if tag == "Artifact" and inside_tagged:
                    yield number, "artifact-in-tagged", None
                if mcid is not None:
                    if inside_artifact:
                        yield number, "tagged-in-artifact", mcid
                    yield number, "mcid", mcid
                stack.append((tag, mcid))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in _PAINT and not any(kind == "Artifact" or m is not None for kind, m in stack):
                yield number, "untagged", op


@rule("7.1-1", STANDARD, "No artifact inside tagged content")
def artifact_in_tagged(pdf: Any) -> Iterable[Violation]:
    """Artifacts are never nested in tagged content."""
    for number, kind, _ in _marked_content(pdf):
        if kind == "artifact-in-tagged":
            yield _violation("7.1-1", "an Artifact is nested in tagged content", number)


@rule("7.1-2", STANDARD, "No tagged content inside an artifact")
def tagged_in_artifact(pdf: Any) -> Iterable[Violation]:
    """Tagged content is never nested in an artifact."""
    for number, kind, mcid in _marked_content(pdf):
        if kind == "tagged-in-artifact":
            yield _violation("7.1-2", f"MCID {mcid} is nested in an Artifact", number)


@rule("7.1-3", STANDARD, "Content is marked as Artifact or tagged as real content")
def tagged_or_artifact(pdf: Any) -> Iterable[Violation]:
    """Everything painted is an artifact or tagged content that belongs to the structure tree.

    Tagged content whose structure element is missing from the tree (a
    running header WeasyPrint leaves detached, say) is neither.
    """
    parents = _parent_tree(pdf)
    attached = {element.objgen for element, _ in _elements(pdf)}
    pages = list(pdf.pages)
    untagged: set[int] = set()
    for number, kind, detail in _marked_content(pdf):
        if kind == "untagged" and number not in untagged:
            untagged.add(number)
            yield _violation(
                "7.1-3", f"'{detail}' paints outside tagged or artifact content", number
            )
        elif kind == "mcid":
            key = pages[number - 1].obj.get("/StructParents")
            mapping = parents.get(int(key)) if key is not None else None
            element = (
                mapping[detail]
                if isinstance(mapping, pikepdf.Array) and detail < len(mapping)
                else None
            )
            if not isinstance(element, pikepdf.Dictionary):
                yield _violation("7.1-3", f"MCID {detail} has no structure element", number)
            elif element.objgen not in attached:
                yield _violation(
                    "7.1-3",
                    f"MCID {detail} is tagged {_type(element)} but detached from the structure "
                    "tree (should it be an artifact?)",
                    number,
                )


# --- structure types -------------------------------------------------------------------


@rule("7.2-17", STANDARD, "LI elements are contained in an L element")
def list_items_in_lists(pdf: Any) -> Iterable[Violation]:
    """Every list item has a list for parent."""
    for element, parent in _elements(pdf):
        if _type(element) == "LI" and _type(parent) != "L":
            yield _violation("7.2-17", f"an LI is inside {_type(parent) or 'the root'}, not L")


@rule("7.2-18", STANDARD, "LBody elements are contained in an LI element")
def bodies_in_items(pdf: Any) -> Iterable[Violation]:
    """Every list body has a list item for parent."""
    for element, parent in _elements(pdf):
        if _type(element) == "LBody" and _type(parent) != "LI":
            yield _violation("7.2-18", f"an LBody is inside {_type(parent)}, not LI")


@rule("7.2-19", STANDARD, "L elements contain only L, LI and Caption elements")
def list_children(pdf: Any) -> Iterable[Violation]:
    """A list holds items (and nested lists, a caption), never content directly."""
    for element, _ in _elements(pdf):
        if _type(element) != "L":
            continue
        for kid in _kids(element):
            if not _is_element(kid):
                yield _violation("7.2-19", "an L holds content directly")
            elif _type(kid) not in ("L", "LI", "Caption"):
                yield _violation("7.2-19", f"an L holds a {_type(kid)} element")


@rule("7.2-20", STANDARD, "LI elements contain only Lbl and LBody elements")
def list_item_children(pdf: Any) -> Iterable[Violation]:
    """A list item holds its label and body, nothing else."""
    for element, _ in _elements(pdf):
        if _type(element) != "LI":
            continue
        for kid in _kids(element):
            if not _is_element(kid) or _type(kid) not in ("Lbl", "LBody"):
                what = _type(kid) if _is_element(kid) else "content"
                yield _violation("7.2-20", f"an LI holds {what}, not Lbl or LBody")


@rule("7.3-1", STANDARD, "Figure elements have alternate text (Alt or ActualText)")
def figures_have_alt(pdf: Any) -> Iterable[Violation]:
    """Every figure is described."""
    for element, _ in _elements(pdf):
        if _type(element) == "Figure" and not any(
            str(element.get(key, "")).strip() for key in ("/Alt", "/ActualText")
        ):
            yield _violation("7.3-1", "a Figure has no Alt text")


_HEADING = re.compile(r"^H([1-6])$")


@rule("7.4.2-1", STANDARD, "Headings start at H1 and never skip a level going down")
def heading_levels(pdf: Any) -> Iterable[Violation]:
    """Numbered headings nest: H1 first, then no jump from Hn to Hn+2 or more."""
    previous = 0
    for element, _ in _elements(pdf):
        match = _HEADING.match(_type(element))
        if not match:
            continue
        level = int(match.group(1))
        if previous == 0 and level != 1:
            yield _violation("7.4.2-1", f"the first heading is H{level}, not H1")
        elif level > previous + 1 and previous:
            yield _violation("7.4.2-1", f"H{level} follows H{previous}, skipping a level")
        previous = level


# --- annotations and forms -------------------------------------------------------------


def _fields(pdf: Any) -> Iterator[Any]:
    form = pdf.Root.get("/AcroForm")
    stack = list(form.get("/Fields", [])) if form is not None else []
    while stack:
        field = stack.pop()
        kids = [k for k in field.get("/Kids", []) if "/T" in k or "/Kids" in k]
        if kids:
            stack.extend(kids)
        else:
            yield field


@rule("7.18.1-3", STANDARD, "Form fields have a TU (tooltip) naming them")
def fields_have_tooltips(pdf: Any) -> Iterable[Violation]:
    """Every form field has a description a screen reader can announce."""
    for field in _fields(pdf):
        if not str(field.get("/TU", "")).strip() and not str(field.get("/Contents", "")).strip():
            name = str(field.get("/T", "?"))
            yield _violation("7.18.1-3", f"form field '{name}' has no TU")


@rule("7.18.3-1", STANDARD, "Pages with annotations have Tabs /S (structure order)")
def tab_order(pdf: Any) -> Iterable[Violation]:
    """Tabbing follows the structure on every page with annotations."""
    for number, page in enumerate(pdf.pages, start=1):
        if len(page.obj.get("/Annots", [])) and page.obj.get("/Tabs") != "/S":
            yield _violation("7.18.3-1", "a page with annotations has no /Tabs /S", number)


@rule("7.18.4-1", STANDARD, "Widget annotations are nested in a Form element")
def widgets_in_forms(pdf: Any) -> Iterable[Violation]:
    """Every form widget belongs to a Form structure element."""
    parents = _parent_tree(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Widget":
                continue
            key = annotation.get("/StructParent")
            element = parents.get(int(key)) if key is not None else None
            if not isinstance(element, pikepdf.Dictionary) or _type(element) != "Form":
                yield _violation("7.18.4-1", "a widget is not inside a Form element", number)


# --- fonts -----------------------------------------------------------------------------
