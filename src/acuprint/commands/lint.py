"""`acuprint lint`: content and clinic checks, claims in any draft text, the claims report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    ProjectOption,
    fail_input,
    print_findings,
    write_report,
)
from acuprint.errors import InputError


def lint(
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only errors.")
    ] = False,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Print a scorecard for every handout, and how the claim rules score on "
            "their labelled corpus (recall and false positives per category).",
        ),
    ] = False,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", metavar="FILE", help="Write findings and scorecards as JSON."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date for review-due checks [today]."),
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option(
            "--text",
            metavar="FILE",
            help="Check a draft web page or social post (plain text; '-' reads standard "
            "input) for health claims, instead of the project.",
            allow_dash=True,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help="Language of --text: en, es, zh-Hans [default: detected from the text].",
        ),
    ] = None,
    jurisdiction: Annotated[
        list[str] | None,
        typer.Option(
            "--jurisdiction",
            metavar="ID",
            help="Advertising rules for --text: us, uk, or one from claims.toml "
            "(repeatable) [default: all].",
        ),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Check content and clinics: reading level, claims, evidence, translations, contrast.

    With --text, check any text a clinic wants to publish for health claims; exit
    code 2 if a claim is found.

    Example: acuprint lint --strict --report --json out/lint.json

    Example: acuprint lint --text draft-post.txt --lang es --jurisdiction us
    """
    import json
    from datetime import date

    from acuprint.build.supervisor import load_limited
    from acuprint.checks.lint import lint_project

    if text is not None:
        _lint_text(text, lang, jurisdiction, project)
        return
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter(
            f"{as_of!r} is not a date like 2026-11-20", param_hint="'--as-of'"
        ) from None
    try:
        loaded = load_limited(project)
        result = lint_project(loaded, day)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    print_findings(result, loaded.root)
    for allowance in result.allowances:
        where = (
            allowance.file.relative_to(loaded.root)
            if allowance.file.is_relative_to(loaded.root)
            else allowance.file
        )
        line = f":{allowance.line}" if allowance.line else ""
        unused = "" if allowance.used else " (no rule flags it now: remove it?)"
        typer.echo(f'allowed: {where}{line}: "{allowance.phrase}": {allowance.why}{unused}')
    if report:
        typer.echo(
            f"{'handout':<14} {'lang':<8} {'reading level':<30} {'hardest module':<34} "
            f"{'words':>6} {'claims':>6} {'sources':>7} {'oldest':>6} {'reviewed':<10}"
        )
        for card in result.scorecards:
            typer.echo(
                f"{card.handout:<14} {card.lang:<8} {card.reading:<30} {card.worst_module:<34} "
                f"{card.words:>6} {card.claims:>6} {card.sources:>7} "
                f"{card.oldest_source or '-':>6} {card.oldest_review:<10}"
            )
        _claims_report(loaded.root)
    if json_out is not None:
        document = json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
        write_report(json_out, document, "--json")
    if result.failed(strict):
        raise typer.Exit(EXIT_FAILED)


def _lint_text(source: Path, lang: str | None, wanted: list[str] | None, project: Path) -> None:
    """Print every claim in a draft text with line, reason and better wording."""
    from acuprint.checks.claims import find_claims, load_rulebook
    from acuprint.checks.claims.language import detect_language

    try:
        book = load_rulebook(project.resolve())
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    if lang is not None and lang not in book.languages:
        raise typer.BadParameter(
            f"no claim rules for {lang!r}; use one of: {', '.join(sorted(book.languages))}",
            param_hint="'--lang'",
        )
    unknown = [j for j in wanted or () if j not in book.jurisdictions]
    if unknown:
        raise typer.BadParameter(
            f"unknown jurisdiction {unknown[0]!r}; use one of: "
            + ", ".join(sorted(book.jurisdictions)),
            param_hint="'--jurisdiction'",
        )
    name = "standard input" if str(source) == "-" else str(source)
    try:
        body = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        typer.echo(f"error: cannot read {name}: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if lang is None:
        lang = detect_language(body)
        if lang not in book.languages:
            typer.echo(
                f"error: {name} looks like {lang!r}, and the claims guard has no rules for it; "
                f"it checks: {', '.join(sorted(book.languages))}. Nothing was checked: have it "
                "reviewed by hand, or pass --lang if the language was misread.",
                err=True,
            )
            raise typer.Exit(EXIT_INVALID)
        typer.echo(f"Checking {name} as {lang!r} (detected; --lang overrides).")
    seen: dict[tuple[int, str, str], list[str]] = {}
    matches = {}
    for code in sorted(wanted or book.jurisdictions):
        for match in find_claims(body, lang, code, book):
            key = (match.offset, match.rule.id, match.phrase)
            seen.setdefault(key, []).append(code)
            matches[key] = match
    for key in sorted(seen):
        match = matches[key]
        line = body.count("\n", 0, match.offset) + 1
        where = f" ({', '.join(seen[key])} rules)" if match.rule.jurisdictions else ""
        typer.echo(
            f'{name}:{line}: {match.rule.id}{where}: "{match.phrase}": {match.rule.spec.reason}\n'
            f"    in: {match.sentence}\n"
            f"    better: {match.rule.spec.better}"
            + (f"\n    why: {match.evidence}" if match.evidence else "")
        )
    if seen:
        typer.echo(f"{len(seen)} claim(s) found in {name}. Reword them before you publish.")
        raise typer.Exit(EXIT_INVALID)
    typer.echo(f"No health claims found in {name}.")


def _claims_report(root: Path) -> None:
    """Recall and false positives of the shipped claim rules on their labelled corpus.

    It depends on acuprint's own rules, model and corpus only, so it is kept in the
    cache folder and made again only when those change.
    """
    from acuprint.build.claims_cache import cached_report, guard_key, remember_report

    key = guard_key()
    text = cached_report(root, key)
    if text is None:
        text = _corpus_figures()
        remember_report(root, key, text)
    typer.echo(text, nl=False)


def _corpus_figures() -> str:
    from acuprint.checks.claims import (
        SHIPPED_LANGUAGES,
        corpus_path,
        corpus_scores,
        load_rulebook,
        read_corpus,
    )

    book = load_rulebook()
    lines = [
        "",
        "Claims guard (rules + model) on its labelled corpus (data/claims/corpus/<lang>.tsv, "
        "train) and dev split (corpus/dev/<lang>.tsv, never trained on):",
        f"{'lang split':<14} {'category':<16} {'recall':>14} {'false positives':>18}",
    ]
    splits = [(code, "train", corpus_path(code)) for code in SHIPPED_LANGUAGES]
    # The dev split is never trained or tuned on: its figures are the honest ones.
    splits += [
        (code, "dev", corpus_path(code).parent / "dev" / f"{code}.tsv")
        for code in SHIPPED_LANGUAGES
    ]
    for code, split, path in splits:
        if not path.is_file():
            continue
        for score in corpus_scores(read_corpus(path), code, book):
            recall = (
                f"{score.found}/{score.flagged} {score.recall:.2f}"
                if score.recall is not None
                else "-"
            )
            fp = (
                f"{score.false_positives}/{score.acceptable} {score.false_positive_rate:.2f}"
                if score.false_positive_rate is not None
                else "-"
            )
            lines.append(f"{code + ' ' + split:<14} {score.category:<16} {recall:>14} {fp:>18}")
    return "\n".join(lines) + "\n"
