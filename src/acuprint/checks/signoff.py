"""Sign-off: which printed units are approved, which are new, changed or lapsed.

An approval is in force on a day when it was given on or before that day,
its `review_by` has not passed, and every source it rests on is still cited
and not due for review (the lint's rule, checks/evidence.py). A clinic's
units are judged by the shared file and the clinic's own file only, so one
clinic's approvals never change another clinic's outputs.
"""

from __future__ import annotations

import shlex
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from acuprint.checks.evidence import source_review_due
from acuprint.compose.handout import ComposedHandout, compose_handout
from acuprint.compose.units import Unit, handout_units, library_units
from acuprint.errors import AcuprintError, InputError, Problem
from acuprint.inputs.approvals import (
    SHARED_FILE,
    ApprovalFile,
    ApprovalRecord,
    Signoff,
    clinic_file,
    write_records,
)
from acuprint.inputs.project import Clinic, Project
from acuprint.inputs.schema import Source

State = Literal["approved", "new", "changed", "expired"]
REVIEW_AFTER_DAYS = 365  # an approval's default life: review again a year later


@dataclass(frozen=True)
class Finding:
    """What the claims check says about a unit."""

    rule: str
    phrase: str
    reason: str
    better: str


@dataclass(frozen=True)
class UnitStatus:
    """One unit, judged: its state, and the record behind it (in force, lapsed or earlier)."""

    unit: Unit
    state: State
    why: str = ""  # why an approval lapsed
    record: ApprovalRecord | None = None


@dataclass
class PendingUnit:
    """A unit to review: where it prints, its state, and what the claims check found."""

    clinic: str | None  # None: the shared library
    status: UnitStatus
    handouts: list[str] = field(default_factory=list)  # "back-pain.en", ...
    findings: tuple[Finding, ...] = ()

    @property
    def unit(self) -> Unit:
        """The unit under review."""
        return self.status.unit

    def approve_command(self) -> str:
        """The command that approves this one unit (name and role left to fill in)."""
        scope = ["--shared"] if self.clinic is None else ["--clinic", self.clinic]
        words = ["acuprint", "approve", *scope, "--unit", self.unit.short]
        words += ["--name", "YOUR NAME", "--role", "YOUR ROLE"]
        if self.findings:
            words += ["--reason", "WHY THIS WORDING IS ACCEPTABLE"]
        return shlex.join(words)


class ReleaseRefused(InputError):
    """A release would print text nobody approved (or whose approval lapsed)."""


class ApprovalRefused(AcuprintError):
    """`approve` was asked for something it must not record."""


def cited_sources(project: Project) -> dict[str, Source]:
    """Every source any module cites, by id (the first citation of each id)."""
    found: dict[str, Source] = {}
    for _, module in sorted(project.modules.items()):
        for source in module.meta.sources:
            found.setdefault(source.id, source)
    return found


def _lapsed(record: ApprovalRecord, unit: Unit, as_of: date, library: Mapping[str, Source]) -> str:
    """Why `record` is not in force for `unit` on `as_of` ("" if it is).

    The same words may stand in several modules: a source the approval rests
    on is looked up in the unit's module first, then anywhere in the library.
    """
    if record.approved_on > as_of:
        return f"approved on {record.approved_on}, after {as_of}"
    if record.review_by < as_of:
        return f"its review was due by {record.review_by}"
    cited = {source.id: source for source in unit.sources}
    for evidence in record.evidence:
        source = cited.get(evidence) or library.get(evidence)
        if source is None:
            return f"it rests on source '{evidence}', which no module cites any more"
        if source_review_due(source, as_of):
            return f"it rests on source '{evidence}' ({source.year}), which is due for review"
    return ""


def judge(
    unit: Unit,
    files: Sequence[ApprovalFile],
    as_of: date,
    library: Mapping[str, Source] | None = None,
) -> UnitStatus:
    """The state of one unit under the records of `files` (`library`: see cited_sources)."""
    library = library or {}
    records = [r for f in files for r in f.by_fingerprint.get(unit.fingerprint, ())]
    if records:
        lapsed = []
        for record in sorted(records, key=lambda r: r.approved_on, reverse=True):
            why = _lapsed(record, unit, as_of, library)
            if not why:
                return UnitStatus(unit, "approved", record=record)
            lapsed.append((why, record))
        return UnitStatus(unit, "expired", lapsed[0][0], lapsed[0][1])
    earlier = [r for f in files for r in f.by_place.get(unit.where, ())]
    if earlier:
        return UnitStatus(unit, "changed", record=max(earlier, key=lambda r: r.approved_on))
    return UnitStatus(unit, "new")


def clinic_files(project: Project, clinic: Clinic) -> tuple[ApprovalFile, ApprovalFile]:
    """The files a clinic's outputs are judged by: the shared one and the clinic's own."""
    return project.approvals.shared, project.approvals.for_clinic(clinic.id, project.root)


def with_signoff(project: Project, composed: ComposedHandout, as_of: date) -> ComposedHandout:
    """`composed` with its sign-off summary (approved or draft) as of `as_of`."""
    files = clinic_files(project, composed.clinic)
    library = cited_sources(project)
    statuses = [judge(unit, files, as_of, library) for unit in handout_units(project, composed)]
    in_force = [s.record for s in statuses if s.state == "approved" and s.record is not None]
    pending = sum(1 for s in statuses if s.state != "approved")
    summary = Signoff(
        approved=pending == 0,
        pending=pending,
        approvers=tuple(sorted({r.approved_by for r in in_force})),
        approved_on=max((r.approved_on for r in in_force), default=None),
        review_by=min((r.review_by for r in in_force), default=None),
        files=tuple((f.path, f.digest) for f in files),
    )
    return replace(composed, signoff=summary)


@dataclass(frozen=True)
class Selection:
    """Which clinics, handouts and languages a review or approval covers."""

    clinics: tuple[str, ...] = ()  # empty: every clinic
    handouts: tuple[str, ...] = ()  # empty: every handout
    langs: tuple[str, ...] = ()  # empty: each clinic's languages
    shared: bool = False  # the library itself (review/shared.jsonl), not a clinic


def review_units(
    project: Project, selection: Selection, as_of: date, *, everything: bool = False
) -> list[PendingUnit]:
    """The units of the selection that need a sign-off (with `everything`, approved ones too).

    Each unit once per clinic, with the handouts that print it and what the
    claims check finds in it. The caller checks the selection's ids first
    (commands/review.py).
    """
    if selection.shared:
        files = (project.approvals.shared,)
        library = cited_sources(project)
        items = []
        for unit in library_units(project, selection.handouts or None, selection.langs or None):
            status = judge(unit, files, as_of, library)
            if everything or status.state != "approved":
                items.append(PendingUnit(None, status))
        _add_findings(project, items)
        return items
    composed = []
    for clinic_id in selection.clinics or sorted(project.clinics):
        clinic = project.clinics[clinic_id]
        for handout_id in selection.handouts or sorted(project.handouts):
            for lang in clinic.profile.languages:
                if not selection.langs or lang in selection.langs:
                    handout = project.handouts[handout_id]
                    composed.append(compose_handout(project, clinic, handout, lang))
    return pending_units(project, composed, as_of, everything=everything)


def pending_units(
    project: Project,
    composed: Collection[ComposedHandout],
    as_of: date,
    *,
    everything: bool = False,
) -> list[PendingUnit]:
    """The units these handouts print without an approval in force, each once per clinic."""
    found: dict[tuple[str, str], PendingUnit] = {}
    library = cited_sources(project)
    for handout in composed:
        clinic = handout.clinic
        files = clinic_files(project, clinic)
        for unit in handout_units(project, handout):
            status = judge(unit, files, as_of, library)
            if not everything and status.state == "approved":
                continue
            item = found.setdefault((clinic.id, unit.fingerprint), PendingUnit(clinic.id, status))
            item.handouts.append(f"{handout.handout.id}.{handout.lang}")
    items = list(found.values())
    _add_findings(project, items)
    return items


def _add_findings(project: Project, items: list[PendingUnit]) -> None:
    """What the claims check (the build's own checker) finds in each unit."""
    if not items:
        return
    from acuprint.checks.claims import ClaimChecker

    checker = ClaimChecker.for_project(project)
    for item in items:
        unit = item.unit
        if item.clinic is None:
            jurisdictions = sorted(checker.book.jurisdictions)
            allowed = unit.module.meta.allowed_claims if unit.module else []
        else:
            profile = project.clinics[item.clinic].profile
            jurisdictions = [profile.rules]
            allowed = (
                unit.module.meta.allowed_claims if unit.module else list(profile.allowed_claims)
            )
        seen: dict[tuple[str, str], Finding] = {}
        for jurisdiction in jurisdictions:
            for match in checker.check(unit.text, unit.lang, jurisdiction, allowed, unit.file):
                spec = match.rule.spec
                seen.setdefault(
                    (match.rule.id, match.phrase),
                    Finding(match.rule.id, match.phrase, spec.reason, spec.better),
                )
        item.findings = tuple(seen.values())


def describe(item: PendingUnit) -> str:
    """One line: state (and why), the words, where they print."""
    status = item.status
    words = status.unit.text if len(status.unit.text) <= 100 else status.unit.text[:97] + "..."
    state = {
        "new": "new, never approved",
        "changed": "changed since it was approved",
        "expired": f"approval lapsed: {status.why}",
        "approved": "approved",
    }[status.state]
    where = ", ".join(item.handouts)
    return f'{state}: "{words}"' + (f" (prints in {where})" if where else "")


def release_refusal(project: Project, items: Sequence[PendingUnit]) -> ReleaseRefused:
    """The error a release raises: one problem per unit, its fix the approve command."""
    problems = [
        Problem(item.unit.file, describe(item), item.approve_command(), item.unit.line)
        for item in items
    ]
    return ReleaseRefused(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))


def approve(
    project: Project,
    items: Sequence[PendingUnit],
    *,
    name: str,
    role: str,
    on: date,
    note: str = "",
    evidence: Sequence[str] | None = None,
    reason: str = "",
    review_by: date | None = None,
) -> dict[Path, list[ApprovalRecord]]:
    """Record approvals of `items`: the records added, by file. Raises ApprovalRefused.

    Library units (no clinic) go to review/shared.jsonl, a clinic's to its own
    file. A unit the claims check flags needs a `reason`. Evidence defaults to
    every source the unit's module cites; given, each id must be one of them.
    """
    flagged = [item for item in items if item.findings]
    if flagged and len(reason.strip()) < 10:
        lines = [
            f"  {item.unit.short} {item.unit.file.name}:{item.unit.line}: "
            + "; ".join(f'{f.rule}: "{f.phrase}"' for f in item.findings)
            for item in flagged
        ]
        raise ApprovalRefused(
            f"{len(flagged)} unit(s) the claims check flags cannot be approved without a "
            "written reason:\n" + "\n".join(lines) + "\n    fix: reword them (see "
            '`acuprint review`), or pass --reason "..." (at least 10 characters) saying why '
            "this wording is acceptable"
        )
    if evidence:
        cited = {source.id for item in items for source in item.unit.sources}
        unknown = [e for e in evidence if e not in cited]
        if unknown:
            raise ApprovalRefused(
                f"no selected unit rests on source '{unknown[0]}'\n    fix: use the ids of "
                "the module's `sources` that `acuprint review` lists: "
                + (", ".join(sorted(cited)) or "(the selected units cite none)")
            )
    added: dict[Path, list[ApprovalRecord]] = {}
    for item in items:
        unit = item.unit
        ids = [s.id for s in unit.sources]
        chosen = [e for e in evidence if e in ids] if evidence else ids
        record = ApprovalRecord(
            fingerprint=unit.fingerprint,
            text=unit.text,
            where=unit.where,
            approved_by=name,
            role=role,
            approved_on=on,
            review_by=review_by or date.fromordinal(on.toordinal() + REVIEW_AFTER_DAYS),
            note=note,
            evidence=chosen,
            reason=reason if item.findings else "",
        )
        path = (
            project.root / SHARED_FILE
            if item.clinic is None
            else clinic_file(project.root, item.clinic)
        )
        added.setdefault(path, []).append(record)
    return added


def write_approvals(
    project: Project, added: dict[Path, list[ApprovalRecord]], prune: Collection[Path] = ()
) -> int:
    """Add records to their files (each written whole, sorted by fingerprint).

    The files in `prune` also lose their records of words the project no
    longer prints anywhere; returns how many records were dropped.
    """
    current = {project.approvals.shared.path: project.approvals.shared}
    current.update({f.path: f for f in project.approvals.clinics.values()})
    dropped = 0
    for path in sorted({*added, *prune}):
        old = current[path].records if path in current else ()
        if path in prune:
            printed = _printed_fingerprints(project, path)
            kept = tuple(r for r in old if r.fingerprint in printed)
            dropped += len(old) - len(kept)
            old = kept
        if old or added.get(path) or path.exists():
            write_records(path, old, added.get(path, []))
    return dropped


def _printed_fingerprints(project: Project, path: Path) -> set[str]:
    """Every fingerprint the records of one approval file could approve today."""
    if path == project.root / SHARED_FILE:
        return {u.fingerprint for u in library_units(project)}
    clinic = project.clinics[path.stem]
    return {
        unit.fingerprint
        for handout in project.handouts.values()
        for lang in clinic.profile.languages
        for unit in handout_units(project, compose_handout(project, clinic, handout, lang))
    }


def approval_paths(project: Project, selection: Selection) -> list[Path]:
    """The files an approval of `selection` writes to."""
    if selection.shared:
        return [project.root / SHARED_FILE]
    return [clinic_file(project.root, c) for c in selection.clinics or sorted(project.clinics)]
