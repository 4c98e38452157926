"""The contact sheet: every PDF named with its variant and profile, clinics linked from the top."""

from __future__ import annotations

from pathlib import Path

from acuprint.build.manifest import ManifestEntry
from acuprint.build.proofs import label, proof_paths, write_contact_sheet


def _pdf(clinic: str, name: str, pages: int, profile: str = "office") -> ManifestEntry:
    handout, lang = name.split(".")[:2]
    return ManifestEntry(
        clinic, handout, lang, "pdf", f"{clinic}/{name}", "0" * 64, 1, pages, profile
    )


def test_variants_and_profiles_are_named() -> None:
    assert label(_pdf("a", "brochure.en.tri-fold.pdf", 2)) == "brochure, tri-fold (en, 2 pages)"
    assert (
        label(_pdf("a", "chronic-pain.es.large-print.pdf", 12))
        == "chronic-pain, large print (es, 12 pages)"
    )
    assert (
        label(_pdf("a", "back-pain.en.press.pdf", 1, "press"))
        == "back-pain (en, press profile, 1 page)"
    )


def test_jump_links_between_clinics(tmp_path: Path) -> None:
    entries = [_pdf("bay", "back-pain.en.pdf", 1), _pdf("cedar", "brochure.en.tri-fold.pdf", 2)]
    for entry in entries:
        for proof in proof_paths(entry.path, entry.pages or 0):
            (tmp_path / proof).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / proof).write_bytes(b"png")
    page = write_contact_sheet(tmp_path, entries).read_text()
    assert '<li><a href="#clinic-bay">bay</a> (1 PDF)</li>' in page
    assert '<li><a href="#clinic-cedar">cedar</a> (1 PDF)</li>' in page
    assert (
        '<h2 id="clinic-cedar">cedar <small><a href="#top">(back to top)</a></small></h2>' in page
    )
    assert '<a href="cedar/brochure.en.tri-fold.pdf">brochure, tri-fold (en, 2 pages)</a>' in page
    assert page.count('<img src="cedar/proofs/brochure.en.tri-fold-p0') == 2
