"""`acuprint review` and `acuprint approve`: what needs a sign-off, and recording one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    ProjectOption,
    fail_input,
    parse_day,
    say,
    write_report,
)
from acuprint.errors import AcuprintError, InputError, UsageError

if TYPE_CHECKING:
    from acuprint.checks.signoff import PendingUnit, Selection
    from acuprint.inputs.project import Project

ClinicOption = Annotated[
    list[str] | None, typer.Option("--clinic", metavar="ID", help="Only this clinic (repeatable).")
]
HandoutOption = Annotated[
    list[str] | None,
    typer.Option("--handout", metavar="ID", help="Only this handout (repeatable)."),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", metavar="CODE", help="Only this language (repeatable)."),
]
SharedOption = Annotated[
    bool,
    typer.Option(
        "--shared",
        help="The library itself (modules, recipe titles, review/shared.jsonl), not a clinic.",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The day approvals are judged (and given) [SOURCE_DATE_EPOCH, else today].",
    ),
]


def _load(project: Path) -> Project:
    # Under the supervisor's limits, as every other command reads a project.
    from acuprint.build.supervisor import load_limited

    try:
        return load_limited(project)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None


def _units(
    root: Project, selection: Selection, as_of: date, everything: bool = False
) -> list[PendingUnit]:
    from acuprint.checks.signoff import review_units

    try:
        _check_selection(root, selection)
        return review_units(root, selection, as_of, everything=everything)
    except InputError as error:
        raise fail_input(error, root.root) from None
    except AcuprintError as error:
        say(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _as_json(item: PendingUnit, root: Path) -> dict[str, object]:
    unit, status = item.unit, item.status
    module = unit.module
    previous = status.record
    return {
        "clinic": item.clinic,
        "handouts": item.handouts,
        "state": status.state,
        "why": status.why,
        "fingerprint": unit.fingerprint,
        "text": unit.text,
        "lang": unit.lang,
        "file": _relative(unit.file, root),
        "line": unit.line,
        "where": unit.where,
        "findings": [vars(f) for f in item.findings],
        "sources": [
            {
                "id": s.id,
                "citation": s.citation,
                "year": s.year,
                "file": _relative(module.path, root),
                "line": module.lines.get(f"source:{s.id}"),
            }
            for s in unit.sources
            if module is not None
        ],
        "approved": None
        if previous is None
        else {
            "text": previous.text,
            "approved_by": previous.approved_by,
            "role": previous.role,
            "approved_on": previous.approved_on.isoformat(),
            "review_by": previous.review_by.isoformat(),
        },
        "approve": item.approve_command(),
    }


def review(
    clinic: ClinicOption = None,
    handout: HandoutOption = None,
    lang: LangOption = None,
    shared: SharedOption = False,
    json_file: Annotated[
        Path | None,
        typer.Option("--json", metavar="FILE", help="Also write the list as JSON, for CI."),
    ] = None,
    as_of: AsOfOption = None,
    project: ProjectOption = Path("."),
) -> None:
    """List the text that needs a sign-off: new, changed, or whose approval lapsed.

    Per clinic and handout, each unit with its file and line, what the claims
    check finds in it, and the sources its module cites. Exit 0: nothing
    pending; 1: units pending; 2: invalid input.

    Example: acuprint review --clinic cedar-hollow --handout first-visit --lang en
    """
    from acuprint.checks.signoff import Selection, describe
    from acuprint.inputs.environment import lint_date

    day = lint_date(parse_day(as_of, "--as-of"))
    loaded = _load(project)
    selection = Selection(tuple(clinic or ()), tuple(handout or ()), tuple(lang or ()), shared)
    items = _units(loaded, selection, day)
    root = loaded.root
    current: tuple[str | None, str] | None = None
    for item in items:
        group = (item.clinic, item.handouts[0] if item.handouts else "")
        if group != current:
            current = group
            heading = item.clinic or "shared library (review/shared.jsonl)"
            say(f"{heading}" + (f": {group[1]}" if group[1] else ""))
        unit = item.unit
        say(f"  {unit.short}  {_relative(unit.file, root)}:{unit.line or '?'}: {describe(item)}")
        if item.status.state == "changed" and item.status.record is not None:
            old = item.status.record
            say(f'      was: "{old.text}" (approved by {old.approved_by}, {old.approved_on})')
        for finding in item.findings:
            say(f'      claims check: {finding.rule}: "{finding.phrase}": {finding.reason}')
            say(f"        better: {finding.better}")
        module = unit.module
        for source in unit.sources:
            line = module.lines.get(f"source:{source.id}") if module else None
            where = f"{_relative(module.path, root)}:{line or '?'}" if module else ""
            say(f"      source {source.id} ({source.year}) {where}")
    if json_file is not None:
        document = {
            "as_of": day.isoformat(),
            "pending": len(items),
            "units": [_as_json(item, root) for item in items],
        }
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        write_report(json_file, text, "--json")
    if items:
        say(
            f"{len(items)} unit(s) need a sign-off as of {day}; approve them with "
            "`acuprint approve` (see each unit's fingerprint above).",
            err=True,
        )
        raise typer.Exit(EXIT_FAILED)
    say(f"Nothing to review as of {day}: every selected unit is approved.")


def approve(
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help="Who approves (the person responsible).")
    ],
    role: Annotated[str, typer.Option("--role", metavar="ROLE", help="Their role, e.g. 'owner'.")],
    clinic: ClinicOption = None,
    handout: HandoutOption = None,
    lang: LangOption = None,
    shared: SharedOption = False,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit", metavar="FINGERPRINT", help="One unit, by fingerprint prefix (repeatable)."
        ),
    ] = None,
    all_pending: Annotated[
        bool, typer.Option("--all-pending", help="Every unit of the selection not yet approved.")
    ] = False,
    note: Annotated[str, typer.Option("--note", help="A note kept with the approval.")] = "",
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            metavar="SOURCE",
            help="A source id the approval rests on (repeatable) [every source the module cites].",
        ),
    ] = None,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why text the claims check flags is approved (required then)."
        ),
    ] = "",
    review_by: Annotated[
        str | None,
        typer.Option("--review-by", metavar="YYYY-MM-DD", help="Next review [a year on]."),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Also drop records of words the project no longer prints anywhere."
        ),
    ] = False,
    as_of: AsOfOption = None,
    project: ProjectOption = Path("."),
) -> None:
    """Record that NAME, in ROLE, approved units of text (in review/*.jsonl).

    Choose the units: --unit with a fingerprint prefix from `acuprint review`,
    or --all-pending for every unit of the selection not yet approved. A
    clinic's approvals go to review/clinics/ID.jsonl; --shared ones, of the
    library, to review/shared.jsonl.

    Example: acuprint approve --clinic cedar-hollow --unit 3f2a9c1b --name "Ann Lee" --role owner
    """
    from acuprint.checks.signoff import (
        ApprovalRefused,
        Selection,
        approval_paths,
        write_approvals,
    )
    from acuprint.checks.signoff import approve as record_approvals
    from acuprint.inputs.environment import lint_date

    day = lint_date(parse_day(as_of, "--as-of"))
    until = parse_day(review_by, "--review-by")
    if bool(unit) == all_pending:
        say(
            "error: say which units: --unit FINGERPRINT (from `acuprint review`) or --all-pending",
            err=True,
        )
        raise typer.Exit(EXIT_INVALID)
    problems = []
    if len(name.strip()) < 2:
        problems.append("--name: give the approver's name")
    if len(role.strip()) < 2:
        problems.append("--role: give the approver's role")
    if day > date.today():
        problems.append(f"--as-of {day} is in the future: an approval is given on a past day")
    if until is not None and until <= day:
        problems.append(f"--review-by {until} is not after the approval ({day})")
    if problems:
        for problem in problems:
            say(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_INVALID)
    loaded = _load(project)
    selection = Selection(tuple(clinic or ()), tuple(handout or ()), tuple(lang or ()), shared)
    items = _units(loaded, selection, day, everything=bool(unit))
    if unit:
        items = _pick(items, unit)
    pruned = approval_paths(loaded, selection) if prune else []
    if not items and not prune:
        say("Nothing to approve: every selected unit is approved.")
        return
    try:
        added = record_approvals(
            loaded,
            items,
            name=name.strip(),
            role=role.strip(),
            on=day,
            note=note.strip(),
            evidence=evidence or None,
            reason=reason.strip(),
            review_by=until,
        )
        dropped = write_approvals(loaded, added, pruned)
    except ApprovalRefused as error:
        say(f"error: {error}", err=True)
        say("Nothing was recorded.", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        say(f"error: cannot write the approvals: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    for path, records in sorted(added.items()):
        say(f"approved {len(records)} unit(s) in {_relative(path, loaded.root)}")
    if not added:
        say("Nothing to approve: every selected unit is approved.")
    if prune:
        say(f"dropped {dropped} record(s) of words no longer printed")


def _pick(items: list[PendingUnit], prefixes: list[str]) -> list[PendingUnit]:
    """The units whose fingerprints start with each prefix; exit 2 unless each names one."""
    chosen: dict[tuple[str | None, str], PendingUnit] = {}
    for prefix in prefixes:
        wanted = prefix.strip().lower()
        matches = (
            [i for i in items if i.unit.fingerprint.startswith(wanted)] if len(wanted) >= 6 else []
        )
        fingerprints = {i.unit.fingerprint for i in matches}
        if len(fingerprints) != 1:
            problem = (
                "is shorter than 6 characters"
                if len(wanted) < 6
                else "matches no unit of the selection"
                if not matches
                else f"matches {len(fingerprints)} units"
            )
            say(f"error: --unit {prefix} {problem}", err=True)
            say("    fix: copy the fingerprint `acuprint review` prints for the unit", err=True)
            raise typer.Exit(EXIT_INVALID)
        for item in matches:
            chosen[(item.clinic, item.unit.fingerprint)] = item
    return list(chosen.values())


def _check_selection(project: Project, selection: Selection) -> None:
    """Raises UsageError for an unknown clinic, handout or language in the selection."""
    from acuprint.build.plan import plan_jobs

    if selection.shared:
        plan_jobs(project, (), selection.handouts, ())
        known = {lang for _, lang in project.modules}
        unknown = [lang for lang in selection.langs if lang not in known]
        if unknown:
            raise UsageError(
                f"unknown language '{unknown[0]}'\n    fix: use one of: " + ", ".join(sorted(known))
            )
    else:
        plan_jobs(project, selection.clinics, selection.handouts, (), langs=selection.langs)
