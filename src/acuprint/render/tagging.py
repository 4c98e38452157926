"""Finish the tag tree WeasyPrint writes, where HTML and CSS cannot say what PDF/UA needs.

WeasyPrint 70 builds a PDF's structure tree from the HTML boxes, and the
templates and stylesheets do most of the work (list markup, heading levels,
source order). Two things it cannot express:

- Running headers and footers (`position: running()`, the page-number
  margin box) are drawn as tagged content whose structure elements are left
  out of the tree: PDF 1.7 has no way to put an artifact in the tree.
  `finish_tags` rewrites that content as pagination artifacts, so screen
  readers skip it and every piece of content is either tagged or an artifact.
- It ignores `lang` attributes. During a render (`acuprint.private_api.
  languages_tagged(own_language)`), every structure element made from an
  element whose `lang` differs from the document's gets a /Lang entry
  (English citations in Spanish and Chinese handouts).

`finish_tags` also gives pages with form fields or links the tab order of
the structure (/Tabs /S).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pikepdf

_PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)


def own_language(box: Any) -> str | None:
    """The `lang` attribute of the box's own element (not of html or body)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    lang = element.get("lang")
    return str(lang) if lang else None


def finish_tags(data: bytes, *, drawn_fields: bool = False) -> bytes:
    """Make detached tagged content artifacts and set the tab order; return the new PDF.

    With `drawn_fields` (archive files), every form field also gets its
    appearance stream and the form stops asking viewers to draw them
    (PDF/A forbids NeedAppearances).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        form = root.get("/AcroForm")
        if drawn_fields and isinstance(form, pikepdf.Dictionary) and "/NeedAppearances" in form:
            pdf.generate_appearance_streams()  # qpdf draws each field, then clears the flag
            if "/NeedAppearances" in form:
                del form["/NeedAppearances"]
        elif "/StructTreeRoot" not in root:
            return data
        if "/StructTreeRoot" in root:
            _artifacts_and_tab_order(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _artifacts_and_tab_order(pdf: Any) -> None:
    root = pdf.Root
    attached = attached_elements(root.StructTreeRoot)
    parents = _parent_tree(root.StructTreeRoot)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        mapping = parents.get(int(key)) if key is not None else None
        if mapping is not None:
            detached = {
                mcid
                for mcid, element in enumerate(mapping)
                if isinstance(element, pikepdf.Dictionary) and element.objgen not in attached
            }
            if detached:
                _mark_as_artifacts(pdf, page, detached)
                for mcid in detached:
                    mapping[mcid] = pikepdf.Object.parse(b"null")
        if "/Annots" in page.obj and len(page.obj.Annots):
            page.obj.Tabs = pikepdf.Name.S


def attached_elements(tree_root: Any) -> set[tuple[int, int]]:
    """The object ids of every structure element reachable from the StructTreeRoot."""
    seen: set[tuple[int, int]] = set()
    stack = list(_kids(tree_root))
    while stack:
        element = stack.pop()
        if element.objgen in seen or element.get("/Type") in ("/MCR", "/OBJR"):
            continue
        seen.add(element.objgen)
        stack.extend(_kids(element))
    return seen


def _kids(element: Any) -> Iterator[Any]:
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            yield kid


def _parent_tree(tree_root: Any) -> dict[int, Any]:
    """StructParents key -> what the ParentTree maps it to (a page's array of elements)."""
    found: dict[int, Any] = {}
    stack = [tree_root.get("/ParentTree")]
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


def _mark_as_artifacts(pdf: Any, page: Any, mcids: set[int]) -> None:
    """Rewrite `/Tag <</MCID n>> BDC` as `/Artifact <</Type /Pagination>> BDC` for `mcids`."""
    operations = []
    changed = False
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = list(instruction.operands), instruction.operator
        if (
            operator == pikepdf.Operator("BDC")
            and len(operands) == 2
            and isinstance(operands[1], pikepdf.Dictionary)
            and int(operands[1].get("/MCID", -1)) in mcids
        ):
            operands = [pikepdf.Name.Artifact, _PAGINATION]
            changed = True
        operations.append(pikepdf.ContentStreamInstruction(operands, operator))
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
