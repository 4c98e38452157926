"""The claims matcher: which phrases in a text the compiled rules flag, and which they let pass.

Text is cut into sentences and clauses; a phrase is a claim unless its clause
denies it ("is not a cure", "cannot be guaranteed"), the sentence distances
itself from it ("beware of anyone who promises a cure"), a hedge softens it
where the rule allows ("may trigger endorphins"; never "may cure"), or a
named, dated source backs it where the rule allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from acuprint.checks.claims.normalize import PrintedText, printed_text
from acuprint.checks.claims.schema import Language, Rule, Rulebook

# Sentence ends; a newline ends a sentence too (list items, headings, lines of a post).
# A title's full stop ("Dr. Lee", "Dra. Ruiz", "Dipl. Ac.") does not end one: the title
# and the name belong together (a title can itself be a claim). Nor does a point between
# digits ("34.000 tratamientos", "2.5 %").
_SENTENCE = re.compile(
    r"(?:\b(?:Dr|Dra|Drs|Dras|Mr|Mrs|Ms|Sr|Sra|Srta|Prof|Profa|Dipl|St)\.|\d\.(?=\d)|[^.!?。！？\n])+"
    r"(?:[.!?。！？]+|$)",
    re.MULTILINE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ClaimMatch:
    """One phrase a rule flagged, with the sentence it stands in."""

    rule: Rule
    phrase: str
    sentence: str
    offset: int  # where the phrase starts in the text
    jurisdiction: str
    # Why a statistical finding was made: its score and the nearest labelled
    # example (None for a finding of a rule's own patterns).
    evidence: str | None = None


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    lemmas: _Lemmas | None


@dataclass(frozen=True)
class _Lemmas:
    """Dictionary forms of a sentence's words, each mapped back to the surface words."""

    text: str
    starts: tuple[int, ...]  # where each lemma starts in `text`
    spans: tuple[tuple[int, int], ...]  # the word it came from, in the sentence

    def surface(self, start: int, end: int) -> tuple[int, int]:
        """The span of the sentence's own words that `start:end` of the lemma text came from."""
        first = max(i for i, s in enumerate(self.starts) if s <= start)
        last = max(i for i, s in enumerate(self.starts) if s < end)
        return self.spans[first][0], self.spans[last][1]


@cache
def _lemmatizer(lang: str) -> Any:
    """A cached word -> lemma function, or None where acuprint has no lemmatizer."""
    if lang != "es":
        return None
    # simplemma: Spanish word forms (curamos, curará, refuerza, sustituye) come back as
    # their dictionary forms, so a rule names "curar" or "reforzar" once instead of a
    # regular expression for each tense and person. It ships its dictionaries (no
    # download); loading the Spanish one takes about 1 s, paid once per process and
    # only when Spanish text is checked, hence the import here.
    import simplemma

    @cache
    def lemma(word: str) -> str:
        return str(simplemma.lemmatize(word, lang="es")).lower()

    return lemma


# Chinese is matched on characters: the lexicon's terms are whole words (失眠, 不孕),
# and the few places where a negation character starts another word (不孕, 不适,
# 不良反应) are spelled out in the zh-Hans negation list. A segmenter (jieba) was
# tried and not kept: it needs ~1 s and a cache file on every build for no gain here.


def _lemmas(sentence: str, lang: str) -> _Lemmas | None:
    lemma = _lemmatizer(lang)
    if lemma is None:
        return None
    words = list(_WORD.finditer(sentence))
    parts, starts, position = [], [], 0
    for word in words:
        form = lemma(word.group(0).lower())
        starts.append(position)
        parts.append(form)
        position += len(form) + 1
    return _Lemmas(" ".join(parts), tuple(starts), tuple(w.span() for w in words))


def _sentences(text: str, lang: str, lemmatize: bool) -> Iterator[_Sentence]:
    for match in _SENTENCE.finditer(text):
        words = match.group(0)
        if not words.strip():
            continue
        lemmas = _lemmas(words, lang) if lemmatize else None
        yield _Sentence(words, match.start(), lemmas)


def _clause_start(language: Language, sentence: str, position: int) -> int:
    start = 0
    for found in language.clause_break.finditer(sentence, 0, position):
        start = found.end()
    return start


def _negated(language: Language, rule: Rule, sentence: str, start: int, end: int) -> bool:
    """A negation before the phrase (in its clause), or inside it after its first word."""
    begin = 0 if rule.spec.scope == "sentence" else _clause_start(language, sentence, start)
    if language.negation.search(sentence[begin:start]):
        return True
    if not rule.spec.negation_inside:
        return False
    inner = sentence[start:end]
    # The phrase's own first word may be a negation ("no side effects", "不用开刀");
    # in text without spaces (Chinese) that is its first character.
    first_word = len(inner.split(None, 1)[0]) if " " in inner.strip() else 1
    return any(found.start() >= first_word for found in language.negation.finditer(inner))


def _hits(language: Language, rule: Rule, sentence: _Sentence) -> list[tuple[int, int]]:
    text = sentence.text
    lemmas = sentence.lemmas

    def anywhere(patterns: tuple[re.Pattern[str], ...]) -> bool:
        return any(p.search(text) or (lemmas and p.search(lemmas.text)) for p in patterns)

    spans = [m.span() for p in rule.patterns for m in p.finditer(text) if m.end() > m.start()]
    if lemmas is not None:
        spans += [
            lemmas.surface(*m.span())
            for p in rule.lemma_patterns
            for m in p.finditer(lemmas.text)
            if m.end() > m.start()
        ]
    if not spans:
        return []
    if rule.requires and not anywhere(rule.requires):
        return []
    if anywhere(rule.unless) or language.distancing.search(text):
        return []
    if rule.spec.citation_rescues and language.citation.search(text):
        return []
    kept = []
    for start, end in sorted(set(spans)):
        if _negated(language, rule, text, start, end):
            if rule.spec.scope == "sentence":
                return []
            continue
        if rule.spec.hedges_rescue and language.hedge.search(text[:end]):
            continue
        kept.append((start, end))
    distinct = {text[s:e].lower() for s, e in kept}
    if len(distinct) < rule.spec.min_matches:
        return []
    if rule.spec.scope == "sentence" and kept:  # a list is one finding
        return [(kept[0][0], kept[-1][1])]
    merged: list[tuple[int, int]] = []
    for start, end in kept:  # overlapping phrases are one finding
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class UnsupportedLanguage(ValueError):
    """Text in a language the rulebook has no rules for."""


def match_claims(
    text: str, lang: str, jurisdiction: str, book: Rulebook, *, use_model: bool = True
) -> list[ClaimMatch]:
    """Every claim in `text` (in `lang`) that the rules of `jurisdiction` in `book` do not allow.

    The text is read as it prints (NFKC, invisible characters dropped, lookalike
    letters folded); offsets point into `text` as given. A sentence no rule flags
    gets the statistical model's opinion (`use_model`). Raises UnsupportedLanguage
    if `book` has no rules for `lang`.
    """
    if lang not in book.languages:
        raise UnsupportedLanguage(
            f"no claim rules for {lang!r}; the guard checks: {', '.join(sorted(book.languages))}"
        )
    language = book.languages[lang]
    printed = printed_text(text)
    rules = [rule for rule in language.rules if book.applies(rule, jurisdiction)]
    found = []
    for sentence in _sentences(printed.text, language.lang, lemmatize=True):
        flagged = False
        for rule in rules:
            for start, end in _hits(language, rule, sentence):
                flagged = True
                found.append(
                    ClaimMatch(
                        rule,
                        sentence.text[start:end],
                        sentence.text.strip(),
                        printed.source_offset(sentence.start + start),
                        jurisdiction,
                    )
                )
        if use_model and not flagged:
            found.extend(_model_matches(language, rules, sentence, printed, jurisdiction))
    return found


# How sure the statistical model must be, by what anchors a sentence: "anchored" (a
# claim cue and no negation) or "open" (no cue, or a negation such as "no more pills",
# "without surgery", "不用吃药", which a claim uses as often as a denial does). The
# training script calibrates one threshold per tier; the open one is never the lower.
GATE_TIERS = ("anchored", "open")


def model_gate(language: Language, sentence: str) -> str | None:
    """Whether, and how strictly, the statistical model may judge `sentence`.

    None when the rules own the call: a distancing cue, a hedge or a dated source
    ("beware of...", "may help", "(Mu 2020)"), or an acceptable pattern (`model_vetoes`:
    quoted guidance, uncertainty, logistics, credentials). Otherwise "anchored" if the
    sentence holds a claim cue (`model_cues`: an effect verb, a condition, a first-person
    result, a number, a superlative) and no negation, else "open", where the model needs
    a higher score. The training script calibrates both thresholds behind this gate.
    """
    if language.model_veto is not None and language.model_veto.search(sentence):
        return None
    rules_own = (language.distancing, language.hedge, language.citation)
    if any(cue.search(sentence) for cue in rules_own):
        return None
    cue = language.model_cue is not None and language.model_cue.search(sentence)
    return "anchored" if cue and not language.negation.search(sentence) else "open"


def _model_matches(
    language: Language,
    rules: list[Rule],
    sentence: _Sentence,
    printed: PrintedText,
    jurisdiction: str,
) -> list[ClaimMatch]:
    """A finding of the statistical model for a sentence no rule flagged, if it scores high."""
    from acuprint.checks.claims.model import judge

    tier = model_gate(language, sentence.text)
    if tier is None:
        return []
    verdict = judge(language.lang, sentence.text, tier)
    if verdict is None:
        return []
    rule = next((r for r in rules if r.spec.category == verdict.category), None)
    if rule is None:
        return []
    text = sentence.text.strip()
    lead = len(sentence.text) - len(sentence.text.lstrip())
    return [
        ClaimMatch(
            rule,
            text,
            text,
            printed.source_offset(sentence.start + lead),
            jurisdiction,
            verdict.explain(),
        )
    ]


def claim_message(match: ClaimMatch) -> str:
    """`claims/<id>: "phrase": reason` as findings and problems show it."""
    message = f'{match.rule.id}: "{match.phrase}": {match.rule.spec.reason}'
    return f"{message} ({match.evidence})" if match.evidence else message
