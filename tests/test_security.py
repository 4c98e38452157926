"""One case per attack on the files staff edit: nothing outside the project is read or contacted.

Every attack runs through the CLI against a local HTTP listener that records
any connection, and a secret file outside the project whose content must
never appear in an output.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from acuprint.cli import app

Edit = Callable[[str, str, str], None]
CSS = "clinics/cedar-hollow/clinic.css"
SECRET = "TOP-SECRET-7f3a"


class Listener:
    """A local HTTP server that records every request; /redirect answers 302 to a file."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.requests.append(self.path)
                self.send_response(302 if self.path == "/redirect" else 200)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.svg"
    path.parent.mkdir()
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>{SECRET}</title>'
        '<rect width="10" height="10"/></svg>'
    )
    return path


def _build(project: Path, fmt: str, *langs: str) -> tuple[int, str]:
    # One clinic's first visit, standard layout: what hostile input reaches is the
    # same in every language and variant (English, or the languages a test names).
    only = ["--clinic", "cedar-hollow", "--handout", "first-visit", "--variant", "standard"]
    only += [arg for lang in (langs or ("en",)) for arg in ("--lang", lang)]
    result = CliRunner().invoke(
        app, ["build", "--project", str(project), *only, "--format", fmt, "--jobs", "1"]
    )
    return result.exit_code, result.stderr


def _outputs(project: Path) -> list[Path]:
    return [p for p in (project / "out").rglob("*") if p.is_file() and p.suffix != ".json"]


def _assert_blocked(project: Path, listener: Listener, *expected: str) -> None:
    # Found when the project loads: exit 2, the same verdict for the PDF and the HTML.
    for fmt in ("pdf", "html"):
        code, stderr = _build(project, fmt)
        assert code == 2, stderr
        assert "Traceback" not in stderr
        for text in expected:
            assert text in stderr, f"{fmt}: {text!r} not in {stderr}"
    assert listener.requests == [], "the build contacted the network"
    assert _outputs(project) == [], "a blocked output was written"


def test_remote_url_in_css(project: Path, listener: Listener) -> None:
    (project / CSS).write_text(f'.title-block {{ background: url("{listener.url}/p.png"); }}\n')
    _assert_blocked(
        project,
        listener,
        f"{CSS}:1: loads {listener.url}/p.png from outside the project",
    )


def test_import_of_a_remote_stylesheet(project: Path, listener: Listener) -> None:
    (project / CSS).write_text(f'@import url("{listener.url}/theme.css");\n')
    _assert_blocked(project, listener, f"{CSS}:1: @import is not allowed")


def test_redirecting_url_is_never_fetched(project: Path, listener: Listener) -> None:
    (project / CSS).write_text(f'.title-block {{ background: url("{listener.url}/redirect"); }}\n')
    _assert_blocked(project, listener, f"loads {listener.url}/redirect")


def test_file_url_to_a_system_file(project: Path, listener: Listener, secret: Path) -> None:
    (project / CSS).write_text(
        f'.title-block {{ background: url("{secret.as_uri()}"); }}\n'
        '@font-face { font-family: "X"; src: url("file:///etc/passwd"); }\n'
    )
    _assert_blocked(
        project,
        listener,
        f"{CSS}:1: loads {secret.as_uri()}, a file outside the folders this sheet may use",
        f"{CSS}:2: loads file:///etc/passwd, a file outside the folders this sheet may use",
    )


def test_relative_path_out_of_the_project_in_css(
    project: Path, listener: Listener, secret: Path
) -> None:
    relative = os.path.relpath(secret, project / "clinics" / "cedar-hollow")
    (project / CSS).write_text(f'.title-block {{ background: url("{relative}"); }}\n')
    _assert_blocked(project, listener, "a file outside the folders this sheet may use")


def test_svg_logo_linking_to_the_network(project: Path, listener: Listener) -> None:
    (project / "clinics/cedar-hollow/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10"><image xlink:href="{listener.url}/x.png" width="10" height="10"/>'
        "</svg>"
    )
    code, stderr = _build(project, "pdf")
    assert code == 2
    assert f"logo: logo 'logo.svg' links to '{listener.url}/x.png'" in stderr
    assert listener.requests == []


@pytest.mark.parametrize(
    "logo", ["../../../../../../etc/passwd", "../bayside-pain-care/logo.svg"], ids=["dots", "peer"]
)
def test_dot_dot_path_for_a_logo(project: Path, edit: Edit, logo: str) -> None:
    edit("clinics/cedar-hollow/clinic.toml", 'logo = "logo.svg"', f'logo = "{logo}"')
    code, stderr = _build(project, "pdf")
    assert code == 2
    assert f"logo: logo '{logo}' is outside the clinic's folder" in stderr


def test_symlink_out_of_the_project(project: Path, secret: Path) -> None:
    logo = project / "clinics/cedar-hollow/logo.svg"
    logo.unlink()
    logo.symlink_to(secret)
    css = project / CSS
    css.symlink_to(secret)
    code, stderr = _build(project, "pdf")
    assert code == 2
    assert "logo: logo 'logo.svg' is outside the clinic's folder" in stderr
    assert f"{CSS}: is a link to a file outside its folder" in stderr
    assert SECRET not in stderr


def test_attachment_link_and_script_in_markdown(project: Path, edit: Edit) -> None:
    edit(
        # A module first-visit prints, so the injected text reaches both outputs.
        "handouts/modules/what-to-expect-short.md",
        "**What you can do:**",
        '<link rel="attachment" href="/etc/passwd">\n\n<script>alert(1)</script>\n\n'
        '<img src="x" onerror="alert(2)">\n\n'
        "**What you can do:**",
    )
    for fmt in ("pdf", "html"):
        assert _build(project, fmt)[0] == 0
    html = (project / "out/cedar-hollow/first-visit.en.html").read_text()
    assert "<script>" not in html and "<link" not in html and '<img src="x"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    reader = PdfReader(project / "out/cedar-hollow/first-visit.en.pdf")
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert "root:" not in " ".join(page.extract_text() for page in reader.pages)


def test_a_javascript_link_in_markdown_is_never_a_link(project: Path, edit: Edit) -> None:
    edit(
        "handouts/modules/what-to-expect-short.md",
        "**What you can do:**",
        "[click](javascript:alert(3))\n\n**What you can do:**",
    )
    # Links are off in content: the link would print as its markup, which the
    # build refuses to put on a page (exit 1, the English outputs not written).
    for fmt in ("pdf", "html"):
        code, stderr = _build(project, fmt, "en", "es")
        assert code == 1 and "markup in printed text: '](' " in stderr
    assert not (project / "out/cedar-hollow/first-visit.en.html").exists()
    html = (project / "out/cedar-hollow/first-visit.es.html").read_text()
    assert 'href="javascript' not in html


def test_html_in_a_clinic_name(project: Path, edit: Edit) -> None:
    edit(
        "clinics/cedar-hollow/clinic.toml",
        'name = "Cedar Hollow Acupuncture"',
        'name = "Cedar <b onmouseover=alert(1)>Hollow</b> & Co"',
    )
    for fmt in ("pdf", "html"):
        assert _build(project, fmt)[0] == 0
    html = (project / "out/cedar-hollow/first-visit.en.html").read_text()
    assert "<b onmouseover" not in html
    assert "Cedar &lt;b onmouseover=alert(1)&gt;Hollow&lt;/b&gt; &amp; Co" in html
    text = PdfReader(project / "out/cedar-hollow/first-visit.en.pdf").pages[0].extract_text()
    assert "Cedar <b onmouseover=alert(1)>Hollow</b> & Co" in text


def test_one_clinic_built_alone_or_with_all_gives_the_same_bytes(
    project: Path, tmp_path: Path
) -> None:
    # Fonts and parsed sheets are never shared between clinics, so nothing one
    # clinic supplies (its CSS, its logo) can change another clinic's output.
    (project / "clinics" / "bayside-pain-care" / "clinic.css").write_text(
        ':root { --font-size-body: 12pt; }\n.title-block { font-family: "Lato"; }\n'
    )
    only = ["--handout", "first-visit", "--format", "pdf", "--no-proofs", "--lang", "en"]
    base = ["build", "--project", str(project), *only, "--variant", "standard"]
    alone = CliRunner().invoke(
        app, [*base, "--clinic", "marlowe-street", "--out", str(tmp_path / "a")]
    )
    # Every clinic that prints English, the one with the hostile sheet among them.
    everyone = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "b")])
    assert (tmp_path / "b" / "bayside-pain-care" / "first-visit.en.pdf").is_file()
    assert alone.exit_code == 0 and everyone.exit_code == 0, alone.stderr + everyone.stderr
    name = "marlowe-street/first-visit.en.pdf"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
