"""Chinese prints the same in poppler, Ghostscript and MuPDF, in every print profile.

A font that only one renderer accepts (as the CID-keyed Noto subset was:
boxes in Ghostscript, nothing in MuPDF) fails here: the three must extract
the same Chinese text, draw it without glyph errors, and put about the same
ink in the same places.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from tests.conftest import SampleBuild, sheets
from tests.tools import tool

DPI = 72
MAX_MISMATCH = 0.05  # of inked pixels; a glyph drawn as a box or not at all gives 0.18 to 0.72
# Press text is black-plate only (K 85 %): Ghostscript draws that grey through the output
# intent, poppler and MuPDF without it, so edges differ a little more; still far below a box.
MAX_MISMATCH_PRESS = 0.08
HAN = re.compile(r"[\u3400-\u9fff]")
# Both sides of the one-sheet handout: the title side, and the side that ends
# with the English references.
PAGES = (1, 2)


def _byte_swapped_latin(char: str) -> bool:
    """A Latin letter Ghostscript's txtwrite decoded byte-swapped into the CJK range.

    The references are English and use Lato's ligatures, whose two-letter
    Unicode mappings txtwrite reads byte-swapped ("ti" as U+7400 U+6900).
    """
    code = ord(char)
    return code & 0xFF == 0 and "a" <= chr(code >> 8) <= "z"


@pytest.fixture(scope="module")
def zh_pdfs(sample_builds: SampleBuild) -> dict[str, Path]:
    """cedar-hollow's first-visit handout in Chinese, once per print profile."""
    found = {}
    for profile in ("office", "press", "archive"):
        report = sample_builds(
            clinics=["cedar-hollow"], handouts=["first-visit"], formats=("pdf",), profile=profile
        )
        [path] = [report.out_dir / e.path for e in sheets(report.entries) if ".zh-Hans." in e.path]
        found[profile] = path
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120)


def _text(pdf: Path, page: int) -> dict[str, str]:
    """The page's Han characters, in order, as each renderer extracts them."""
    first_last = (f"-dFirstPage={page}", f"-dLastPage={page}")
    extracted = {
        "poppler": _run(tool("pdftotext"), "-f", str(page), "-l", str(page), str(pdf), "-").stdout,
        "ghostscript": _run(
            tool("gs"),
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=txtwrite",
            *first_last,
            "-sOutputFile=-",
            str(pdf),
        ).stdout,
        "mupdf": _run(
            tool("mutool"), "draw", "-q", "-F", "txt", "-o", "-", str(pdf), str(page)
        ).stdout,
    }
    return {name: "".join(HAN.findall(text)) for name, text in extracted.items()}


def _images(pdf: Path, page: int, folder: Path) -> dict[str, tuple[Image.Image, str]]:
    """The page drawn by each renderer (grayscale), and what each logged."""
    poppler = folder / "poppler"
    logs = {
        "poppler": _run(
            tool("pdftoppm"),
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-gray",
            "-singlefile",
            "-png",
            str(pdf),
            str(poppler),
        ).stderr,
        "ghostscript": _run(
            tool("gs"),
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pnggray",
            f"-r{DPI}",
            "-dTextAlphaBits=4",
            "-dGraphicsAlphaBits=4",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            f"-sOutputFile={folder / 'ghostscript.png'}",
            str(pdf),
        ).stderr,
        "mupdf": _run(
            tool("mutool"),
            "draw",
            "-r",
            str(DPI),
            "-c",
            "gray",
            "-o",
            str(folder / "mupdf.png"),
            str(pdf),
            str(page),
        ).stderr,
    }
    return {
        name: (Image.open(folder / f"{name}.png").convert("L"), log) for name, log in logs.items()
    }


def _ink(image: Image.Image) -> float:
    """Mean darkness, 0 (white) to 1 (black)."""
    return 1 - ImageStat.Stat(image).mean[0] / 255


def _mismatch(image: Image.Image, reference: Image.Image) -> float:
    """The share of inked pixels (in either image) that are clearly lighter or darker in the other.

    A slight blur first, so anti-aliasing and hinting differences do not count.
    """
    a, b = (i.filter(ImageFilter.GaussianBlur(1)) for i in (image, reference))
    inked = ImageChops.darker(a, b).point(lambda v: 255 if v < 200 else 0).convert("1")
    differs = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0).convert("1")
    both = ImageChops.logical_and(inked, differs)
    return both.histogram()[-1] / max(inked.histogram()[-1], 1)


@pytest.mark.parametrize("profile", ["office", "press", "archive"])
@pytest.mark.parametrize("page", PAGES)
def test_every_renderer_extracts_the_same_chinese_text(
    zh_pdfs: dict[str, Path], profile: str, page: int
) -> None:
    text = _text(zh_pdfs[profile], page)
    assert len(text["poppler"]) > 50, text
    if page == 1:
        assert "您的第一次针灸" in text["poppler"]
    # The same characters, each as often: the order differs, since the renderers
    # read the sheet layout's side-by-side columns and margin headings in
    # different orders. Missing or wrongly mapped glyphs still change the counts.
    expected = Counter(text["poppler"])
    assert Counter(text["mupdf"]) == expected, _differences(Counter(text["mupdf"]), expected)
    # Ghostscript may only add the byte-swapped letters of the English references.
    ghostscript = Counter(text["ghostscript"])
    assert not expected - ghostscript, _differences(ghostscript, expected)
    extra = ghostscript - expected
    assert all(_byte_swapped_latin(c) for c in extra), _differences(ghostscript, expected)


def _differences(found: Counter[str], expected: Counter[str]) -> str:
    return f"extra {dict(found - expected)}, missing {dict(expected - found)}"


@pytest.mark.parametrize("profile", ["office", "press", "archive"])
@pytest.mark.parametrize("page", PAGES)
def test_every_renderer_draws_the_chinese_text_alike(
    zh_pdfs: dict[str, Path], profile: str, page: int, tmp_path: Path
) -> None:
    drawn = _images(zh_pdfs[profile], page, tmp_path)
    for name, (_, log) in drawn.items():
        # MuPDF: "cannot render glyph"; Ghostscript: "FT_Load_Glyph ... invalid argument".
        assert not re.search(r"glyph", log, re.I), f"{name}: {log}"
    reference, _ = drawn["poppler"]
    for name in ("ghostscript", "mupdf"):
        image, _ = drawn[name]
        assert image.size == reference.size, name
        # Missing glyphs remove ink (Ghostscript's strokes are a little heavier).
        tolerance = 0.25 if profile == "press" else 0.15  # the press grey, as above
        assert _ink(image) == pytest.approx(_ink(reference), rel=tolerance), name
        # The same ink in the same places: boxes for glyphs are different shapes.
        mismatch = _mismatch(image, reference)
        limit = MAX_MISMATCH_PRESS if profile == "press" else MAX_MISMATCH
        assert mismatch < limit, f"{name} differs from poppler on {mismatch:.1%} of the ink"
