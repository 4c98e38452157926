"""Page proofs and the contact sheet: see every page before printing it.

Each PDF page becomes a PNG (rendered with PDFium, no browser), and
out/index.html shows every handout's pages as thumbnails, grouped by clinic,
each linking to its PDF.
"""

from __future__ import annotations

import html
import os
from collections import defaultdict
from pathlib import Path

from acuprint.atomic import write_atomic
from acuprint.build.manifest import ManifestEntry
from acuprint.errors import UsageError

CONTACT_SHEET = "index.html"


def proof_paths(pdf_path: str, pages: int) -> list[str]:
    """Where the proofs of a PDF go, relative to the out folder."""
    folder, _, name = pdf_path.rpartition("/")
    stem = name.removesuffix(".pdf")
    return [f"{folder}/proofs/{stem}-p{n:02d}.png" for n in range(1, pages + 1)]


VARIANT_NAMES = {"tri-fold": "tri-fold", "large-print": "large print"}


def label(entry: ManifestEntry) -> str:
    """How the contact sheet names an output: "brochure, tri-fold (en, press, 2 pages)"."""
    name = entry.path.rpartition("/")[2].removesuffix(".pdf")
    extras = name.removeprefix(f"{entry.handout}.{entry.lang}").split(".")
    variants = [VARIANT_NAMES[part] for part in extras if part in VARIANT_NAMES]
    details = [entry.lang]
    if entry.profile not in ("", "office"):
        details.append(f"{entry.profile} profile")
    details.append(f"{entry.pages} page{'s' if entry.pages != 1 else ''}")
    return ", ".join([entry.handout, *variants]) + f" ({', '.join(details)})"


def signoff_line(entry: ManifestEntry) -> str:
    """Who approved an output's text, when, and when it is next due for review (or: a draft)."""
    signoff = entry.signoff
    if not signoff:
        return "Sign-off: not recorded (built before sign-off existed)"
    if signoff.get("state") != "approved":
        return (
            f"Draft \u2013 not approved for patients: {signoff.get('pending')} unit(s) of text "
            "need a sign-off (acuprint review)"
        )
    people = signoff.get("approved_by")
    names = ", ".join(str(p) for p in people) if isinstance(people, list) else ""
    return (
        f"Approved by {names or 'nobody'}; last approval {signoff.get('approved_on')}; "
        f"next review due by {signoff.get('review_by')}"
    )


def has_proofs(out_dir: Path, entries: list[ManifestEntry]) -> bool:
    """Whether any PDF in `entries` has its page proofs in `out_dir`."""
    return any(
        (out_dir / proof_paths(e.path, 1)[0]).is_file()
        for e in entries
        if e.format == "pdf" and e.pages
    )


# Nothing in the sheet may run or fetch anything but the out folder's own proofs (a
# hostile shard manifest's entry can only name an output path; this is the backstop).
_POLICY = (
    "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
_TITLE = "Handouts: contact sheet"


def _present_proofs(
    out_dir: Path, entry: ManifestEntry, listings: dict[str, set[str]]
) -> list[str]:
    """The proofs of `entry` on disk, page 1 on until the first missing one.

    Each proofs folder is listed once, so the work is bounded by the files
    there, whatever page counts a manifest claims.
    """
    folder = proof_paths(entry.path, 1)[0].rpartition("/")[0]
    if folder not in listings:
        try:
            listings[folder] = {p.name for p in (out_dir / folder).iterdir() if p.is_file()}
        except OSError:
            listings[folder] = set()
    names = listings[folder]
    stem = entry.path.rpartition("/")[2].removesuffix(".pdf")
    found = []
    for number in range(1, (entry.pages or 0) + 1):
        name = f"{stem}-p{number:02d}.png"
        if name not in names:
            break
        found.append(f"{folder}/{name}")
    return found


def is_contact_sheet(path: Path) -> bool:
    """True if `path` is a contact sheet acuprint wrote (so a build may replace it)."""
    if path.is_symlink() or not path.is_file():  # never open a pipe: it would wait
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return f"<title>{_TITLE}</title>".encode() in head


def check_sheet_target(out_dir: Path) -> None:
    """Refuse to replace an index.html in `out_dir` that is not a contact sheet acuprint wrote."""
    path = out_dir / CONTACT_SHEET
    if os.path.lexists(path) and not is_contact_sheet(path):
        raise UsageError(
            f"{path} is not a contact sheet acuprint wrote, and merging would replace it\n"
            "    fix: move it away, or merge into another folder with --out"
        )


def write_contact_sheet(
    out_dir: Path, entries: list[ManifestEntry], failed: dict[str, str] | None = None
) -> Path:
    """out/index.html: every PDF's pages as thumbnails, grouped by clinic, with jump links.

    Outputs that `failed` (path -> why) are listed first: they are not in the folder.
    """
    by_clinic: dict[str, list[ManifestEntry]] = defaultdict(list)
    listings: dict[str, set[str]] = {}
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.format == "pdf" and entry.pages:
            by_clinic[entry.clinic].append(entry)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_TITLE}</title>",
        "<style>",
        "body{font-family:sans-serif;margin:1.5rem;color:#1f2933;background:#f4f5f6}",
        "h2{margin:2rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .4rem}",
        "nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0}",
        ".pages{display:flex;flex-wrap:wrap;gap:.5rem}",
        ".pages img{width:150px;border:1px solid #c9d1d6;background:#fff}",
        ".signoff{margin:0 0 .4rem;font-size:.9rem}",
        "a{color:#1d3c6e}.failed{color:#a4161a}",
        "</style></head><body>",
        '<h1 id="top">Handouts: contact sheet</h1>',
        '<nav aria-label="Clinics"><ul>',
        *(
            f'<li><a href="#clinic-{html.escape(clinic)}">{html.escape(clinic)}</a> '
            f"({len(items)} PDF{'s' if len(items) != 1 else ''})</li>"
            for clinic, items in sorted(by_clinic.items())
        ),
        "</ul></nav>",
    ]
    if failed:
        parts.append(
            '<h2 id="failed" class="failed">Failed: not built, not in this folder '
            f'({len(failed)})</h2><ul class="failed">'
        )
        parts += [
            f"<li><strong>{html.escape(path)}</strong>: {html.escape(why)}</li>"
            for path, why in sorted(failed.items())
        ]
        parts.append("</ul>")
    for clinic, clinic_entries in sorted(by_clinic.items()):
        parts.append(
            f'<h2 id="clinic-{html.escape(clinic)}">{html.escape(clinic)} '
            '<small><a href="#top">(back to top)</a></small></h2>'
        )
        for entry in clinic_entries:
            proofs = _present_proofs(out_dir, entry, listings)
            parts.append(
                f'<h3><a href="{html.escape(entry.path)}">{html.escape(label(entry))}</a></h3>'
                f'<p class="signoff">{html.escape(signoff_line(entry))}</p>'
                '<div class="pages">'
            )
            for number, proof in enumerate(proofs, start=1):
                parts.append(
                    f'<a href="{html.escape(entry.path)}#page={number}">'
                    f'<img src="{html.escape(proof)}" alt="page {number}" loading="lazy"></a>'
                )
            parts.append("</div>")
    parts.append("</body></html>\n")
    path = out_dir / CONTACT_SHEET
    write_atomic(path, "\n".join(parts).encode())
    return path
