"""Reading level of module text: Flesch-Kincaid grade for English, Fernandez-Huerta for Spanish.

The formulas come from textstat (syllables from the CMU dictionary and
Pyphen), not a hand-rolled counter. Chinese has no comparable formula, so it
is not scored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BLOCK_END = re.compile(r"\s*</(p|li|h[1-6]|blockquote)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ReadingLevel:
    """A reading score and how it compares with the brief's limits."""

    formula: str
    score: float
    severity: str | None  # None, "warning" or "error"
    target: str


def plain_text(markup: str) -> str:
    """Text of rendered module HTML, each heading, item and paragraph ending as a sentence."""

    def end_sentence(match: re.Match[str]) -> str:
        return ". "

    text = _BLOCK_END.sub(end_sentence, markup)
    text = html.unescape(_TAG.sub(" ", text))
    text = re.sub(r"([.!?:;])\s*\.\s", r"\1 ", text)  # no double stops
    return re.sub(r"\s+", " ", text).strip()


def reading_level(text: str, lang: str) -> ReadingLevel | None:
    """Score `text` for `lang`, or None where acuprint has no formula (Chinese)."""
    import textstat  # slow to import: only the lint needs it

    if lang == "en":
        textstat.set_lang("en_US")
        grade = float(textstat.flesch_kincaid_grade(text))
        severity = "error" if grade > 8 else "warning" if grade > 6 else None
        return ReadingLevel(
            "Flesch-Kincaid grade", round(grade, 1), severity, "6 or lower (8 at most)"
        )
    if lang == "es":
        textstat.set_lang("es")
        ease = float(textstat.fernandez_huerta(text))
        severity = "error" if ease < 60 else "warning" if ease < 70 else None
        return ReadingLevel(
            "Fernandez-Huerta ease", round(ease, 1), severity, "70 or higher (60 at least)"
        )
    return None
