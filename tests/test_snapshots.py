"""Visual snapshots: each sample handout's pages at low resolution against committed references.

A mismatch writes the new page and a diff image (changed pixels in red) to
tests/snapshots/_failures/ and names them. After an intended change, refresh
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
                failed.append(f"{reference_path.name}: size {page.size} != {reference.size}")
                continue
            share, highlight = _diff(reference, page)
        if share > PIXEL_SHARE:
            FAILURES.mkdir(parents=True, exist_ok=True)
            new = FAILURES / reference_path.name.replace(".png", ".new.png")
            diff = FAILURES / reference_path.name.replace(".png", ".diff.png")
            page.save(new)
            highlight.save(diff)
            failed.append(
                f"{reference_path.name}: {share:.2%} of pixels changed; see "
                f"{new.relative_to(REPO)} and {diff.relative_to(REPO)}"
            )
    assert not failed, "pages changed (if intended, run scripts/update-snapshots.sh):\n" + (
        "\n".join(failed)
    )


def test_a_changed_page_is_caught_and_explained() -> None:
    page = Image.new("RGB", (100, 100), "white")
    moved = page.copy()
    moved.paste((0, 0, 0), (10, 10, 30, 30))
    share, highlight = _diff(page, moved)
    assert share == pytest.approx(0.04)
    assert highlight.getpixel((20, 20)) == (230, 0, 0)
    assert _diff(page, page.copy())[0] == 0
