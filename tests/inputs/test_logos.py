"""Logos are checked once at load: bounded, loading nothing, the same safe copy in both outputs."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app
from acuprint.inputs.logos import LogoProblem, check_logo

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' viewBox="0 0 10 10">{}</svg>'
)


def _svg(body: str) -> bytes:
    return SVG.format(body).encode()


def _nested_use(levels: int, fan: int) -> bytes:
    parts = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#l{level - 1}"/>' for _ in range(fan))
        parts.append(f'<g id="l{level}">{uses}</g>')
    return _svg("".join(parts))


def _png(width: int, height: int, data: bytes | None = None) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: (  # noqa: E731
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    )
    pixels = data if data is not None else zlib.compress(b"\0" + b"\0\0\0" * width)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


REFUSED = {
    "entities": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
    "nested use": _nested_use(8, 10),
    "external image": _svg('<image href="http://127.0.0.1:9/p.png" width="5" height="5"/>'),
    "xlink file": _svg('<image xlink:href="file:///etc/passwd" width="5" height="5"/>'),
    "style font": _svg('<style>@font-face{font-family:"Lato";src:url(evil.ttf)}</style>'),
    "style import": _svg('<style>@import "http://127.0.0.1:9/x.css";</style>'),
    "style escaped": _svg("<style>@\\66ont-face{font-family:Lato;src:url(e.ttf)}</style>"),
    "style url": _svg("<style>.a{fill:url(http://127.0.0.1:9/p.svg)}</style>"),
    "attribute url": _svg('<rect fill="url(http://127.0.0.1:9/#x)" width="1" height="1"/>'),
    "script": _svg("<script>alert(1)</script>"),
    "event": _svg('<rect onload="alert(1)" width="1" height="1"/>'),
    "foreign object": _svg("<foreignObject><p>x</p></foreignObject>"),
    "many elements": _svg("<rect/>" * 25_000),
    "deep groups": _svg("<g>" * 5000 + "</g>" * 5000),
    "deep style": _svg("<style>" + ".a{" * 5000 + "}" * 5000 + "</style>"),
    "not svg": b"<html></html>",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_svg_logos_are_refused(name: str) -> None:
    assert isinstance(check_logo(REFUSED[name], ".svg"), LogoProblem)


def test_deep_nesting_in_a_logo_is_named_as_such() -> None:
    deep = {name: check_logo(REFUSED[name], ".svg") for name in ("deep groups", "deep style")}
    assert "nests its elements more than 40 levels deep" in deep["deep groups"].message  # type: ignore[union-attr]
    assert "nests the rules of its <style>" in deep["deep style"].message  # type: ignore[union-attr]


def test_a_plain_svg_passes_and_keeps_its_drawing() -> None:
    logo = _svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs>'
        '<style>.a{fill:#2f6b4f}</style><rect class="a" width="5" height="5" fill="url(#g)"/>'
        '<use href="#g"/>'
    )
    checked = check_logo(logo, ".svg")
    assert isinstance(checked, bytes)
    assert b"linearGradient" in checked and b"#2f6b4f" in checked


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_png(12_000, 12_000), "too many"),
        (_png(10, 10)[:-20], "damaged"),
        (_png(4, 1, data=b"not zlib"), "damaged"),
        (b"\x89PNG\r\n\x1a\n", "not a PNG"),
    ],
)
def test_huge_or_broken_png_logos_are_refused_before_decoding(data: bytes, words: str) -> None:
    refused = check_logo(data, ".png")
    assert isinstance(refused, LogoProblem) and words in refused.message


def test_damaged_pngs_are_refused_even_after_weasyprint_is_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what `import weasyprint` does
    for data in (_png(10, 10)[:-20], _png(4, 1, data=b"not zlib")):
        refused = check_logo(data, ".png")
        assert isinstance(refused, LogoProblem) and "damaged" in refused.message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the flag is put back for WeasyPrint


def test_a_small_png_passes_unchanged() -> None:
    logo = _png(1, 1)
    assert check_logo(logo, ".png") == logo


def _inside(picture: bytes, mime: str = "image/svg+xml", *, base64: bool = True) -> bytes:
    """An SVG logo that draws `picture` through a data: URL in an <image>."""
    import base64 as b64
    from urllib.parse import quote

    data = f";base64,{b64.b64encode(picture).decode()}" if base64 else f",{quote(picture)}"
    return _svg(f'<image href="data:{mime}{data}" width="5" height="5"/>')


NESTED = {
    "svg with entities": _inside(REFUSED["entities"]),
    "svg use-bomb": _inside(_nested_use(8, 10)),
    "svg with an http image": _inside(REFUSED["external image"], base64=False),
    "svg, upper-case scheme": _inside(_svg("<rect/>")).replace(b"data:", b"DATA:"),
    "svg, harmless but an svg": _inside(_svg('<rect width="1" height="1"/>')),
    "png pixel bomb": _inside(_png(12_000, 12_000), "image/png"),
    "damaged png": _inside(_png(4, 1, data=b"not zlib"), "image/png"),
    "not base64": _svg('<image href="data:image/png;base64,@@@" width="5" height="5"/>'),
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_a_picture_nested_in_a_logo_is_checked_like_a_logo(name: str) -> None:
    refused = check_logo(NESTED[name], ".svg")
    assert isinstance(refused, LogoProblem), name
    assert "embeds a picture" in refused.message and refused.fix


def test_a_small_png_nested_in_a_logo_passes() -> None:
    assert isinstance(check_logo(_inside(_png(2, 2), "image/png"), ".svg"), bytes)


def test_a_refused_logo_stops_the_build_with_its_file_and_key(project: Path) -> None:
    (project / "clinics" / "bayside-pain-care" / "logo.svg").write_bytes(REFUSED["nested use"])
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 2
    assert "clinics/bayside-pain-care/clinic.toml" in result.stderr
    assert "logo: logo 'logo.svg' repeats its shapes" in result.stderr
    assert not (project / "out").exists()


def test_a_sparse_giant_logo_is_refused_without_reading_it(project: Path) -> None:
    logo = project / "clinics" / "bayside-pain-care" / "logo.svg"
    with logo.open("r+b") as handle:
        handle.truncate(40 * 1024**3)  # 40 GB, sparse: reading it would take minutes
    result = CliRunner().invoke(app, ["list", "--project", str(project)])
    assert result.exit_code == 2
    assert "too large for a logo" in result.stderr
