"""Visual snapshots of a project's own clinics: page images compared with references.

`acuprint snapshot` builds the chosen PDFs, renders each page small, and
compares it with the reference image of the same name in the snapshot folder;
a page that changed gets a side-by-side image (reference | new | diff) next
to it. `--update` makes the new pages the references.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from acuprint.build.pipeline import build
from acuprint.build.settings import BuildSettings

DPI = 24
CHANNEL_TOLERANCE = 24  # a pixel differs when a channel moves by more than this
PIXEL_SHARE = 0.002  # a page changed when more than this share of its pixels differ
ZOOM = 4
FAILURES = "_failures"


@dataclass(frozen=True)
class PageResult:
    """One page against its reference: 'same', 'changed', 'new' or 'written'."""

    name: str
    status: str
    share: float = 0.0
    image: Path | None = None


def snapshot(root: Path, folder: Path, settings: BuildSettings, update: bool) -> list[PageResult]:
    """Build the selected PDFs and compare (or, with `update`, store) every page."""
    with tempfile.TemporaryDirectory(prefix="acuprint-snapshot-") as temp:
        chosen = replace(settings, out_dir=Path(temp), formats=("pdf",), proofs=False, force=True)
        report = build(root, chosen)
        if report.failures:
            raise RuntimeError("; ".join(report.failures))
        results = []
        for entry in report.built:
            stem = entry.path.removesuffix(".pdf").replace("/", "--")
            pages = _pages(report.out_dir / entry.path)
            for number, page in enumerate(pages, start=1):
                results.append(_compare(folder, f"{stem}-p{number:02d}", page, update))
        return results


def _pages(pdf: Path) -> list[object]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            document[i].render(scale=DPI / 72).to_pil().convert("RGB") for i in range(len(document))
        ]
    finally:
        document.close()


def _compare(folder: Path, name: str, page: object, update: bool) -> PageResult:
    from PIL import Image, ImageChops

    assert isinstance(page, Image.Image)
    reference_path = folder / f"{name}.png"
    if update or not reference_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        page.save(reference_path, optimize=True)
        return PageResult(name, "written" if update else "new")
    with Image.open(reference_path) as stored:
        reference = stored.convert("RGB")
    if reference.size != page.size:
        return PageResult(name, "changed", 1.0)
    changed = (
        ImageChops.difference(reference, page)
        .convert("L")
        .point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    )
    share = sum(1 for v in changed.get_flattened_data() if v) / (page.width * page.height)
    if share <= PIXEL_SHARE:
        return PageResult(name, "same", share)
    highlight = Image.composite(
        Image.new("RGB", page.size, (230, 0, 0)), page.convert("L").convert("RGB"), changed
    )
    panels = [im.resize((im.width * ZOOM, im.height * ZOOM)) for im in (reference, page, highlight)]
    sheet = Image.new("RGB", (sum(p.width for p in panels) + 48, panels[0].height + 24), "grey")
    x = 12
    for panel in panels:
        sheet.paste(panel, (x, 12))
        x += panel.width + 12
    image = folder / FAILURES / f"{name}.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(image)
    return PageResult(name, "changed", share, image)
