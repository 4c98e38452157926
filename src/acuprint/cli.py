"""The `acuprint` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 a build failed (or warned under --strict),
2 invalid input or usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from acuprint import __version__
from acuprint.commands.build import build
from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    PrintProfileChoice,
    ProjectOption,
    fail_input,
    print_findings,
)
from acuprint.errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Build branded, print-ready acupuncture handouts for every clinic.",
)


class PaperChoice(StrEnum):
    """Paper sizes."""

    letter = "letter"
    a4 = "a4"


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


app.command()(build)


@app.command()
def lint(
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only errors.")
    ] = False,
    report: Annotated[
        bool, typer.Option("--report", help="Print a scorecard for every handout.")
    ] = False,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", metavar="FILE", help="Write findings and scorecards as JSON."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date for review-due checks [today]."),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Check content and clinics: reading level, claims, evidence, translations, contrast.

    Example: acuprint lint --strict --report --json out/lint.json
    """
    import json
    from datetime import date

    from acuprint.checks.lint import lint_project
    from acuprint.inputs.project import load_project

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter(
            f"{as_of!r} is not a date like 2026-11-20", param_hint="'--as-of'"
        ) from None
    try:
        loaded = load_project(project)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    result = lint_project(loaded, day)
    print_findings(result, loaded.root)
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
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    if result.failed(strict):
        raise typer.Exit(EXIT_FAILED)


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
    conformance: Annotated[
        bool,
        typer.Option(
            "--conformance",
            help="Also check the rules of the file's standard (PDF/X-4, PDF/A-3b, PDF/UA-1).",
        ),
    ] = False,
) -> None:
    """Preflight finished PDFs: boxes, fonts, glyphs, title, tags, output intent, images.

    With --conformance, also check each file against the published rules of
    the standard its profile promises, each finding named by its rule id.

    Example: acuprint check out/cedar-hollow/back-pain.en.press.pdf --paper letter --conformance
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
        ok = report.ok
        if conformance:
            from acuprint.checks.conformance.run import (
                PROFILE_STANDARDS,
                check_conformance,
                rules_of,
            )

            standard = PROFILE_STANDARDS.get(report.profile, "")
            violations = check_conformance(path, [standard])
            typer.echo(
                f"  conformance ({standard}): {len(rules_of(standard))} rules, "
                f"{len(violations)} violation(s)"
            )
            for violation in violations:
                page = f" (page {violation.page})" if violation.page else ""
                typer.echo(f"  FAIL  {violation.rule}{page}: {violation.message}")
            ok = ok and not violations
        failed += not ok
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
        raise fail_input(error, project.resolve()) from None
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
