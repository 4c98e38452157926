"""Depfiles: editing any file an output read rebuilds exactly the outputs that read it."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

from acuprint.preview.server import Previewer
from tests.conftest import build

HTML = {"formats": ("html",), "workers": 2}


def _depfile(project: Path, output: str) -> dict[str, str | None]:
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    entry = next(o for o in manifest["outputs"] if o["path"] == output)
    return dict(entry["inputs"])


def _readers(project: Path, file: str) -> set[str]:
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    return {o["path"] for o in manifest["outputs"] if file in o["inputs"]}


def _rebuilt_after(project: Path, change: object, **options: object) -> set[str]:
    build(project, **{**HTML, **options})  # type: ignore[arg-type]
    change()  # type: ignore[operator]
    report = build(project, **{**HTML, **options})  # type: ignore[arg-type]
    return {entry.path for entry in report.built}


def test_the_manifest_records_what_each_output_read(project: Path) -> None:
    build(project, clinics=["cedar-hollow"], handouts=["first-visit"], **HTML)
    reads = _depfile(project, "cedar-hollow/first-visit.en.html")
    assert "handouts/recipes/first-visit.toml" in reads
    assert "clinics/cedar-hollow/clinic.toml" in reads
    assert "clinics/cedar-hollow/logo.svg" in reads
    assert "handouts/modules/disclaimer.md" in reads
    assert "styles/tokens.css" in reads
    assert any(key.endswith("templates/handout.html.j2") for key in reads)
    assert any(key.startswith("styles/fonts/") and key.endswith((".ttf", ".otf")) for key in reads)
    assert reads["clinics/cedar-hollow/clinic.css"] is None  # looked for, absent


def test_editing_an_auto_inserted_module_rebuilds_its_readers(project: Path) -> None:
    # The disclaimer is inserted by composition whatever the recipe says.
    module = project / "handouts" / "modules" / "disclaimer.md"
    # One clinic in three languages: English prints the disclaimer, the others read it.
    only = {"clinics": ["cedar-hollow"], "handouts": ["first-visit", "safety-intake"]}
    build(project, **HTML, **only)  # type: ignore[arg-type]
    readers = _readers(project, "handouts/modules/disclaimer.md")
    assert readers
    module.write_text(module.read_text() + "\nAsk us about anything in this handout.\n")
    report = build(project, **HTML, **only)  # type: ignore[arg-type]
    # English outputs print it; the others read it too (composition looks at the
    # English text of every module to decide what it must add).
    assert {e.path for e in report.built} == readers
    assert {r for r in readers if r.endswith(".en.html")}


def test_an_image_a_clinic_css_loads_rebuilds_only_that_clinic(project: Path) -> None:
    clinic = project / "clinics" / "marlowe-street"
    (clinic / "pattern.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
        '<rect width="4" height="4" fill="#eee"/></svg>'
    )
    (clinic / "clinic.css").write_text(".title-block { background-image: url(pattern.svg); }\n")

    def recolour() -> None:
        pattern = clinic / "pattern.svg"
        pattern.write_text(pattern.read_text().replace("#eee", "#ddd"))

    only = {"clinics": ["marlowe-street", "bayside-pain-care"], "handouts": ["first-visit"]}
    rebuilt = _rebuilt_after(project, recolour, formats=("html", "pdf"), **only)
    assert rebuilt
    assert all(path.startswith("marlowe-street/") for path in rebuilt)
    assert "clinics/marlowe-street/pattern.svg" in _depfile(project, sorted(rebuilt)[0])


def test_creating_a_clinic_css_rebuilds_that_clinic(project: Path) -> None:
    css = project / "clinics" / "bayside-pain-care" / "clinic.css"
    rebuilt = _rebuilt_after(
        project, lambda: css.write_text(":root { --space-1: 4pt; }\n"), handouts=["first-visit"]
    )
    assert rebuilt and all(path.startswith("bayside-pain-care/") for path in rebuilt)


def test_editing_a_font_rebuilds_the_outputs_that_use_it(project: Path) -> None:
    build(project, formats=("pdf",), workers=2, handouts=["first-visit"])
    charis = [
        key
        for key in _depfile(project, "marlowe-street/first-visit.en.pdf")
        if key.startswith("styles/fonts/") and "charis" in key.lower() and key.endswith("ttf")
    ]
    assert charis, "Marlowe Street's PDF should have read its Charis SIL font"
    font = project / charis[0]
    users = _readers(project, charis[0])
    font.write_bytes(font.read_bytes())  # same bytes: nothing to do
    assert not build(project, formats=("pdf",), workers=2, handouts=["first-visit"]).built
    shutil.copy(font, font.with_suffix(".bak"))
    with font.open("ab") as handle:
        handle.write(b"\0\0\0\0")  # a different file (still a font to the parser)
    report = build(project, formats=("pdf",), workers=2, handouts=["first-visit"])
    assert {e.path for e in report.built} == users


def test_a_changed_template_rebuilds_only_its_readers(project: Path) -> None:
    # Templates live in the installed package, which a test must not edit; what a
    # build sees after an edit is a template whose hash differs from the one its
    # readers recorded, so that is what this test arranges.
    build(project, handouts=["first-visit"], **HTML)
    manifest_path = project / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    readers = set()
    for output in manifest["outputs"]:
        for key in output["inputs"]:
            if (
                key.endswith("render/templates/handout.html.j2")
                and "cedar-hollow" in output["path"]
            ):
                output["inputs"][key] = "0" * 64
                readers.add(output["path"])
    assert readers
    manifest_path.write_text(json.dumps(manifest))
    report = build(project, handouts=["first-visit"], **HTML)
    assert {e.path for e in report.built} == readers


def test_the_preview_reuses_a_render_until_a_file_it_read_changes(project: Path) -> None:
    previewer = Previewer(project)
    try:
        first = previewer.render("cedar-hollow", "first-visit", "en")
        assert previewer.render("cedar-hollow", "first-visit", "en") is first
        ((_, _, reads),) = previewer._cache.values()
        unrelated = "handouts/modules/choosing-a-practitioner.md"
        assert unrelated not in reads
        (project / unrelated).write_text((project / unrelated).read_text() + "\n")
        assert previewer.render("cedar-hollow", "first-visit", "en") is first
        disclaimer = project / "handouts" / "modules" / "disclaimer.md"
        disclaimer.write_text(disclaimer.read_text() + "\nCall us with any question.\n")
        again = previewer.render("cedar-hollow", "first-visit", "en")
        assert again is not first
        assert b"Call us with any question." in again.html
    finally:
        previewer.close()


def test_editing_an_icon_rebuilds_the_outputs_that_show_it(project: Path) -> None:
    only = {"clinics": ["marlowe-street"], "handouts": ["first-visit", "safety-intake"]}
    build(project, **HTML, **only)  # type: ignore[arg-type]
    icon = project / "styles" / "icons" / "checklist.svg"
    readers = _readers(project, "styles/icons/checklist.svg")
    assert readers, "no output recorded reading the checklist icon"
    icon.write_text(icon.read_text().replace("<svg", "<svg data-edited='yes'", 1))
    report = build(project, **HTML, **only)  # type: ignore[arg-type]
    assert {e.path for e in report.built} == readers
    page = (project / "out" / sorted(readers)[0]).read_text()
    icons = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    assert any(b"data-edited='yes'" in base64.b64decode(icon) for icon in icons)


def test_a_manifest_cannot_make_the_build_read_outside_the_project_or_a_huge_file(
    tmp_path: Path,
) -> None:
    import hashlib

    from acuprint.build.depfiles import FileHashes

    root = tmp_path / "project"
    root.mkdir()
    (root / "small.css").write_bytes(b"a{}")
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    with (root / "huge.bin").open("wb") as handle:  # 3 GB, sparse: reading it whole would not fit
        handle.truncate(3_000_000_000)
    hashes = FileHashes(root)
    secret = hashlib.sha256(b"secret").hexdigest()
    assert not hashes.unchanged({str(outside): secret})  # an absolute path: not followed
    assert not hashes.unchanged({"../secret.txt": secret})  # nor out with '..'
    assert not hashes.unchanged({"huge.bin": "0" * 64})  # judged changed, never read
    assert hashes.unchanged({"small.css": hashlib.sha256(b"a{}").hexdigest(), "gone.css": None})
