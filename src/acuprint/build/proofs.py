"""Page proofs and the contact sheet: see every page before printing it.

Each PDF page becomes a PNG (rendered with PDFium, no browser), and
out/index.html shows every handout's pages as thumbnails, grouped by clinic,
each linking to its PDF.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from acuprint.atomic import write_atomic
from acuprint.build.manifest import ManifestEntry

CONTACT_SHEET = "index.html"


def proof_paths(pdf_path: str, pages: int) -> list[str]:
    """Where the proofs of a PDF go, relative to the out folder."""
    folder, _, name = pdf_path.rpartition("/")
    stem = name.removesuffix(".pdf")
    return [f"{folder}/proofs/{stem}-p{n:02d}.png" for n in range(1, pages + 1)]


def write_contact_sheet(out_dir: Path, entries: list[ManifestEntry]) -> Path:
    """out/index.html: every PDF's pages as thumbnails, grouped by clinic."""
    by_clinic: dict[str, list[ManifestEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.format == "pdf" and entry.pages:
            by_clinic[entry.clinic].append(entry)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Handouts: contact sheet</title>",
        "<style>",
        "body{font-family:sans-serif;margin:1.5rem;color:#1f2933;background:#f4f5f6}",
        "h2{margin:2rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .4rem}",
        ".pages{display:flex;flex-wrap:wrap;gap:.5rem}",
        ".pages img{width:150px;border:1px solid #c9d1d6;background:#fff}",
        "a{color:#1d3c6e}",
        "</style></head><body>",
        "<h1>Handouts: contact sheet</h1>",
    ]
    for clinic, clinic_entries in sorted(by_clinic.items()):
        parts.append(f"<h2>{html.escape(clinic)}</h2>")
        for entry in clinic_entries:
            profile = f", {entry.profile}" if entry.profile not in ("", "office") else ""
            label = f"{entry.handout} ({entry.lang}{profile}, {entry.pages} pages)"
            parts.append(
                f'<h3><a href="{html.escape(entry.path)}">{html.escape(label)}</a></h3>'
                '<div class="pages">'
            )
            for number, proof in enumerate(proof_paths(entry.path, entry.pages or 0), start=1):
                if (out_dir / proof).is_file():
                    parts.append(
                        f'<a href="{html.escape(entry.path)}#page={number}">'
                        f'<img src="{html.escape(proof)}" alt="page {number}" loading="lazy"></a>'
                    )
            parts.append("</div>")
    parts.append("</body></html>\n")
    path = out_dir / CONTACT_SHEET
    write_atomic(path, "\n".join(parts).encode())
    return path
