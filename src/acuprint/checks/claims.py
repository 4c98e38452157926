"""Health claims a handout must not make: find them in any text a patient will read.

The rules are data (`data/claims/<lang>.toml`, see `claim_rules`); this module
matches them. Text is cut into sentences and clauses; a phrase is a claim
unless its clause denies it ("is not a cure", "cannot be guaranteed"), the
sentence distances itself from it ("beware of anyone who promises a cure"), a
hedge softens it where the rule allows ("may trigger endorphins"; never
"may cure"), or a named, dated source backs it where the rule allows.

`claim_problems` checks everything a set of clinics prints (modules, recipe
titles, clinic text) under each clinic's jurisdiction; `find_claims` checks
any text, such as a draft web page.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from acuprint.checks.claim_rules import (
    CATEGORIES,
    Language,
    Rule,
    Rulebook,
    load_rulebook,
)
from acuprint.errors import InputError, Problem
from acuprint.inputs.locate import toml_line
from acuprint.inputs.project import DISCLAIMER_ID, Handout, Module, Project
from acuprint.inputs.schema import AllowedClaim, ClinicProfile

__all__ = [
    "CATEGORIES",
    "Allowance",
    "ClaimChecker",
    "ClaimMatch",
    "CorpusScore",
    "InputError",
    "ProjectClaim",
    "Rulebook",
    "claim_allowances",
    "claim_message",
    "claim_problems",
    "corpus_misses",
    "corpus_path",
    "corpus_scores",
    "find_claims",
    "iter_project_claims",
    "load_rulebook",
    "read_corpus",
]

# Sentence ends; a newline ends a sentence too (list items, headings, lines of a post).
_SENTENCE = re.compile(r"[^.!?。！？\n]+(?:[.!?。！？]+|$)", re.MULTILINE)
_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_MARKUP = re.compile(r"[*_`]")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


@dataclass(frozen=True)
class ClaimMatch:
    """One phrase a rule flagged, with the sentence it stands in."""

    rule: Rule
    phrase: str
    sentence: str
    offset: int  # where the phrase starts in the text
    jurisdiction: str


@dataclass(frozen=True)
class Allowance:
    """A phrase a module or clinic allows, and the reason it gives."""

    file: Path
    line: int | None
    phrase: str
    why: str
    used: bool


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


def find_claims(
    text: str, lang: str, jurisdiction: str, rulebook: Rulebook | None = None
) -> list[ClaimMatch]:
    """Every claim in `text` (in `lang`) that the rules of `jurisdiction` do not allow."""
    book = rulebook or load_rulebook()
    language = book.language(lang)
    rules = [rule for rule in language.rules if book.applies(rule, jurisdiction)]
    found = []
    for sentence in _sentences(text, language.lang, lemmatize=lang == language.lang):
        for rule in rules:
            for start, end in _hits(language, rule, sentence):
                found.append(
                    ClaimMatch(
                        rule,
                        sentence.text[start:end],
                        sentence.text.strip(),
                        sentence.start + start,
                        jurisdiction,
                    )
                )
    return found


def claim_message(match: ClaimMatch) -> str:
    """`claims/<id>: "phrase": reason` as findings and problems show it."""
    return f'{match.rule.id}: "{match.phrase}": {match.rule.spec.reason}'


# --- everything a clinic prints ------------------------------------------------------------


def _allowed(match: ClaimMatch, allowed: Collection[AllowedClaim]) -> AllowedClaim | None:
    """The allowance whose phrase, in this sentence, covers the flagged phrase."""
    sentence = match.sentence.lower()
    phrase = match.phrase.lower()
    for allowance in allowed:
        wanted = allowance.phrase.lower()
        if phrase in wanted and wanted in sentence:
            return allowance
        if wanted in phrase:
            return allowance
    return None


@dataclass
class ClaimChecker:
    """Finds claims in one project's texts, remembering which allowances were used."""

    book: Rulebook
    used: set[tuple[Path, str]]

    @classmethod
    def for_project(cls, project: Project) -> ClaimChecker:
        """A checker with the shipped rules and the project's claims.toml."""
        return cls(load_rulebook(project.root), set())

    def check(
        self,
        text: str,
        lang: str,
        jurisdiction: str,
        allowed: Collection[AllowedClaim] = (),
        path: Path | None = None,
    ) -> list[ClaimMatch]:
        found = []
        for match in find_claims(text, lang, jurisdiction, self.book):
            allowance = _allowed(match, allowed)
            if allowance is not None and path is not None:
                self.used.add((path, allowance.phrase))
                continue
            found.append(match)
        return found


def _module_text(module: Module) -> str:
    from acuprint.checks.readability import plain_text
    from acuprint.compose.markdown import render_markdown

    text = f"{module.meta.title}.\n{plain_text(render_markdown(module.body))}"
    # Markup leaves spaces between Chinese characters ("减轻 炎症"); they are not words.
    return _CJK_GAP.sub("", text)


def _line_in_file(path: Path, phrase: str, sentence: str) -> int | None:
    """The line of `path` where the sentence (or else the phrase) stands."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return None
    # Markdown emphasis hides words from a plain search; dropping it keeps the lines.
    lower = _MARKUP.sub("", text).lower()
    for needle in (sentence[:40], phrase, sentence[:12]):
        index = lower.find(_MARKUP.sub("", needle).lower()) if needle.strip() else -1
        if index >= 0:
            return lower.count("\n", 0, index) + 1
    return None


def module_claims(
    checker: ClaimChecker, module: Module, lang: str, jurisdiction: str
) -> Iterator[ProjectClaim]:
    """Claims in one module (title and body), with the line of each in the module's file."""
    title = module.meta.title
    text = _module_text(module)
    for match in checker.check(text, lang, jurisdiction, module.meta.allowed_claims, module.path):
        if match.offset < len(title):
            line = _line_in_file(module.path, "title:", "")
            yield ProjectClaim(match, module.path, line, "title")
        else:
            line = _line_in_file(module.path, match.phrase, match.sentence)
            yield ProjectClaim(match, module.path, line, None)


def _printed_modules(project: Project, modules: list[str]) -> list[str]:
    from acuprint.compose.handout import SAFETY_CHECKLIST_ID, needs_safety_checklist

    ids = [m for m in modules if m != DISCLAIMER_ID]
    if SAFETY_CHECKLIST_ID not in ids and needs_safety_checklist(project, ids):
        ids.append(SAFETY_CHECKLIST_ID)
    return list(dict.fromkeys([*ids, DISCLAIMER_ID]))


def claim_problems(
    project: Project, clinic_ids: Collection[str], langs: Collection[str] | None = None
) -> list[Problem]:
    """Every claim in what these clinics print, under each clinic's jurisdiction.

    Covers the modules their handouts print (in the clinics' languages, only
    `langs` if given), recipe titles and subtitles, and the clinic's own text
    (name, tagline and its translations, practitioners' credentials). Each
    problem names the file, line, rule, phrase and reason; its fix is the
    better wording. Raises InputError if the project's claims.toml is invalid.
    """
    found = [_as_problem(claim) for claim in iter_project_claims(project, clinic_ids, langs)]
    unique = {(p.file, p.line, p.message): p for p in found}
    return sorted(unique.values(), key=lambda p: (str(p.file), p.line or 0, p.message))


@dataclass(frozen=True)
class ProjectClaim:
    """A claim found in a project file: where it is, and under which jurisdiction."""

    match: ClaimMatch
    file: Path
    line: int | None
    key: str | None


def _as_problem(claim: ProjectClaim) -> Problem:
    match = claim.match
    where = f" (under {match.jurisdiction} rules)" if match.rule.jurisdictions else ""
    return Problem(
        claim.file, claim_message(match) + where, match.rule.spec.better, claim.line, claim.key
    )


def claim_allowances(
    project: Project,
    clinic_ids: Collection[str] | None = None,
    checker: ClaimChecker | None = None,
) -> list[Allowance]:
    """Every phrase a module or clinic allows, its reason, and whether a rule needed it.

    Pass the `checker` that already ran over the project to reuse what it found.
    """
    ids = list(project.clinics) if clinic_ids is None else list(clinic_ids)
    if checker is None:
        checker = ClaimChecker(load_rulebook(project.root), set())
        for _ in iter_project_claims(project, ids, None, all_modules=True, checker=checker):
            pass
    found = []
    for module in project.modules.values():
        for allowance in module.meta.allowed_claims:
            found.append(_allowance(module.path, allowance, checker.used))
    for clinic_id in sorted(set(ids)):
        clinic = project.clinics.get(clinic_id)
        if clinic is not None:
            for allowance in clinic.profile.allowed_claims:
                found.append(_allowance(clinic.folder / "clinic.toml", allowance, checker.used))
    return sorted(found, key=lambda a: (str(a.file), a.line or 0))


def _allowance(path: Path, allowance: AllowedClaim, used: set[tuple[Path, str]]) -> Allowance:
    phrase = allowance.phrase
    line = None
    for needle in (f'phrase = "{phrase}"', f'phrase: "{phrase}"', f"phrase: {phrase}", phrase):
        line = line or _line_in_file(path, needle, "")
    return Allowance(path, line, allowance.phrase, allowance.why, (path, allowance.phrase) in used)


def iter_project_claims(
    project: Project,
    clinic_ids: Collection[str],
    langs: Collection[str] | None = None,
    *,
    all_modules: bool = False,
    checker: ClaimChecker | None = None,
) -> Iterator[ProjectClaim]:
    """Claims in what the clinics print; with `all_modules`, in every module of the library.

    A module no clinic prints is checked under every jurisdiction of the clinics
    that use its language (every known jurisdiction if none does).
    """
    checker = checker or ClaimChecker(load_rulebook(project.root), set())
    book = checker.book
    done: set[tuple[str, str, str]] = set()
    for clinic_id in sorted(set(clinic_ids)):
        clinic = project.clinics.get(clinic_id)
        if clinic is None:
            continue
        profile = clinic.profile
        path = clinic.folder / "clinic.toml"
        jurisdiction = profile.rules
        if jurisdiction not in book.jurisdictions:
            raise InputError(
                [
                    Problem(
                        path,
                        f"jurisdiction '{jurisdiction}' has no claim rules",
                        "use one of: " + ", ".join(sorted(book.jurisdictions)) + ", or define "
                        "it in claims.toml under [jurisdictions.<id>]",
                        toml_line(clinic.text, ("jurisdiction",)),
                        "jurisdiction",
                    )
                ]
            )
        clinic_langs = [lang for lang in profile.languages if langs is None or lang in langs]
        yield from _clinic_claims(checker, clinic.text, path, profile, clinic_langs)
        for handout in project.handouts.values():
            for lang in clinic_langs:
                yield from _recipe_claims(checker, handout, lang, jurisdiction)
                for module_id in _printed_modules(project, handout.recipe.modules):
                    module = project.modules.get((module_id, lang))
                    if module is None or (module_id, lang, jurisdiction) in done:
                        continue
                    done.add((module_id, lang, jurisdiction))
                    yield from module_claims(checker, module, lang, jurisdiction)
    if not all_modules:
        return
    used_in: dict[str, set[str]] = defaultdict(set)
    for clinic in project.clinics.values():
        for lang in clinic.profile.languages:
            used_in[lang].add(clinic.profile.rules)
    for (module_id, lang), module in sorted(project.modules.items()):
        if langs is not None and lang not in langs:
            continue
        for jurisdiction in sorted(used_in.get(lang) or book.jurisdictions):
            if (module_id, lang, jurisdiction) not in done:
                done.add((module_id, lang, jurisdiction))
                yield from module_claims(checker, module, lang, jurisdiction)


def _recipe_claims(
    checker: ClaimChecker, handout: Handout, lang: str, jurisdiction: str
) -> Iterator[ProjectClaim]:
    translated = lang in handout.recipe.translations
    text = handout.recipe.text(lang)
    for key, value in (("title", text.title), ("subtitle", text.subtitle)):
        loc = ("translations", lang, key) if translated else (key,)
        for match in checker.check(value, lang if translated else "en", jurisdiction):
            yield ProjectClaim(match, handout.path, toml_line(handout.text, loc), ".".join(loc))


def _clinic_claims(
    checker: ClaimChecker, text: str, path: Path, profile: ClinicProfile, langs: list[str]
) -> Iterator[ProjectClaim]:
    fields: list[tuple[tuple[str | int, ...], str, str]] = [
        (("name",), profile.name, "en"),
        (("tagline",), profile.tagline, "en"),
    ]
    for index, person in enumerate(profile.practitioners):
        fields.append((("practitioners", index, "credentials"), person.credentials, "en"))
    for lang, translation in profile.translations.items():
        if lang in langs:
            fields.append((("translations", lang, "tagline"), translation.tagline, lang))
    for loc, value, lang in fields:
        for match in checker.check(value, lang, profile.rules, profile.allowed_claims, path):
            key = ".".join(str(p) for p in loc)
            yield ProjectClaim(match, path, toml_line(text, loc), key)


# --- the labelled corpus -------------------------------------------------------------------


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


def corpus_path(lang: str) -> Path:
    """The shipped labelled corpus of `lang`."""
    return Path(str(resources.files("acuprint") / "data" / "claims" / "corpus" / f"{lang}.tsv"))


def read_corpus(path: Path) -> list[tuple[bool, str, str]]:
    """(objectionable, category, sentence) rows of a TSV file; '#' starts a comment line."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for label, category, sentence in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if label not in ("flag", "ok"):
                raise ValueError(f"{path}: label {label!r} is not 'flag' or 'ok'")
            rows.append((label == "flag", category, sentence))
    return rows


def corpus_misses(
    rows: list[tuple[bool, str, str]], lang: str, rulebook: Rulebook | None = None
) -> Iterator[tuple[bool, str, str]]:
    """Rows the rules get wrong: missed claims and flagged acceptable sentences."""
    for wanted, category, sentence in rows:
        # A claim must be found under every jurisdiction; an acceptable sentence
        # must pass under every one.
        found = [bool(find_claims(sentence, lang, j, rulebook)) for j in ("us", "uk")]
        if (wanted and not all(found)) or (not wanted and any(found)):
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
