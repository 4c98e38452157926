"""Where things landed: headings, modules, boxes and lines of text on each page of a laid-out PDF.

Read from WeasyPrint's page boxes right after layout (the positions the PDF
is drawn from), so layout rules (checks/layout.py) and the page budget can be
checked on the finished pages, not only hoped for in CSS.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from acuprint.checks.page_layout import (
    PX_PER_MM as PX_PER_MM,
)
from acuprint.checks.page_layout import (
    DocumentLayout,
    Line,
    PageLayout,
    Placed,
)
from acuprint.private_api import page_box, placed_box

_KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "blockquote": "callout"}


def summarize(document: Any) -> DocumentLayout:
    """The layout of a rendered WeasyPrint document."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        box = page_box(page)
        top = box.margin_top
        bottom = box.height - box.margin_bottom
        layout = PageLayout(number, top, bottom)
        html = box.children[0] if box.children else None
        if html is not None:
            _walk(html, layout, module="", in_block="")
        pages.append(layout)
    return DocumentLayout(pages)


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    value = element.get("class") if element is not None and hasattr(element, "get") else None
    return value.split() if value else []


def _text(box: Any) -> str:
    return "".join(_texts(box)).strip()


def _element_text(element: Any) -> str:
    itertext = getattr(element, "itertext", None)
    return " ".join("".join(itertext()).split()) if itertext else ""


def _texts(box: Any) -> Iterator[str]:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        yield text
    for child in getattr(box, "children", None) or ():
        yield from _texts(child)


def _walk(box: Any, layout: PageLayout, module: str, in_block: str) -> None:
    tag = getattr(box, "element_tag", None)
    classes = _classes(box)
    kind_name = type(box).__name__
    element = getattr(box, "element", None)
    # An element can be split into nested anonymous boxes: count it once a page.
    is_element_start = (
        kind_name not in ("LineBox", "TextBox", "InlineBox", "AbsolutePlaceholder")
        and tag is not None
        and id(element) not in layout.seen
    )
    if is_element_start:
        layout.seen.add(id(element))
    if is_element_start and "module" in classes and tag == "section":
        element = box.element
        module = element.get("id") or ""
        layout.placed.append(_placed(box, "module", module, layout.number, module))
    elif is_element_start and tag in ("h2", "h3") and "Block" in kind_name:
        layout.placed.append(_placed(box, "heading", _text(box)[:80], layout.number, module))
        in_block = "heading"
    elif is_element_start and tag in _KINDS and "Block" in kind_name:
        kind = _KINDS[tag]
        layout.placed.append(_placed(box, kind, _text(box)[:80], layout.number, module))
        in_block = in_block or kind
    elif is_element_start and tag in ("ul", "ol") and "Block" in kind_name:
        kind = "checklist" if "contains-task-list" in classes else "list"
        # Named by its first words, the same on every page it reaches: a module's
        # checklists (a form in groups) are told apart, and each never splits.
        name = _element_text(box.element)[:60] if kind == "checklist" else ""
        layout.placed.append(_placed(box, kind, name, layout.number, module))
        in_block = in_block or kind
    elif is_element_start and tag == "li" and "task-list-item" in classes and "Block" in kind_name:
        layout.placed.append(_task(box, layout.number, module))
    elif is_element_start and tag == "p" and "Block" in kind_name and not in_block and module:
        layout.placed.append(_placed(box, "paragraph", "", layout.number, module))
    if kind_name == "LineBox":
        text = _text(box)
        if text:
            size = float(box.style["font_size"])
            if module:
                running = not in_block and box.element_tag == "p"
                layout.lines.append(Line(module, len(text), size, running))
            end = box.position_y + box.margin_height()
            layout.last_line_bottom = max(layout.last_line_bottom, end)
        return
    if kind_name == "AbsolutePlaceholder":  # a positioned box: walk the box itself
        _walk(placed_box(box), layout, module, in_block)
        return
    for child in getattr(box, "children", None) or ():
        _walk(child, layout, module, in_block)


def _placed(box: Any, kind: str, name: str, page: int, module: str) -> Placed:
    return Placed(
        kind,
        name,
        page,
        float(box.position_y),
        float(box.position_y + box.margin_height()),
        float(box.position_x),
        float(box.position_x + box.margin_width()),
        float(box.style["font_size"]),
        module,
    )


def _task(box: Any, page: int, module: str) -> Placed:
    """A tick-box item: where its box ends and where its text begins."""
    tick_right: float | None = None
    text_left: float | None = None
    for child in _descendants(box):
        name = type(child).__name__
        if getattr(child, "element_tag", None) == "input" and tick_right is None:
            tick_right = float(child.position_x + child.margin_width())
        elif name == "TextBox" and text_left is None and child.text.strip():
            text_left = float(child.position_x)
    placed = _placed(box, "task", "", page, module)
    return Placed(
        placed.kind,
        placed.name,
        page,
        placed.top,
        placed.bottom,
        placed.left,
        tick_right if tick_right is not None else placed.left,
        placed.font_size,
        module,
        text_left,
    )


def _descendants(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", None) or ():
        yield child
        yield from _descendants(child)
