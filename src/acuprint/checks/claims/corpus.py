"""The labelled corpus: how well the claim rules do, per language and category (`lint --report`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from acuprint.checks.claims.matcher import match_claims
from acuprint.checks.claims.rulebook import load_rulebook
from acuprint.checks.claims.schema import CATEGORIES, Rulebook


@dataclass(frozen=True)
class CorpusScore:
    """How the rules do on one slice of a labelled corpus."""

    lang: str
    category: str
    flagged: int  # objectionable sentences
    found: int  # of those, flagged by some rule
    acceptable: int
    false_positives: int  # acceptable sentences flagged anyway

    @property
    def recall(self) -> float | None:
        """Share of objectionable sentences flagged."""
        return self.found / self.flagged if self.flagged else None

    @property
    def false_positive_rate(self) -> float | None:
        """Share of acceptable sentences flagged."""
        return self.false_positives / self.acceptable if self.acceptable else None


def corpus_misses(
    rows: list[tuple[bool, str, str]], lang: str, rulebook: Rulebook | None = None
) -> Iterator[tuple[bool, str, str]]:
    """Rows the rules get wrong: missed claims and flagged acceptable sentences."""
    book = rulebook or load_rulebook()
    for wanted, category, sentence in rows:
        # A claim must be found under every jurisdiction; an acceptable sentence
        # must pass under every one.
        found = (bool(match_claims(sentence, lang, j, book)) for j in ("us", "uk"))
        if (wanted and not all(found)) or (not wanted and any(found)):  # stops at the first
            yield wanted, category, sentence


def corpus_scores(
    rows: list[tuple[bool, str, str]], lang: str, rulebook: Rulebook | None = None
) -> list[CorpusScore]:
    """Recall and false positives per category, then for the whole language ('all')."""
    wrong = set(corpus_misses(rows, lang, rulebook))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        wanted, category, _ = row
        for key in (category, "all"):
            tally = counts[key]
            if wanted:
                tally[0] += 1
                tally[1] += row not in wrong
            else:
                tally[2] += 1
                tally[3] += row in wrong
    order = [*CATEGORIES, "plain", "all"]
    keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [CorpusScore(lang, key, *counts[key]) for key in keys]
