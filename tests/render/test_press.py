"""Press PDFs: no RGB anywhere, crop marks in registration colour outside the bleed, same bytes.

The RGB scan here is written independently of `render.press` and of the
conformance rules: it reads every object of the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Stream
from PIL import Image

from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import load_project
from acuprint.render.cmyk import ICC_PROFILE, press_css
from acuprint.render.html import render_html
from acuprint.render.pdf import render_pdf
from acuprint.render.press import SLUG_MM, finish_press_pdf
from acuprint.render.press_colour import PressColourError
from acuprint.render.stylesheets import brand_css
from tests.conftest import REPO, SampleBuild, build, sheets
from tests.tools import tool

MM = 72 / 25.4
RGB_NAMES = {"/DeviceRGB", "/RGB", "/CalRGB"}


def rgb_found(data: bytes) -> list[str]:
    """Every RGB colour operator, space, image, group or annotation colour in a PDF."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, Dictionary | Stream):
                found += [f"object {obj.objgen}: {what}" for what in _rgb_values(obj, depth=0)]
            if isinstance(obj, Stream) and _is_drawing(obj):
                found += [f"object {obj.objgen}: {op}" for op in _rgb_operators(obj)]
        for number, page in enumerate(pdf.pages, start=1):
            found += [f"page {number}: {op}" for op in _rgb_operators(page)]
    return found


def _is_drawing(stream: Stream) -> bool:
    return stream.get("/Subtype") == "/Form" or stream.get("/PatternType") == 1


def _rgb_operators(drawing: Any) -> list[str]:
    found = []
    for item in pikepdf.parse_content_stream(drawing):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            if str(item.iimage.obj.get("/ColorSpace")) in RGB_NAMES:
                found.append("inline RGB image")
            continue
        operator = str(item.operator)
        if operator in ("rg", "RG"):
            found.append(f"{operator} operator")
        if operator in ("cs", "CS") and str(item.operands[0]) in RGB_NAMES:
            found.append(f"{operator} {item.operands[0]}")
    return found


def _rgb_values(obj: Any, depth: int) -> list[str]:
    """RGB colour spaces (named, ICC-based with 3 components, Indexed over RGB) anywhere inside."""
    if depth > 6:
        return []
    found = []
    if isinstance(obj, Name) and str(obj) in RGB_NAMES:
        found.append(str(obj))
    elif isinstance(obj, Array):
        if len(obj) == 2 and obj[0] == Name.ICCBased and int(obj[1].get("/N", 0)) == 3:
            found.append("ICCBased RGB")
        for item in obj:
            if not (isinstance(item, Dictionary | Stream) and item.is_indirect):
                found += _rgb_values(item, depth + 1)
    elif isinstance(obj, Dictionary | Stream):
        if obj.get("/Type") == "/Annot":
            found += [f"annotation {k}" for k in ("/C", "/IC") if len(obj.get(k, [])) == 3]
        for key, value in obj.items():
            if key in ("/Parent", "/P", "/Pg", "/K", "/ParentTree"):
                continue
            if not (isinstance(value, Dictionary | Stream) and value.is_indirect):
                found += _rgb_values(value, depth + 1)
    return found


def _press(root: Path, out: Path, workers: int = 1) -> dict[str, bytes]:
    report = build(
        root,
        out,
        clinics=["cedar-hollow"],
        handouts=["first-visit"],
        formats=("pdf",),
        profile="press",
        workers=workers,
    )
    assert not report.failures, report.failures
    return {e.path: (report.out_dir / e.path).read_bytes() for e in report.entries}


@pytest.fixture(scope="module")
def press_files(sample_builds: SampleBuild) -> dict[str, bytes]:
    """cedar-hollow's first-visit press PDFs (en, es, zh-Hans), from the run's shared build."""
    report = sample_builds(
        clinics=["cedar-hollow"], handouts=["first-visit"], formats=("pdf",), profile="press"
    )
    return {e.path: (report.out_dir / e.path).read_bytes() for e in sheets(report.entries)}


def test_press_files_contain_no_rgb(press_files: dict[str, bytes]) -> None:
    assert len(press_files) == 3
    for path, data in press_files.items():
        assert rgb_found(data) == [], path


def test_weasyprint_alone_leaves_rgb_that_finishing_removes(tmp_path: Path) -> None:
    """What the finishing step is for: the logo, QR code and marks come out of WeasyPrint in RGB."""
    project = load_project(REPO)
    composed = compose_handout(
        project,
        project.clinics["cedar-hollow"],
        project.handouts["first-visit"],
        "en",
    )
    document = render_html(project, composed, standalone=False, print_profile="press")
    raw = render_pdf(document, "press").data
    before = rgb_found(raw)
    assert len(before) >= 10  # logo fills, QR code, page background of the QR
    finished = finish_press_pdf(raw, REPO / "styles" / ICC_PROFILE)
    assert rgb_found(finished) == []
    assert finish_press_pdf(raw, REPO / "styles" / ICC_PROFILE) == finished  # deterministic


def test_press_files_are_byte_identical_whatever_jobs(
    press_files: dict[str, bytes], tmp_path: Path
) -> None:
    # The shared build used a worker per core; this one renders everything in one.
    one = _press(REPO, tmp_path / "one", workers=1)
    assert {path: data for path, data in one.items() if ".large-print." not in path} == press_files


def test_output_intent_holds_the_committed_icc_profile(press_files: dict[str, bytes]) -> None:
    committed = (REPO / "styles" / ICC_PROFILE).read_bytes()
    for data in press_files.values():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            [intent] = pdf.Root.OutputIntents
            assert intent.DestOutputProfile.read_bytes() == committed


def test_crop_marks_are_registration_colour_outside_the_bleed(
    press_files: dict[str, bytes],
) -> None:
    data = press_files["cedar-hollow/first-visit.en.press.pdf"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert media[0] == pytest.approx(trim[0] - SLUG_MM * MM)
            assert bleed[0] == pytest.approx(trim[0] - 3 * MM)
            spaces = page.obj.Resources.ColorSpace
            registration = [
                n for n, s in spaces.items() if isinstance(s, Array) and s[0] == "/Separation"
            ]
            assert [str(spaces[registration[0]][1])] == ["/All"]
            points, stroking_in_all = [], False
            for item in pikepdf.parse_content_stream(page):
                operator = (
                    str(item.operator)
                    if not isinstance(item, pikepdf.ContentStreamInlineImage)
                    else ""
                )
                if operator == "CS":
                    stroking_in_all = item.operands[0] == registration[0]
                elif operator in ("m", "l") and stroking_in_all:
                    points.append([float(v) for v in item.operands])
            assert len(points) == 16  # 8 marks: two at each corner
            for x, y in points:
                outside = x <= bleed[0] or x >= bleed[2] or y <= bleed[1] or y >= bleed[3]
                assert outside, (x, y)


def test_raster_logo_is_converted_to_cmyk(project: Path, tmp_path: Path) -> None:
    clinic = project / "clinics" / "cedar-hollow"
    Image.new("RGB", (600, 600), (47, 107, 79)).save(clinic / "logo.png")
    toml = clinic / "clinic.toml"
    toml.write_text(toml.read_text().replace('logo = "logo.svg"', 'logo = "logo.png"'))
    files = _press(project, tmp_path / "out")
    for path, data in files.items():
        assert rgb_found(data) == [], path
        with pikepdf.open(io.BytesIO(data)) as pdf:
            images = [
                o for o in pdf.objects if isinstance(o, Stream) and o.get("/Subtype") == "/Image"
            ]
            colour = [
                i for i in images if i.get("/ColorSpace") is not None and i.get("/Width") == 600
            ]
            assert colour and all(i.ColorSpace == Name.DeviceCMYK for i in colour)


def test_an_unconvertible_rgb_image_stops_the_build_with_a_clear_message() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.contents_add(
        Stream(pdf, b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q")
    )
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(PressColourError, match="page 1: an inline RGB image cannot be converted"):
        finish_press_pdf(out.getvalue(), REPO / "styles" / ICC_PROFILE)


def test_page_number_colour_comes_from_the_design_tokens(edit: Any, project: Path) -> None:
    edit("styles/tokens.css", "--color-muted: #4a5560;", "--color-muted: #c0392b;")
    loaded = load_project(project)
    profile = loaded.clinics["cedar-hollow"].profile
    assert "color: #c0392b;" in brand_css(loaded, profile, "en")
    tokens = (project / "styles" / "tokens.css").read_text()
    press = press_css(project / "styles", profile, tokens)
    assert "@bottom-right { color: device-cmyk(" in press
    assert (
        press_css(REPO / "styles", profile, (REPO / "styles" / "tokens.css").read_text()) != press
    )
    # print.css comes later in the cascade: it must not pin a colour of its own.
    assert "#4a5560" not in (project / "styles" / "print.css").read_text()


def test_form_fields_are_drawn_into_press_pages(tmp_path: Path) -> None:
    """PDF/X lets no annotation print on the art: --forms fields become page content."""
    report = build(
        REPO,
        tmp_path,
        clinics=["marlowe-street"],
        handouts=["first-visit"],
        formats=("pdf",),
        profile="press",
        forms=True,
        workers=1,
    )
    assert not report.failures, report.failures
    [entry] = sheets(report.entries)
    data = (report.out_dir / entry.path).read_bytes()
    assert rgb_found(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/AcroForm" not in pdf.Root
        widgets = [
            a
            for page in pdf.pages
            for a in page.obj.get("/Annots", Array())
            if a.get("/Subtype") == "/Widget"
        ]
        assert widgets == []


def _cmyk_fills(data: bytes) -> set[tuple[float, ...]]:
    """Every four-component fill or stroke colour the pages set (k, K, sc, scn...)."""
    found: set[tuple[float, ...]] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("k", "K", "sc", "SC", "scn", "SCN") and len(operands) == 4:
                    found.add(tuple(round(float(v), 2) for v in operands))
    return found


def test_a_clinics_alert_colour_reaches_its_press_pdf(project: Path, tmp_path: Path) -> None:
    from PIL import ImageCms

    toml = project / "clinics" / "cedar-hollow" / "clinic.toml"
    toml.write_text(
        toml.read_text().replace('text = "#1e2a24"', 'text = "#1e2a24"\nalert = "#6a1b9a"')
    )
    report = build(
        project,
        tmp_path / "out",
        clinics=["cedar-hollow"],
        handouts=["first-visit"],
        langs=["en"],
        formats=("pdf",),
        profile="press",
        proofs=False,
    )
    assert not report.failures, report.failures
    (entry,) = sheets(report.entries)
    # The expected ink, computed with LittleCMS directly (not acuprint's converter).
    rgb = ImageCms.createProfile("sRGB")
    cmyk = ImageCms.getOpenProfile(str(REPO / "styles" / ICC_PROFILE))

    def ink(colour: tuple[int, int, int]) -> tuple[float, ...]:
        pixel = Image.new("RGB", (1, 1), colour)
        converted = ImageCms.profileToProfile(pixel, rgb, cmyk, outputMode="CMYK")
        return tuple(round(v / 255, 2) for v in converted.getpixel((0, 0)))

    def drawn(expected: tuple[float, ...]) -> bool:
        return any(max(abs(a - b) for a, b in zip(f, expected, strict=True)) <= 0.02 for f in fills)

    fills = _cmyk_fills((report.out_dir / entry.path).read_bytes())
    assert drawn(ink((0x6A, 0x1B, 0x9A))), sorted(fills)
    assert not drawn(ink((0xA4, 0x16, 0x1A))), "the default alert red is still drawn"


def _separations(data: bytes, folder: Path, dpi: int, first_page_only: bool = False) -> list[Any]:
    """Ghostscript's plates of each page: {Cyan, Magenta, Yellow, Black} ink 0..1, and the file."""
    import subprocess

    import numpy as np

    pdf_path = folder / "file.pdf"
    pdf_path.write_bytes(data)
    pages = ["-dFirstPage=1", "-dLastPage=1"] if first_page_only else []
    command = [tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffsep", f"-r{dpi}"]
    subprocess.run([*command, *pages, f"-sOutputFile={folder}/p%d.tif", str(pdf_path)], check=True)
    plates = []
    for number in range(1, len(list(folder.glob("p*(Black).tif"))) + 1):
        plates.append(
            {
                ink: (255 - np.asarray(Image.open(folder / f"p{number}({ink}).tif"), float)) / 255
                for ink in ("Cyan", "Magenta", "Yellow", "Black")
            }
        )
    return plates


def test_press_ink_is_at_most_300_percent_inside_the_bleed(
    press_files: dict[str, bytes], tmp_path: Path
) -> None:
    import numpy as np

    for number, (path, data) in enumerate(sorted(press_files.items())):
        folder = tmp_path / str(number)
        folder.mkdir()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            media = [float(v) for v in pdf.pages[0].MediaBox]
            bleed = [float(v) for v in pdf.pages[0].obj.BleedBox]
        scale, inset = 50 / 72, 2  # crop marks start at the bleed: stay a pixel or two inside
        for page, plates in enumerate(_separations(data, folder, 50), start=1):
            height = plates["Black"].shape[0]
            left, right = round((bleed[0] - media[0]) * scale), round((bleed[2] - media[0]) * scale)
            top, bottom = (round(height - (bleed[i] - media[1]) * scale) for i in (3, 1))
            area = (slice(top + inset, bottom - inset), slice(left + inset, right - inset))
            total = sum(plate[area] for plate in plates.values())
            assert total.max() <= 3.0 + 0.02, f"{path} page {page}: {total.max():.0%} ink"
            # The bleed strip left of the page holds ink a press can print, or none at all
            # (not a 1 % tint, below the smallest dot, that vanishes or prints unevenly).
            strip = (slice(top + inset, bottom - inset), slice(left + inset, left + inset + 2))
            for ink, plate in plates.items():
                level = float(np.median(plate[strip]))
                assert level == 0 or level >= 0.02, f"{path} page {page}: {ink} {level:.1%}"


def test_press_body_text_and_the_qr_code_print_on_the_black_plate_alone(
    press_files: dict[str, bytes], tmp_path: Path
) -> None:
    import subprocess

    import numpy as np

    data = press_files["cedar-hollow/first-visit.en.press.pdf"]
    (plates,) = _separations(data, tmp_path, 150, first_page_only=True)
    dark = plates["Black"] > 0.6  # body text, rules, the QR code (brand colours carry less K)
    colour = np.maximum.reduce([plates["Cyan"], plates["Magenta"], plates["Yellow"]])
    assert dark.sum() > 10_000
    assert (colour[dark] > 0.05).mean() < 0.01  # anti-aliased edges of coloured neighbours
    # The QR code reads from the black plate alone (zbar), and not from the cyan one.
    read = [tool("zbarimg"), "-q", "--raw"]
    black = subprocess.run([*read, str(tmp_path / "p1(Black).tif")], capture_output=True, text=True)
    assert black.stdout.strip() == "https://cedarhollow.example.com/book"
    cyan = subprocess.run([*read, str(tmp_path / "p1(Cyan).tif")], capture_output=True, text=True)
    assert cyan.stdout.strip() == ""
