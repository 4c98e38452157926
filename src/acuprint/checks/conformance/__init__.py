"""Conformance rule checks on finished PDFs, each named by its published rule id.

No PDF/UA, PDF/A or PDF/X validator can be installed here, so acuprint checks
the most important rules itself, each one named as the veraPDF validation
profiles (PDF/UA-1, PDF/A-3b) or the PDF/X-4 requirements (ISO 15930-7) name
it, so a finding can be looked up. Standards register their rules in
`RULES` from their own modules (pdfx.py, pdfa.py, pdfua.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Standard = str  # "PDF/UA-1", "PDF/A-3b" or "PDF/X-4"


@dataclass(frozen=True)
class Violation:
    """One place a file breaks a rule."""

    rule: str  # the rule id, e.g. "ISO 14289-1:2014 7.1-3"
    message: str  # plain words: what is wrong
    page: int | None = None  # 1-based, when the problem is on one page


@dataclass(frozen=True)
class Rule:
    """One rule of one standard, and the function that finds its violations."""

    id: str
    standard: Standard
    summary: str
    check: Callable[[Any], Iterable[Violation]]  # takes an open pikepdf.Pdf


RULES: list[Rule] = []


def rule(
    id: str, standard: Standard, summary: str
) -> Callable[[Callable[[Any], Iterable[Violation]]], Callable[[Any], Iterable[Violation]]]:
    """Register the decorated function as the check of rule `id`."""

    def register(
        check: Callable[[Any], Iterable[Violation]],
    ) -> Callable[[Any], Iterable[Violation]]:
        RULES.append(Rule(id, standard, summary, check))
        return check

    return register
