"""Run the conformance rules of a standard over a PDF: `check_conformance`.

Which standard a file claims is read from the file itself: a GTS_PDFX output
intent means PDF/X-4 (press), GTS_PDFA1 PDF/A-3b (archive), and a PDF/UA
identification in its XMP PDF/UA-1 (office).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
from collections.abc import Iterable
from pathlib import Path

import pikepdf

from acuprint.checks.conformance import RULES, Rule, Standard, Violation

# The modules that register rules; each is imported only if it exists.
_RULE_MODULES = ("pdfx", "pdfa", "pdfua", "pdfua_fonts")
PROFILE_STANDARDS: dict[str, Standard] = {
    "press": "PDF/X-4",
    "archive": "PDF/A-3b",
    "office": "PDF/UA-1",
}


def _load_rules() -> None:
    for name in _RULE_MODULES:
        module = f"{__package__}.{name}"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def rules_of(standard: Standard) -> list[Rule]:
    """The registered rules of one standard."""
    _load_rules()
    return [rule for rule in RULES if rule.standard == standard]


def claimed_standards(pdf: pikepdf.Pdf) -> list[Standard]:
    """The standards a file says it meets, from its output intents and XMP."""
    found: list[Standard] = []
    subtypes = {str(i.get("/S")) for i in pdf.Root.get("/OutputIntents", pikepdf.Array())}
    if "/GTS_PDFX" in subtypes:
        found.append("PDF/X-4")
    if "/GTS_PDFA1" in subtypes:
        found.append("PDF/A-3b")
    metadata = pdf.Root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream) and b"pdfuaid" in metadata.read_bytes():
        found.append("PDF/UA-1")
    return found


def check_conformance(
    source: Path | bytes, standards: Iterable[Standard] | None = None
) -> list[Violation]:
    """Every violation of the rules of `standards` (default: those the file claims)."""
    _load_rules()
    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        pdf = pikepdf.Pdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [Violation("readable", f"not a readable PDF ({exc})")]
    with pdf:
        wanted = list(standards) if standards is not None else claimed_standards(pdf)
        violations: list[Violation] = []
        for rule in RULES:
            if rule.standard not in wanted:
                continue
            try:
                violations.extend(rule.check(pdf))
            except Exception as exc:  # a rule that cannot read the file must not hide others
                violations.append(Violation(rule.id, f"could not be checked: {exc!r}"))
        return violations
