"""Content lint: reading level, health claims, evidence register, translations, clinic checks.

Each check adds findings to a `LintReport` (see `lint_report`). Errors fail
`acuprint lint`; warnings fail it too under --strict (and `acuprint build
--strict` runs the lint).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from acuprint.checks.claims import ClaimChecker, ProjectClaim, claim_allowances, iter_project_claims
from acuprint.checks.evidence import REVIEW_MAX_AGE_YEARS as REVIEW_MAX_AGE_YEARS
from acuprint.checks.evidence import SOURCE_MAX_AGE_YEARS as SOURCE_MAX_AGE_YEARS
from acuprint.checks.evidence import source_review_due, years_between
from acuprint.checks.lint_report import Finding as Finding
from acuprint.checks.lint_report import LintReport as LintReport
from acuprint.checks.lint_report import Scorecard as Scorecard
from acuprint.checks.readability import plain_text, reading_level
from acuprint.compose.handout import (
    MAIN_MESSAGE_PREFIX,
    SAFETY_CHECKLIST_ID,
    SAFETY_MODULE_IDS,
    compose_handout,
    needs_safety_checklist,
)
from acuprint.compose.markdown import render_markdown
from acuprint.compose.regions import expanded_lines
from acuprint.inputs.colours import brand_contrast
from acuprint.inputs.project import DISCLAIMER_ID, RED_FLAGS_ID, SOURCE_LANGUAGE, Module, Project

_PLACEHOLDER = re.compile(r"^\s*(tbd|todo|n/?a|none|-+|\?+|x+)\s*$", re.IGNORECASE)
_EFFECT = {
    "en": re.compile(
        r"\b(reduc|reliev|eas|improv|lessen|lower|treat)\w*\s+(\w+\s+){0,3}"
        r"(pain|function|symptom|stress|sleep|headache|migraine|stiffness)",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\b(reduc|alivi|mejor|disminu|trat)\w*\s+(\w+\s+){0,3}(dolor|funci[oó]n|s[ií]ntoma|"
        r"estr[eé]s|sue[nñ]o)",
        re.IGNORECASE,
    ),
    "zh-Hans": re.compile(r"(减轻|缓解|改善|治疗)(\S{0,4})(疼痛|痛|功能|症状|睡眠)"),
}


def lint_project(project: Project, as_of: date) -> LintReport:
    """Run every rule over the content library and every clinic."""
    report = LintReport(project.root)
    for (module_id, lang), module in sorted(project.modules.items()):
        # Each region's wording is read as that region's clinics print it.
        # Figures read as their alt text and caption, paragraphs of their own.
        texts = {
            region: plain_text(
                render_markdown(
                    "".join(
                        line
                        for _, line in expanded_lines(module.body, lang, region, project.regions)
                    )
                )
            )
            for region in ("us", "uk")
        }
        hardest = max(texts.values(), key=lambda t: _reading_difficulty(t, lang))
        _reading(module, hardest, lang, report)
        _evidence(module, " ".join(texts.values()), lang, as_of, report)
        if lang != SOURCE_LANGUAGE:
            _translation(project, module, module_id, report)
    _required_content(project, report)
    for clinic in project.clinics.values():
        _clinic(project, clinic.id, report)
    # Everything a clinic prints, and every module in the library, under the rules
    # of each jurisdiction that uses it (checks/claims/project.py).
    checker = ClaimChecker.for_project(project)
    for claim in iter_project_claims(project, project.clinics, all_modules=True, checker=checker):
        report.findings.append(_claim_finding(claim))
    report.allowances = claim_allowances(project, checker=checker)
    report.findings = _unique(report.findings)
    report.scorecards = _scorecards(project, report)
    return report


def _reading_difficulty(text: str, lang: str) -> float:
    level = reading_level(text, lang)
    return _difficulty(level.formula, level.score) if level else 0.0


def _reading(module: Module, text: str, lang: str, report: LintReport) -> None:
    level = reading_level(text, lang)
    if level is None or level.severity is None:
        return
    report.findings.append(
        Finding(
            module.path,
            None,
            f"reading-level/{lang}",
            level.severity,
            f"{level.formula} is {level.score} (target: {level.target})",
            "use shorter sentences and everyday words; define any medical term once",
        )
    )


def _claim_finding(claim: ProjectClaim) -> Finding:
    match = claim.match
    where = f" ({match.jurisdiction.upper()} clinics)" if match.rule.jurisdictions else ""
    return Finding(
        claim.file,
        claim.line,
        match.rule.id,
        "error",
        f'"{match.phrase}"{where}: {match.rule.spec.reason}',
        match.rule.spec.better,
    )


def _evidence(module: Module, text: str, lang: str, as_of: date, report: LintReport) -> None:
    meta = module.meta
    for source in meta.sources:
        if not source_review_due(source, as_of):
            continue
        report.findings.append(
            Finding(
                module.path,
                _line_of(module.path, f"id: {source.id}"),
                "evidence/review-due",
                "warning",
                f"review due: source '{source.id}' is from {source.year}, "
                f"more than {SOURCE_MAX_AGE_YEARS} years old",
                "check it is still the current evidence, then record `checked: YYYY-MM-DD` "
                "and `check_note` on the source, or replace it",
            )
        )
    if _years(meta.last_reviewed, as_of) > REVIEW_MAX_AGE_YEARS:
        report.findings.append(
            Finding(
                module.path,
                _line_of(module.path, "last_reviewed:"),
                "evidence/review-due",
                "warning",
                f"review due: last reviewed {meta.last_reviewed}, "
                f"more than {REVIEW_MAX_AGE_YEARS} years ago",
                "have the module reviewed, then update `last_reviewed`",
            )
        )
    effect = _EFFECT.get(lang, _EFFECT["en"]).search(text)
    if effect and not meta.sources:
        report.findings.append(
            Finding(
                module.path,
                _line_of(module.path, effect.group(0)),
                "evidence/unsourced-effect",
                "error",
                f'"{effect.group(0)}" states an effect, but the module lists no sources',
                "add the source that shows it to `sources`, or remove the statement",
            )
        )


def _translation(project: Project, module: Module, module_id: str, report: LintReport) -> None:
    english = project.modules.get((module_id, SOURCE_LANGUAGE))
    if english is None:
        return
    translates = module.meta.translates
    if translates is None:
        report.findings.append(
            Finding(
                module.path,
                None,
                "translation/version",
                "error",
                "the translation does not record which English version it translates",
                f"add `translates: {english.meta.version}` once it matches the English",
            )
        )
    elif translates < english.meta.version:
        report.findings.append(
            Finding(
                module.path,
                _line_of(module.path, "translates:"),
                "translation/stale",
                "warning",
                f"stale: translates version {translates} of {english.path.name}, "
                f"which is now version {english.meta.version}",
                f"update the translation, then set `translates: {english.meta.version}`",
            )
        )


def _required_content(project: Project, report: LintReport) -> None:
    """The disclaimer and the safety checklist are added by composition; say so."""
    for handout in project.handouts.values():
        modules = handout.recipe.modules
        if DISCLAIMER_ID in modules and modules[-1] != DISCLAIMER_ID:
            report.findings.append(
                Finding(
                    handout.path,
                    _line_of(handout.path, f'"{DISCLAIMER_ID}"'),
                    "required/disclaimer-last",
                    "warning",
                    "the disclaimer is listed before other modules; it always prints last",
                    f"move '{DISCLAIMER_ID}' to the end of `modules`",
                )
            )
        if handout.recipe.about_pain and (
            RED_FLAGS_ID not in modules
            or modules.index(RED_FLAGS_ID) > int(modules[0].startswith(MAIN_MESSAGE_PREFIX))
        ):
            report.findings.append(
                Finding(
                    handout.path,
                    _line_of(handout.path, "modules"),
                    "required/red-flags",
                    "warning",
                    "a handout about pain must show the back-pain warning signs on its first "
                    "page; they are added after the main message",
                    f"list '{RED_FLAGS_ID}' first in `modules` (after a main-message module)",
                )
            )
        if needs_safety_checklist(project, modules) and not any(
            m in modules for m in SAFETY_MODULE_IDS
        ):
            report.findings.append(
                Finding(
                    handout.path,
                    _line_of(handout.path, "modules"),
                    "required/safety-checklist",
                    "warning",
                    "the handout talks about needling but does not list the safety checklist; "
                    "it is added before the disclaimer",
                    f"list '{SAFETY_CHECKLIST_ID}' in `modules` where it should print",
                )
            )


def _clinic(project: Project, clinic_id: str, report: LintReport) -> None:
    clinic = project.clinics[clinic_id]
    path = clinic.folder / "clinic.toml"
    colours = clinic.profile.colors

    for short in brand_contrast(colours.primary, colours.accent, colours.text):
        report.findings.append(
            Finding(
                path,
                _line_of(path, f"{short.key} ="),
                "clinic/contrast",
                "error" if short.unreadable else "warning",
                short.message(),
                f"choose a darker {short.key} colour",
            )
        )
    for key in ("website", "booking_url"):
        url = getattr(clinic.profile, key)
        if not url.startswith("https://"):
            report.findings.append(
                Finding(
                    path,
                    _line_of(path, f"{key} ="),
                    "clinic/url",
                    "warning",
                    f"{key} {url} is not https",
                    "use the https:// address, so phones open it safely",
                )
            )
    for person in clinic.profile.practitioners:
        for key in ("credentials", "license"):
            if _PLACEHOLDER.match(getattr(person, key)):
                report.findings.append(
                    Finding(
                        path,
                        _line_of(path, person.name),
                        "clinic/credentials",
                        "error",
                        f"{person.name}: {key} is a placeholder",
                        "give the practitioner's real credentials and licence number",
                    )
                )


def _scorecards(project: Project, report: LintReport) -> list[Scorecard]:
    findings_by_file: dict[Path, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        findings_by_file[finding.path].append(finding)
    cards = []
    languages = sorted({lang for c in project.clinics.values() for lang in c.profile.languages})
    some_clinic = next(iter(project.clinics.values()), None)
    if some_clinic is None:
        return []
    for handout in project.handouts.values():
        for lang in languages:
            if any((m, lang) not in project.modules for m in handout.recipe.modules):
                continue
            composed = compose_handout(project, some_clinic, handout, lang)
            texts = {s.id: plain_text(s.html) for s in composed.all_sections}
            levels = {section_id: reading_level(text, lang) for section_id, text in texts.items()}
            scored = {k: v for k, v in levels.items() if v is not None}
            overall = reading_level(" ".join(texts.values()), lang)
            worst = (
                max(scored, key=lambda k: _difficulty(scored[k].formula, scored[k].score))
                if scored
                else "-"
            )
            paths = [project.module(s.id, lang).path for s in composed.all_sections]
            found = [f for p in paths for f in findings_by_file[p]]
            years = [s.year for s in composed.sources]
            cards.append(
                Scorecard(
                    handout=handout.id,
                    lang=lang,
                    reading=f"{overall.formula} {overall.score}" if overall else "not scored",
                    worst_module=worst,
                    words=sum(_count_words(t, lang) for t in texts.values()),
                    claims=sum(1 for f in found if f.rule.startswith("claims/")),
                    sources=len(composed.sources),
                    oldest_source=min(years) if years else None,
                    oldest_review=str(min(s.last_reviewed for s in composed.all_sections)),
                    findings=len(found),
                )
            )
    return cards


def _difficulty(formula: str, score: float) -> float:
    return -score if formula.startswith("Fernandez") else score


def _count_words(text: str, lang: str) -> int:
    if lang == "zh-Hans":  # Chinese has no spaces: count characters, as editors do
        return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return len(text.split())


_years = years_between


def _line_of(path: Path, needle: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return None
    index = text.lower().find(needle.lower())
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.path, finding.line, finding.rule, finding.message), finding)
    return sorted(seen.values(), key=lambda f: (str(f.path), f.line or 0, f.rule))
