"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acuprint import __version__
from acuprint.errors import BuildLocked, InputError, LintFailed, OutputError, UsageError

if TYPE_CHECKING:
    from acuprint.checks.lint import LintReport

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Build branded, print-ready acupuncture handouts for every clinic.",
)

EXIT_FAILED = 1
EXIT_INVALID = 2


class PaperChoice(StrEnum):
    """Paper sizes."""

    letter = "letter"
    a4 = "a4"


class PrintProfileChoice(StrEnum):
    """PDF print profiles."""

    office = "office"
    press = "press"
    archive = "archive"


class FormatChoice(StrEnum):
    """Which output formats to build."""

    pdf = "pdf"
    html = "html"
    all = "all"


ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        help="Project folder (holds clinics/, handouts/, styles/).",
        file_okay=False,
        metavar="DIR",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"acuprint {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Build branded, print-ready acupuncture handouts for every clinic."""


def _fail_input(error: InputError, root: Path) -> typer.Exit:
    typer.echo(f"error: {len(error.problems)} problem(s) in the project files:", err=True)
    for problem in error.problems:
        typer.echo(f"  {problem.format(root)}", err=True)
    typer.echo("Nothing was built. Fix the problems above and run the command again.", err=True)
    return typer.Exit(EXIT_INVALID)


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise typer.BadParameter(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(index), int(count)


@app.command()
def build(
    clinic: Annotated[
        list[str] | None,
        typer.Option("--clinic", metavar="ID", help="Only this clinic id (repeatable)."),
    ] = None,
    handout: Annotated[
        list[str] | None,
        typer.Option("--handout", metavar="ID", help="Only this handout id (repeatable)."),
    ] = None,
    format: Annotated[
        FormatChoice, typer.Option("--format", help="Which files to write.")
    ] = FormatChoice.all,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", help="Output folder [default: PROJECT/out]."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on any warning, WeasyPrint's included.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes [default: cores]."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild every output, even if up to date.")
    ] = False,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Build only slice K of N (for CI matrices).",
        ),
    ] = None,
    profile_option: Annotated[
        PrintProfileChoice | None,
        typer.Option(
            "--profile", help="PDF profile for every clinic [default: each clinic's print_profile]."
        ),
    ] = None,
    forms: Annotated[
        bool, typer.Option("--forms", help="Fillable checklist tick boxes and name/date fields.")
    ] = False,
    proofs: Annotated[
        bool,
        typer.Option("--proofs/--no-proofs", help="Write a PNG proof of every PDF page."),
    ] = True,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0, metavar="SECONDS", help="Time limit per output (0: none)."
        ),
    ] = 120.0,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory", min=0, metavar="MB", help="Memory limit per worker process (0: none)."
        ),
    ] = 1536,
    watch: Annotated[
        bool, typer.Option("--watch", help="Build again whenever a project file changes.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Build handouts (PDF and HTML) for every clinic into out/.

    Outputs whose inputs have not changed are skipped; see --force.

    Example: acuprint build --clinic cedar-hollow --handout first-visit --format pdf
    """
    from acuprint.build.executor import Limits
    from acuprint.build.pipeline import build as run_build
    from acuprint.build.plan import FORMATS, Format
    from acuprint.build.progress import progress_for

    formats: dict[FormatChoice, tuple[Format, ...]] = {
        FormatChoice.pdf: ("pdf",),
        FormatChoice.html: ("html",),
        FormatChoice.all: FORMATS,
    }
    slice_ = _shard(shard)
    if out is not None and not str(out).strip():
        raise typer.BadParameter("give a folder path", param_hint="'--out'")

    def once() -> int:
        """One build; returns the exit code (and prints what happened)."""
        try:
            with progress_for(sys.stderr) as observer:
                report = run_build(
                    project,
                    out,
                    clinics=clinic or (),
                    handouts=handout or (),
                    formats=formats[format],
                    strict=strict,
                    workers=jobs,
                    force=force,
                    shard=slice_,
                    profile=profile_option.value if profile_option else None,
                    forms=forms,
                    limits=Limits(timeout, max_memory, proofs),
                    observer=observer,
                )
        except InputError as error:
            _fail_input(error, project.resolve())
            return EXIT_INVALID
        except UsageError as error:
            typer.echo(f"error: {error}", err=True)
            typer.echo("Nothing was built.", err=True)
            return EXIT_INVALID
        except (OutputError, BuildLocked) as error:
            typer.echo(f"error: {error}", err=True)
            return EXIT_FAILED
        except LintFailed as error:
            _print_findings(error.report, project.resolve())  # type: ignore[arg-type]
            typer.echo("Nothing was built: --strict stops on any lint finding.", err=True)
            return EXIT_FAILED
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
        summary = (
            f"{len(report.built)} built, {len(report.skipped)} up to date, "
            f"{len(report.failures)} failed in {report.seconds:.1f} s; "
            f"manifest: {report.manifest}"
        )
        if report.failures:
            typer.echo(f"error: {len(report.failures)} output(s) failed:", err=True)
            for failure in report.failures:
                typer.echo(f"  {failure}", err=True)
            typer.echo(summary, err=True)
            return EXIT_FAILED
        typer.echo(summary)
        return 0

    if not watch:
        code = once()
        if code:
            raise typer.Exit(code)
        return
    from acuprint.preview.watch import watch_changes

    try:
        for _ in watch_changes(project):
            once()
            typer.echo("Watching styles/, handouts/ and clinics/ for changes (Ctrl-C stops).")
    except KeyboardInterrupt:
        typer.echo("Stopped watching.")


def _print_findings(report: LintReport, root: Path) -> None:
    for finding in report.findings:
        typer.echo(finding.format(root), err=True)
    typer.echo(
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) "
        f"in {len({f.path for f in report.findings})} file(s)",
        err=True,
    )


@app.command()
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
        str, typer.Option("--lang", metavar="CODE", help="Language of --text: en, es, zh-Hans.")
    ] = "en",
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

    from acuprint.checks.lint import lint_project
    from acuprint.inputs.project import load_project

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
        loaded = load_project(project)
        result = lint_project(loaded, day)
    except InputError as error:
        raise _fail_input(error, project.resolve()) from None
    _print_findings(result, loaded.root)
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
        _claims_report()
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    if result.failed(strict):
        raise typer.Exit(EXIT_FAILED)


def _lint_text(source: Path, lang: str, wanted: list[str] | None, project: Path) -> None:
    """Print every claim in a draft text with line, reason and better wording."""
    from acuprint.checks.claim_rules import load_rulebook
    from acuprint.checks.claims import find_claims

    try:
        book = load_rulebook(project.resolve())
    except InputError as error:
        raise _fail_input(error, project.resolve()) from None
    if lang not in book.languages:
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
        )
    if seen:
        typer.echo(f"{len(seen)} claim(s) found in {name}. Reword them before you publish.")
        raise typer.Exit(EXIT_INVALID)
    typer.echo(f"No health claims found in {name}.")


def _claims_report() -> None:
    """Recall and false positives of the shipped claim rules on their labelled corpus."""
    from acuprint.checks.claim_rules import SHIPPED_LANGUAGES, load_rulebook
    from acuprint.checks.claims import corpus_path, corpus_scores, read_corpus

    book = load_rulebook()
    typer.echo("")
    typer.echo("Claim rules on their labelled corpus (data/claims/corpus/<lang>.tsv):")
    typer.echo(f"{'lang':<8} {'category':<16} {'recall':>14} {'false positives':>18}")
    for code in SHIPPED_LANGUAGES:
        for score in corpus_scores(read_corpus(corpus_path(code)), code, book):
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
            typer.echo(f"{code:<8} {score.category:<16} {recall:>14} {fp:>18}")


@app.command()
def preview(
    clinic: Annotated[
        str | None, typer.Option("--clinic", metavar="ID", help="Open this clinic.")
    ] = None,
    handout: Annotated[
        str | None, typer.Option("--handout", metavar="ID", help="Open this handout.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Language to open.")] = "en",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1.")
    ] = 8000,
    project: ProjectOption = Path("."),
) -> None:
    """Preview handouts in a browser: HTML and printed pages side by side, reloading on save.

    Example: acuprint preview --clinic cedar-hollow --handout first-visit --port 8000
    """
    from acuprint.preview.server import serve

    running = serve(project, port)
    try:
        address = next(running)
    except OSError as error:
        typer.echo(f"error: cannot listen on 127.0.0.1:{port}: {error.strerror}", err=True)
        typer.echo("    fix: pass another --port, or stop what uses this one", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    target = f"{address}view/{clinic}/{handout}/{lang}" if clinic and handout else address
    typer.echo(f"Preview at {target} (only this computer can open it). Ctrl-C stops it.")
    try:
        next(running, None)
    except KeyboardInterrupt:
        typer.echo("Preview stopped.")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="PDF files to check.", metavar="FILE.pdf")],
    profile: Annotated[
        PrintProfileChoice | None,
        typer.Option("--profile", help="Expected profile [default: read from each file]."),
    ] = None,
    paper: Annotated[
        PaperChoice | None,
        typer.Option("--paper", case_sensitive=False, help="Expected paper size."),
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, metavar="N", help="Most pages allowed.")
    ] = None,
) -> None:
    """Preflight finished PDFs: boxes, fonts, glyphs, title, tags, output intent, images.

    Example: acuprint check out/cedar-hollow/back-pain.en.press.pdf --paper letter
    """
    from acuprint.checks.preflight import preflight_file

    missing = [path for path in files if not path.is_file()]
    if missing:
        for path in missing:
            typer.echo(f"error: {path} is not a file", err=True)
        raise typer.Exit(EXIT_INVALID)
    failed = 0
    for path in files:
        report = preflight_file(
            path,
            profile=profile.value if profile else None,
            paper=paper.value if paper else None,
            max_pages=max_pages,
        )
        typer.echo(report.format())
        failed += not report.ok
    typer.echo(f"{len(files) - failed} of {len(files)} file(s) passed")
    if failed:
        raise typer.Exit(EXIT_FAILED)


manifest_app = typer.Typer(help="Work with manifest.json files.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")


@manifest_app.command("merge")
def manifest_merge(
    manifests: Annotated[list[Path], typer.Argument(help="Shard manifests to combine.")],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="Merged manifest to write.")],
) -> None:
    """Combine the manifests of sharded builds into one; fail on any conflict.

    Example: acuprint manifest merge s1/manifest.json s2/manifest.json --out out/manifest.json
    """
    from acuprint.build.manifest import ManifestConflict, merge_manifests, write_manifest_file

    try:
        entries = merge_manifests(manifests)
    except ManifestConflict as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    write_manifest_file(out, entries)
    typer.echo(f"Merged {len(manifests)} manifest(s), {len(entries)} output(s), into {out}")


@app.command("list")
def list_(project: ProjectOption = Path(".")) -> None:
    """List clinics, handouts and content modules.

    Example: acuprint list --project path/to/project
    """
    from acuprint.inputs.project import load_project

    try:
        loaded = load_project(project)
    except InputError as error:
        raise _fail_input(error, project.resolve()) from None
    typer.echo("Clinics:")
    for clinic in loaded.clinics.values():
        p = clinic.profile
        typer.echo(f"  {clinic.id:<22} {p.name} ({p.paper}; {', '.join(p.languages)})")
    typer.echo("Handouts:")
    for handout in loaded.handouts.values():
        typer.echo(
            f"  {handout.id:<22} {handout.recipe.title}: {', '.join(handout.recipe.modules)}"
        )
    typer.echo("Modules:")
    for (module_id, lang), module in sorted(loaded.modules.items()):
        meta = module.meta
        reviewed = f"reviewed {meta.last_reviewed}"
        typer.echo(f"  {module_id:<36} {lang:<8} v{meta.version}  {reviewed}  {meta.title}")
