"""Sign-off records: who approved which words, read from and written to review/*.jsonl.

One JSON object a line, sorted by fingerprint, so two people approving
different units add different lines (review/.gitattributes merges the files
with git's union driver, so even neighbouring additions never conflict).
`review/shared.jsonl` holds approvals of the library (modules, recipe
titles) that every clinic may rely on; `review/clinics/<id>.jsonl` holds one
clinic's own, which no other clinic's outputs read.

A record's `fingerprint` is the SHA-256 of the approved words, normalised
(`normalise`): the same words always give the same fingerprint, a changed
word never does.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field

from acuprint.atomic import write_atomic
from acuprint.errors import Problem
from acuprint.inputs.files import read_text
from acuprint.inputs.reads import digest
from acuprint.inputs.schema import SLUG, PastDate, _Strict
from acuprint.inputs.validation import validate

REVIEW_FOLDER = "review"
SHARED_FILE = Path(REVIEW_FOLDER) / "shared.jsonl"
CLINICS_FOLDER = Path(REVIEW_FOLDER) / "clinics"
MAX_RECORDS = 100_000  # per file; a project with more is a mistake
MAX_LINE_CHARS = 20_000
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The words of `text` as a fingerprint sees them: NFKC, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def fingerprint(text: str) -> str:
    """SHA-256 (hex) of the normalised words of `text`."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


class ApprovalRecord(_Strict):
    """One approval of one unit of text (a line of review/*.jsonl)."""

    fingerprint: Annotated[str, Field(pattern=_FINGERPRINT.pattern)] = Field(
        description="SHA-256 of the approved words (normalised); what the approval covers."
    )
    text: Annotated[str, Field(min_length=1, max_length=5000)] = Field(
        description="The approved words, for people reading the file; must match the fingerprint."
    )
    where: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="Where the words stood when approved: file and key, e.g. "
        "'handouts/modules/benefits.md paragraph 3'."
    )
    approved_by: Annotated[str, Field(min_length=2, max_length=120)]
    role: Annotated[str, Field(min_length=2, max_length=120)]
    approved_on: PastDate
    review_by: date = Field(description="The approval lapses after this day.")
    note: str = Field(default="", max_length=1000)
    evidence: list[Annotated[str, Field(pattern=SLUG, max_length=80)]] = Field(
        default_factory=list,
        description="Ids of the module sources the approval rests on; it lapses when one "
        "of them is due for review.",
    )
    reason: str = Field(
        default="",
        max_length=1000,
        description="Why words the claims check flags are approved anyway (required then).",
    )

    def as_line(self) -> str:
        """The record as one line of JSON (keys in a fixed order)."""
        data = self.model_dump(mode="json")
        for key in ("note", "reason"):
            if not data[key]:
                del data[key]
        if not data["evidence"]:
            del data["evidence"]
        return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


@dataclass(frozen=True)
class ApprovalFile:
    """One review/*.jsonl file as loaded (absent: digest None, no records)."""

    path: Path
    records: tuple[ApprovalRecord, ...] = ()
    digest: str | None = None

    @cached_property
    def by_fingerprint(self) -> dict[str, list[ApprovalRecord]]:
        """Records grouped by the fingerprint they approve."""
        return self._grouped("fingerprint")

    @cached_property
    def by_place(self) -> dict[str, list[ApprovalRecord]]:
        """Records grouped by where the approved words stood."""
        return self._grouped("where")

    def _grouped(self, field: str) -> dict[str, list[ApprovalRecord]]:
        grouped: dict[str, list[ApprovalRecord]] = {}
        for record in self.records:
            grouped.setdefault(getattr(record, field), []).append(record)
        return grouped


@dataclass(frozen=True)
class Approvals:
    """Every sign-off record of a project: the shared file and one file per clinic."""

    shared: ApprovalFile
    clinics: dict[str, ApprovalFile] = field(default_factory=dict)

    def for_clinic(self, clinic_id: str, root: Path) -> ApprovalFile:
        """The clinic's own file (an empty one if it has none yet)."""
        return self.clinics.get(clinic_id) or ApprovalFile(clinic_file(root, clinic_id))


def clinic_file(root: Path, clinic_id: str) -> Path:
    """Where a clinic's approvals are kept."""
    return root / CLINICS_FOLDER / f"{clinic_id}.jsonl"


def load_approvals(root: Path, clinic_ids: set[str], problems: list[Problem]) -> Approvals:
    """Read and validate review/shared.jsonl and review/clinics/*.jsonl; problems are added."""
    shared = _load_file(root / SHARED_FILE, problems)
    clinics: dict[str, ApprovalFile] = {}
    folder = root / CLINICS_FOLDER
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.suffix != ".jsonl":
                continue
            if path.stem not in clinic_ids:
                problems.append(
                    Problem(
                        path,
                        f"there is no clinic '{path.stem}' (clinics/{path.stem}/ does not exist)",
                        "rename the file after its clinic's folder, or remove it",
                    )
                )
                continue
            clinics[path.stem] = _load_file(path, problems)
    elif folder.exists():
        problems.append(Problem(folder, "is not a folder", "make review/clinics a folder"))
    return Approvals(shared, clinics)


def _load_file(path: Path, problems: list[Problem]) -> ApprovalFile:
    if not path.exists() and not path.is_symlink():
        return ApprovalFile(path)
    text = read_text(path)
    if isinstance(text, Problem):
        problems.append(text)
        return ApprovalFile(path)
    records: list[ApprovalRecord] = []
    found: list[Problem] = []
    lines = text.splitlines()
    if len(lines) > MAX_RECORDS:
        problems.append(
            Problem(path, f"has {len(lines):,} lines", f"keep it under {MAX_RECORDS:,} records")
        )
        return ApprovalFile(path)
    for number, line in enumerate(lines, start=1):
        if len(found) >= 50:  # a wholly broken file: enough to see the pattern
            break
        if not line.strip():
            continue
        record = _parse_line(path, number, line, found)
        if record is not None:
            records.append(record)
    problems.extend(found)
    return ApprovalFile(path, tuple(records), digest(text.encode("utf-8")))


_FIX = "write one approval per line as `acuprint approve` does, or remove the line"


def _parse_line(path: Path, number: int, line: str, found: list[Problem]) -> ApprovalRecord | None:
    if len(line) > MAX_LINE_CHARS:
        found.append(Problem(path, f"the line is over {MAX_LINE_CHARS:,} characters", _FIX, number))
        return None
    try:
        data = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        found.append(Problem(path, "is not one JSON object", _FIX, number))
        return None
    if not isinstance(data, dict):
        found.append(Problem(path, "is not a JSON object ({...})", _FIX, number))
        return None
    result = validate(ApprovalRecord, data, path, lambda loc, value: number)
    if isinstance(result, list):
        found.extend(result)
        return None
    if fingerprint(result.text) != result.fingerprint:
        found.append(
            Problem(
                path,
                "the fingerprint does not match the text (the text was edited by hand?)",
                "approve the words again with `acuprint approve`; never edit a record",
                number,
                "fingerprint",
            )
        )
        return None
    if result.review_by < result.approved_on:
        found.append(
            Problem(
                path,
                f"review_by {result.review_by} is before approved_on {result.approved_on}",
                "give a review date after the approval",
                number,
                "review_by",
            )
        )
        return None
    return result


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def write_records(path: Path, old: tuple[ApprovalRecord, ...], new: list[ApprovalRecord]) -> None:
    """Write `old` and `new` records to `path`, sorted by fingerprint, one a line."""
    unique = {record.as_line(): record for record in (*old, *new)}
    ordered = sorted(
        unique.items(),
        key=lambda item: (item[1].fingerprint, item[1].approved_on, item[1].approved_by, item[0]),
    )
    write_atomic(path, "".join(line + "\n" for line, _ in ordered).encode("utf-8"))


@dataclass(frozen=True)
class Signoff:
    """What the approvals say about one output: approved or a draft, by whom, until when."""

    approved: bool
    pending: int  # units not approved (new, changed or lapsed)
    approvers: tuple[str, ...] = ()
    approved_on: date | None = None  # the newest approval the output relies on
    review_by: date | None = None  # the soonest any of them lapses
    files: tuple[tuple[Path, str | None], ...] = ()  # the approval files read, with their hashes

    def as_json(self) -> dict[str, object]:
        """The summary as the manifest records it."""
        return {
            "state": "approved" if self.approved else "draft",
            "pending": self.pending,
            "approved_by": list(self.approvers),
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "review_by": self.review_by.isoformat() if self.review_by else None,
        }
