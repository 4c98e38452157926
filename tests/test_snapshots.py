"""Visual snapshots: each sample handout's pages at low resolution against committed references.

A mismatch prints one short line per changed page and writes, for each, a
side-by-side image (reference | new | changed pixels in red) at a readable
size to tests/snapshots/_failures/. After an intended change, refresh
the references with `scripts/update-snapshots.sh` and review them in the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from acuprint.build.pipeline import BuildReport
from tests.conftest import REPO

SNAPSHOTS = REPO / "tests" / "snapshots"
FAILURES = SNAPSHOTS / "_failures"
DPI = 24
UPDATE = os.environ.get("ACUPRINT_UPDATE_SNAPSHOTS") == "1"
# A pixel "differs" when a channel moves by more than this; a page fails when
# more than this share of its pixels differ (anti-aliasing noise stays below).
CHANNEL_TOLERANCE = 24
PIXEL_SHARE = 0.002
# Failure images are enlarged to about 100 dpi, readable on a screen.
ZOOM = 4
GAP = 12

CASES = [
    "cedar-hollow/first-visit.en.pdf",
    "bayside-pain-care/first-visit.en.pdf",
    "marlowe-street/first-visit.en.pdf",
    "cedar-hollow/first-visit.zh-Hans.pdf",
    "cedar-hollow/brochure.en.tri-fold.pdf",
]


def _pages(pdf: Path) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            document[i].render(scale=DPI / 72).to_pil().convert("RGB") for i in range(len(document))
        ]
    finally:
        document.close()


def _diff(reference: Image.Image, page: Image.Image) -> tuple[float, Image.Image]:
    difference = ImageChops.difference(reference, page).convert("L")
    changed = difference.point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    share = sum(1 for v in changed.get_flattened_data() if v) / (page.width * page.height)
    highlight = Image.composite(
        Image.new("RGB", page.size, (230, 0, 0)), page.convert("L").convert("RGB"), changed
    )
    return share, highlight


def side_by_side(reference: Image.Image, page: Image.Image, highlight: Image.Image) -> Image.Image:
    """Reference | new | diff, enlarged, on a grey ground."""
    panels = [
        image.resize((image.width * ZOOM, image.height * ZOOM), Image.Resampling.LANCZOS)
        for image in (reference, page, highlight)
    ]
    width = sum(p.width for p in panels) + GAP * (len(panels) + 1)
    height = max(p.height for p in panels) + 2 * GAP
    sheet = Image.new("RGB", (width, height), (128, 128, 128))
    x = GAP
    for panel in panels:
        sheet.paste(panel, (x, GAP))
        x += panel.width + GAP
    return sheet


@pytest.mark.parametrize("case", CASES)
def test_pages_match_the_reference_images(sample_build: BuildReport, case: str) -> None:
    name = case.replace("/", "--").removesuffix(".pdf")
    pages = _pages(sample_build.out_dir / case)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        for old in SNAPSHOTS.glob(f"{name}-p*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(SNAPSHOTS / f"{name}-p{number:02d}.png", optimize=True)
        return
    references = sorted(SNAPSHOTS.glob(f"{name}-p*.png"))
    assert references, f"no reference images for {case}: run scripts/update-snapshots.sh"
    assert len(references) == len(pages), (
        f"{case} has {len(pages)} pages, the references {len(references)}: if intended, run "
        "scripts/update-snapshots.sh"
    )
    failed = []
    for reference_path, page in zip(references, pages, strict=True):
        with Image.open(reference_path) as reference:
            reference = reference.convert("RGB")
            if reference.size != page.size:
                # a short line, not an image: the page size itself changed
                failed.append(f"{reference_path.name}: size {page.size} != {reference.size}")
                continue
            share, highlight = _diff(reference, page)
        if share > PIXEL_SHARE:
            FAILURES.mkdir(parents=True, exist_ok=True)
            image = FAILURES / reference_path.name
            side_by_side(reference, page, highlight).save(image)
            failed.append(
                f"{reference_path.stem}: {share:.2%} changed -> {image.relative_to(REPO)}"
            )
    if failed:
        pytest.fail(
            "\n".join(
                [*failed, "(reference | new | diff; if intended: scripts/update-snapshots.sh)"]
            ),
            pytrace=False,
        )


def test_a_changed_page_is_caught_and_explained() -> None:
    page = Image.new("RGB", (100, 100), "white")
    moved = page.copy()
    moved.paste((0, 0, 0), (10, 10, 30, 30))
    share, highlight = _diff(page, moved)
    assert share == pytest.approx(0.04)
    assert highlight.getpixel((20, 20)) == (230, 0, 0)
    assert _diff(page, page.copy())[0] == 0


def test_a_failure_image_shows_reference_new_and_diff_at_readable_size() -> None:
    page = Image.new("RGB", (204, 264), "white")  # a Letter page at 24 dpi
    sheet = side_by_side(page, page, page)
    assert sheet.width == 3 * 204 * ZOOM + 4 * GAP
    assert sheet.height == 264 * ZOOM + 2 * GAP
