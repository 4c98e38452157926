"""Claims in everything a set of clinics prints, and the phrases modules and clinics allow.

`claim_problems` checks the modules their handouts print, recipe titles and
the clinics' own text, each under its clinic's jurisdiction, and names the
file and line of every claim; `claim_allowances` reports each allowed phrase
and whether a rule needed it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from acuprint.checks.claims.matcher import ClaimMatch, claim_message, match_claims
from acuprint.checks.claims.normalize import printed_text
from acuprint.checks.claims.rulebook import load_rulebook
from acuprint.checks.claims.schema import Rulebook
from acuprint.checks.claims.unreadable import unreadable_content
from acuprint.errors import InputError, Problem
from acuprint.inputs.locate import toml_line
from acuprint.inputs.project import DISCLAIMER_ID, Handout, Module, Project
from acuprint.inputs.schema import AllowedClaim, ClinicProfile

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_MARKUP = re.compile(r"[*_`]")
# Inline markup prints no space: "cu**res**" and "cu<code>res</code>" read "cures".
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|"
    r"sub|sup|time|u|var|wbr)\b[^>]*>",
    re.IGNORECASE,
)
# A reference's title names conditions, bodies and research by nature; what it must
# not carry is a promise (cure, detox, no risk...), which every other rule still finds.
_CITATION_MAY_NAME = frozenset({"conditions", "endorsement", "proven", "promising"})
_SVG_TEXT = re.compile(r"<(?:text|tspan|title|desc)\b[^>]*>([^<]*)", re.IGNORECASE)
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


@dataclass(frozen=True)
class Allowance:
    """A phrase a module or clinic allows, and the reason it gives."""

    file: Path
    line: int | None
    phrase: str
    why: str
    used: bool


def _words(text: str) -> str:
    return " ".join(printed_text(text).text.lower().split()).strip(" .!?。！？")


def _within(part: str, whole: str) -> bool:
    """`part` stands in `whole` as whole words (or whole characters, in Chinese)."""
    if not part:
        return False
    edge = r"(?<!\w)" if part[0].isalnum() and not "\u3400" <= part[0] <= "\u9fff" else ""
    end = r"(?!\w)" if part[-1].isalnum() and not "\u3400" <= part[-1] <= "\u9fff" else ""
    return re.search(edge + re.escape(part) + end, whole) is not None


def _allowed(match: ClaimMatch, allowed: Collection[AllowedClaim]) -> AllowedClaim | None:
    """The allowance that covers the whole flagged phrase, as words of this sentence.

    An allowance never silences a phrase it only overlaps: "cu" does not allow "cures",
    and "cure" does not allow "cures back pain for good".
    """
    sentence = _words(match.sentence)
    phrase = _words(match.phrase)
    for allowance in allowed:
        wanted = _words(allowance.phrase)
        if wanted == phrase or (_within(phrase, wanted) and _within(wanted, sentence)):
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
        *,
        use_model: bool = True,
    ) -> list[ClaimMatch]:
        """Claims in `text`; given a `path`, phrases an allowance covers are skipped and noted.

        Without `use_model`, only the rules judge (names and contact details: the model
        learned from sentences and has no basis for a proper name or an address)."""
        found = []
        for match in match_claims(text, lang, jurisdiction, self.book, use_model=use_model):
            allowance = _allowed(match, allowed)
            if allowance is not None and path is not None:
                self.used.add((path, allowance.phrase))
                continue
            found.append(match)
        return found


def _module_text(module: Module) -> str:
    from acuprint.checks.readability import plain_text
    from acuprint.compose.markdown import render_markdown

    body = plain_text(_INLINE_TAG.sub("", render_markdown(module.body)))
    text = f"{module.meta.title}.\n{body}"
    # Markup leaves spaces between Chinese characters ("减轻 炎症"); they are not words.
    return _CJK_GAP.sub("", text)


def _line_in_file(path: Path, phrase: str, sentence: str) -> int | None:
    """The line of `path` where the sentence (or else the phrase) stands."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return None
    # Markdown emphasis and lookalike letters hide words from a plain search; folding
    # them away keeps the lines.
    lower = printed_text(_MARKUP.sub("", text)).text.lower()
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
    for index, source in enumerate(module.meta.sources):
        where = source.language if source.language in checker.book.languages else lang
        allowed = module.meta.allowed_claims
        for match in checker.check(source.citation, where, jurisdiction, allowed, module.path):
            if match.rule.spec.category in _CITATION_MAY_NAME:
                continue
            line = _line_in_file(module.path, source.citation[:40], "")
            yield ProjectClaim(match, module.path, line, f"sources.{index}.citation")


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
    unreadable = unreadable_content(project, book.languages)
    if unreadable:
        raise InputError(unreadable)
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
        yield from _logo_claims(checker, clinic.folder, profile, clinic_langs)
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


# The clinic's fields written as sentences (the model may judge them); the rest are names,
# numbers and addresses, judged by the rules alone.
_SENTENCES = {"tagline", "directions", "credentials"}


def _clinic_claims(
    checker: ClaimChecker, text: str, path: Path, profile: ClinicProfile, langs: list[str]
) -> Iterator[ProjectClaim]:
    # Everything the clinic prints: header, footer, last page, first-visit details.
    base: list[tuple[tuple[str | int, ...], str]] = [
        (("name",), profile.name),
        (("tagline",), profile.tagline),
        (("phone",), profile.phone),
        (("booking_url",), str(profile.booking_url)),
        (("website",), str(profile.website)),
        (("address", "street"), profile.address.street),
        (("address", "city"), profile.address.city),
        (("directions",), profile.directions),
    ]
    base += [(("opening_hours", i), line) for i, line in enumerate(profile.opening_hours)]
    for index, person in enumerate(profile.practitioners):
        for key in ("name", "credentials", "license"):
            base.append((("practitioners", index, key), getattr(person, key)))
    fields: list[tuple[tuple[str | int, ...], str, str]] = []
    for loc, value in base:
        fields += [(loc, value, lang) for lang in _base_languages(checker, value, langs)]
    for lang, translation in profile.translations.items():
        if lang in langs:
            fields.append((("translations", lang, "tagline"), translation.tagline, lang))
            fields.append((("translations", lang, "directions"), translation.directions, lang))
            for i, line in enumerate(translation.opening_hours):
                fields.append((("translations", lang, "opening_hours", i), line, lang))
    for loc, value, lang in fields:
        if not value.strip():
            continue
        sentence = loc[-1] in _SENTENCES or loc[0] in _SENTENCES
        allowed = profile.allowed_claims
        for match in checker.check(value, lang, profile.rules, allowed, path, use_model=sentence):
            key = ".".join(str(p) for p in loc)
            yield ProjectClaim(match, path, toml_line(text, loc), key)


def _base_languages(checker: ClaimChecker, value: str, langs: list[str]) -> list[str]:
    """English, and Chinese where the text is Chinese: the clinic's own fields have no tag."""
    found = ["en"]
    if "zh-Hans" in checker.book.languages and re.search(r"[\u3400-\u9fff]", value):
        found.append("zh-Hans")
    if "es" in langs and re.search(r"[áéíóúñ¿¡]", value, re.IGNORECASE):
        found.append("es")
    return found


def _logo_claims(
    checker: ClaimChecker, folder: Path, profile: ClinicProfile, langs: list[str]
) -> Iterator[ProjectClaim]:
    """Words drawn in an SVG logo (<text>, <title>, <desc>) print like any other text."""
    path = folder / profile.logo
    if path.suffix.lower() != ".svg" or not path.is_file():
        return
    svg = path.read_text(encoding="utf-8-sig", errors="replace")
    for found in _SVG_TEXT.finditer(svg):
        words = html.unescape(found.group(1))
        if not words.strip():
            continue
        line = svg.count("\n", 0, found.start()) + 1
        for lang in _base_languages(checker, words, langs):
            for match in checker.check(words, lang, profile.rules, profile.allowed_claims, path):
                yield ProjectClaim(match, path, line, None)
