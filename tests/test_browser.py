"""The HTML handouts and the live preview in a real headless Chromium (Debian's, via Playwright)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from acuprint.build.pipeline import BuildReport
from acuprint.compose.labels import PAGE_NUMBER
from acuprint.preview.server import make_server
from tests.conftest import REPO
from tests.tools import tool

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": (375, 740), "desktop": (1280, 900)}
# axe-core, pinned in package-lock.json; scripts/setup.sh --test installs it with npm ci.
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=tool("chromium"), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize(
    "case",
    [
        "cedar-hollow/back-pain.en.html",
        "cedar-hollow/back-pain.zh-Hans.html",
        "marlowe-street/first-visit.en.html",
    ],
)
def test_standalone_html_reads_well_on_phone_and_desktop(
    browser: object, sample_build: BuildReport, case: str, size: str
) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((sample_build.out_dir / case).as_uri(), wait_until="load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{case} scrolls sideways by {overflow}px at {width}px"
    assert page.locator(".page-header__name").is_visible()
    headings = page.locator("h2.module__title")
    assert headings.count() >= 4
    for index in range(headings.count()):
        heading = headings.nth(index)
        heading.scroll_into_view_if_needed()
        box = heading.bounding_box()
        assert heading.is_visible() and box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    # Fonts and images are inlined: the page loads nothing but itself.
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    fonts = page.evaluate(  # wait until the inlined fonts have loaded, then list them
        "document.fonts.ready.then(() => "
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family))"
    )
    assert fonts, "no bundled font was used"
    context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run scripts/setup.sh --test")
    return AXE.read_text(encoding="utf-8")


def _axe_violations(page: object, axe_source: str, inject: bool = True) -> list[str]:
    if inject:
        page.add_script_tag(content=axe_source)  # type: ignore[attr-defined]
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])}x {v['nodes'][0]['target']}"
        for v in result["violations"]
    ]


def test_axe_finds_no_violations_in_any_html_output(
    browser: object, sample_build: BuildReport, axe_source: str
) -> None:
    pages = sorted(sample_build.out_dir.glob("*/*.html"))
    assert len(pages) >= 20
    # The pages' Content-Security-Policy (default-src 'none') would block the test's
    # own injection of axe; bypass_csp lets only that script in, the page is unchanged.
    context = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
    page = context.new_page()
    found = {}
    for path in pages:
        name = f"{path.parent.name}/{path.name}"
        # Each page is loaded once and judged three ways: on a desktop screen, on a
        # phone (the layout reflows to the new width), and as printed.
        page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
        page.emulate_media(media="screen")
        page.goto(path.as_uri(), wait_until="load")
        found[f"{name} desktop"] = _axe_violations(page, axe_source)
        page.set_viewport_size(dict(zip(("width", "height"), SIZES["phone"], strict=True)))
        found[f"{name} phone"] = _axe_violations(page, axe_source, inject=False)
        page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
        page.emulate_media(media="print")
        found[f"{name} print"] = _axe_violations(page, axe_source, inject=False)
    context.close()
    assert len(found) == 3 * len(pages)
    assert not any(found.values()), {name: v for name, v in found.items() if v}


def test_tick_boxes_are_named_and_tick_from_the_keyboard(
    browser: object, sample_build: BuildReport
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    # The fillable checklist lives in the safety intake form (no longer in first-visit).
    page.goto((sample_build.out_dir / "cedar-hollow/safety-intake.es.html").as_uri())
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == 14
    first = boxes.first
    assert first.is_enabled()
    name = page.evaluate(
        "document.querySelector('.task-list-item-checkbox').closest('label').textContent"
    )
    assert "sangre" in name  # the Spanish item text names the box
    assert page.get_by_role("checkbox", name=name.strip()).count() == 1
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement === document.querySelectorAll('input')[1]")
    page.close()


@pytest.mark.parametrize(
    "case", ["cedar-hollow/back-pain.es.html", "cedar-hollow/brochure.zh-Hans.html"]
)
def test_english_citations_are_marked_english(
    browser: object, sample_build: BuildReport, case: str
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((sample_build.out_dir / case).as_uri())
    citations = page.locator(".references__list li")
    assert citations.count() >= 2
    assert page.locator('.references__list li[lang="en"]').count() == citations.count()
    page.close()


def test_booking_block_fits_a_320px_phone(browser: object, sample_build: BuildReport) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})  # type: ignore[attr-defined]
    page = context.new_page()
    for path in sorted(sample_build.out_dir.glob("*/*.html")):
        page.goto(path.as_uri(), wait_until="load")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path.name} scrolls sideways by {overflow}px at 320px"
    context.close()


def test_printing_from_a_browser_repeats_header_and_footer(
    browser: object, sample_build: BuildReport, tmp_path: Path
) -> None:
    import subprocess

    page = browser.new_page()  # type: ignore[attr-defined]
    # The booklet: first-visit now fits one sheet (2 pages), too short to show repetition.
    page.goto((sample_build.out_dir / "bayside-pain-care/back-pain-booklet.en.html").as_uri())
    page.emulate_media(media="print")
    printed = tmp_path / "printed.pdf"
    page.pdf(path=str(printed), prefer_css_page_size=True)
    page.close()
    info = subprocess.run(
        [tool("pdfinfo"), str(printed)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3
    before, between, _ = PAGE_NUMBER["en"]
    for number in range(1, pages + 1):
        text = subprocess.run(
            [tool("pdftotext"), "-f", str(number), "-l", str(number), str(printed), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Bayside Pain Care" in text, f"page {number} has no header"
        assert "frontdesk@baysidepaincare.example.org" in text, f"page {number} has no footer"
        assert f"{before}{number}{between}{pages}" in text


def test_preview_reloads_when_a_token_changes(browser: object, tmp_path: Path) -> None:
    import shutil

    from playwright.sync_api import Error as PlaywrightError

    root = tmp_path / "project"
    for folder in ("clinics", "handouts", "styles"):
        shutil.copytree(REPO / folder, root / folder)
    server, watcher = make_server(root, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watcher.run, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}"
        page = browser.new_page()  # type: ignore[attr-defined]
        # The handout is served as written (its CSP forbids scripts), so the view page
        # around it carries the reload script and reloads the frame with it.
        page.goto(f"{address}/view/marlowe-street/first-visit/en")
        frame = page.frame_locator('iframe[title="HTML handout"]')
        heading = frame.locator("h2.module__title").first

        def current() -> str | None:
            try:
                return str(heading.evaluate("h => getComputedStyle(h).color", timeout=2000))
            except PlaywrightError:  # the page is reloading right now
                return None

        heading.wait_for(timeout=15000)
        assert current() == "rgb(91, 42, 94)"  # #5b2a5e from clinic.toml
        css = root / "clinics/marlowe-street/clinic.css"
        css.write_text(css.read_text() + "\n:root { --color-primary: #c0392b; }\n")

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and current() != "rgb(192, 57, 43)":
            page.wait_for_timeout(200)
        assert current() == "rgb(192, 57, 43)", "the page did not reload"
        assert heading.is_visible()

        # A broken edit shows the problem in the page; fixing it recovers.
        toml = root / "clinics/marlowe-street/clinic.toml"
        good = toml.read_text()
        toml.write_text(good.replace('paper = "a4"', 'paper = "a5"'))
        page.wait_for_function("document.body.innerText.includes('problem(s) in the project')")
        assert "paper: 'a5' is not allowed here" in page.inner_text("body")
        toml.write_text(good)
        frame.locator("h2.module__title").first.wait_for(timeout=15000)
        page.close()
    finally:
        watcher.stop()
        server.shutdown()
        server.server_close()


def test_build_watch_rebuilds_what_a_save_touched(project: Path) -> None:
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "acuprint", "build", "--project", str(project), "--watch"]
    command += ["--clinic", "marlowe-street", "--handout", "first-visit", "--jobs", "1"]
    command += ["--variant", "standard"]
    from tests.build.test_fail_fast import ctrl_c_as_in_a_shell

    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=ctrl_c_as_in_a_shell,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []

        def read_until_summary() -> str:
            while True:
                line = process.stdout.readline()  # type: ignore[union-attr]
                assert line, "the watcher stopped"
                lines.append(line)
                if " built, " in line:
                    return line

        assert read_until_summary().startswith("2 built, 0 up to date")  # PDF and HTML
        css = project / "clinics/marlowe-street/clinic.css"
        css.write_text(css.read_text() + "\n.title-block { padding-top: 20pt; }\n")
        assert read_until_summary().startswith("2 built, 0 up to date")  # both use it
        recipe = project / "handouts/recipes/back-pain.toml"
        recipe.write_text(recipe.read_text() + "\n")  # not part of first-visit
        assert read_until_summary().startswith("0 built, 2 up to date")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_the_content_security_policy_stops_any_load_a_page_might_try(
    browser: object, sample_build: BuildReport, tmp_path: Path
) -> None:
    # The second wall: even if a remote URL reached a written page (the load-time
    # check is the first), its Content-Security-Policy forbids Chromium to fetch it.
    import http.server
    import threading

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_address[1]}"
    html = (sample_build.out_dir / "cedar-hollow/first-visit.en.html").read_text()
    assert 'http-equiv="Content-Security-Policy"' in html
    tampered = html.replace(
        "</body>",
        f'<img src="{remote}/pixel.png"><script src="{remote}/x.js"></script>'
        f'<style>@media screen {{ body {{ background: image-set("{remote}/bg.png" 1x) }} }}'
        f'@import "{remote}/x.css";</style><iframe src="{remote}/frame"></iframe></body>',
    )
    page_file = tmp_path / "tampered.html"
    page_file.write_text(tampered)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    context.close()
    server.shutdown()
    assert seen == [], f"the page reached the network: {seen}"
