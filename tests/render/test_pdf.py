"""PDF rendering: sandbox fetcher, only bundled fonts, logo, text size, stable bytes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from acuprint.cli import app
from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project
from acuprint.render.html import render_html
from acuprint.render.pdf import SandboxFetcher, render_pdf
from acuprint.render.sandbox import BlockedFetch
from tests.conftest import build
from tests.tools import tool

Edit = Callable[[str, str, str], None]


def _render(project: Path) -> tuple[str, ...]:
    loaded = load_project(project)
    clinic = loaded.clinics["cedar-hollow"]
    composed = compose_handout(loaded, clinic, loaded.handouts["first-visit"], "en")
    return render_pdf(render_html(loaded, composed, standalone=False)).warnings


def test_symlink_out_of_the_project_is_blocked(tmp_path: Path) -> None:
    inside = tmp_path / "project" / "styles"
    inside.mkdir(parents=True)
    (tmp_path / "outside.css").write_text("body { color: red }")
    (inside / "link.css").symlink_to(tmp_path / "outside.css")
    fetcher = SandboxFetcher((inside.resolve(),))
    with pytest.raises(BlockedFetch, match="outside the project's folders"):
        fetcher.fetch((inside / "link.css").as_uri())
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_sample_handouts_render_without_warnings(project: Path) -> None:
    assert _render(project) == ()


# One standard English PDF of one clinic: enough where a test looks at one file.
ONE = {"clinics": ["cedar-hollow"], "langs": ["en"], "variants": ["standard"]}


def test_same_input_gives_identical_pdf_bytes_across_processes(project: Path) -> None:
    digests = []
    for run in ("a", "b"):
        out = project / f"out-{run}"
        command = ["build", "--project", str(project), "--out", str(out)]
        # One language (the one with the largest font subsets), both variants, PDF and HTML.
        command += ["--clinic", "cedar-hollow", "--handout", "first-visit", "--lang", "zh-Hans"]
        subprocess.run(
            [sys.executable, "-m", "acuprint", *command],
            check=True,
            capture_output=True,
        )
        digests.append(
            {p.name: p.read_bytes() for p in (out / "cedar-hollow").rglob("*") if p.is_file()}
            | {"manifest": (out / "manifest.json").read_bytes()}
        )
    assert digests[0] == digests[1]


def _pdf_fonts(path: Path) -> set[str]:
    listing = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True)
    return {row.split()[0].split("+", 1)[-1] for row in listing.stdout.splitlines()[2:]}


def test_system_fonts_are_never_used(project: Path) -> None:
    css = project / "clinics" / "cedar-hollow" / "clinic.css"
    # Naming a font that is not bundled is refused when the project is read,
    # with the file and line, before anything is rendered.
    css.write_text('.x { color: red }\nh2, p { font-family: "DejaVu Serif", serif; }\n')
    result = CliRunner().invoke(
        app, ["build", "--project", str(project), "--clinic", "cedar-hollow", "--no-proofs"]
    )
    assert result.exit_code == 2, result.output
    assert "clinic.css:2:" in result.stderr
    assert "font 'DejaVu Serif' is not bundled" in result.stderr
    assert not list((project / "out").rglob("*.pdf"))
    # Generic families pass that check; every one must still resolve to a
    # bundled face, never to one installed on the machine (DejaVu, Liberation...).
    generic = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")
    css.write_text(
        "".join(
            f"{tag} {{ font-family: {family}; }}\n"
            for tag, family in zip(("h1", "h2", "p", "li", "strong", "em"), generic, strict=True)
        )
    )
    report = build(project, handouts=["first-visit"], formats=("pdf",), **ONE)
    fonts = _pdf_fonts(report.out_dir / report.built[0].path)
    assert fonts and all(name.startswith(("Lato", "Roboto-Slab")) for name in fonts), fonts


def test_logo_prints_in_the_header_of_every_page(project: Path, tmp_path: Path) -> None:
    # A logo of one colour used nowhere else, so its pixels can be found.
    (project / "clinics" / "cedar-hollow" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
        '<rect width="10" height="10" fill="#ff00ff"/></svg>'
    )
    report = build(project, handouts=["back-pain"], formats=("pdf",), **ONE)
    pdf = report.out_dir / report.built[0].path
    subprocess.run(
        [tool("pdftoppm"), "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == report.built[0].pages
    for page in pages:
        with Image.open(page) as image:
            rgb = image.convert("RGB")
            header = rgb.crop((0, 0, rgb.width // 3, rgb.height // 8))
            magenta = sum(
                1 for r, g, b in header.get_flattened_data() if r > 200 and g < 60 and b > 200
            )
        assert magenta >= 20, f"no logo in the header of {page.name}"


def _text_sizes(pdf: Path, page: int) -> dict[str, float]:
    """The printed size of each run of text on a page, in points."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes[text.strip()] = size * scale

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return sizes


def test_body_text_is_at_least_11_points(project: Path) -> None:
    report = build(project, handouts=["back-pain"], formats=("pdf",), **ONE)
    sizes = _text_sizes(report.out_dir / report.built[0].path, 0)
    body = [size for text, size in sizes.items() if text.startswith("Keep up your other care")]
    assert body, sorted(sizes)[:20]
    assert min(body) >= 11 - 0.01  # 11pt, give or take rounding through CSS pixels
    # And smaller type is noticed: at 9pt the one-sheet text column runs to about
    # 95 characters a line, and the layout check refuses the PDF.
    sheet = project / "styles" / "sheet.css"
    sheet.write_text(sheet.read_text().replace("--font-size-body: 11pt", "--font-size-body: 9pt"))
    report = build(
        project, clinics=["cedar-hollow"], handouts=["back-pain"], langs=["en"], formats=("pdf",)
    )
    [failure] = report.failures
    assert "line length: running text has about" in failure


def test_workers_leave_no_fontconfig_folder_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from acuprint.render import pdf

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    for _ in range(2):  # two workers of the same project, each starting afresh
        pdf._private_fontconfig_file.cache_clear()
        pdf._private_font_configuration(tmp_path / "cache")
    pdf._private_fontconfig_file.cache_clear()
    assert list(temporary.iterdir()) == []
    assert (tmp_path / "cache" / "fontconfig" / "acuprint-fonts.conf").is_file()
