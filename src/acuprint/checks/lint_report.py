"""What the content lint reports: findings, per-handout scorecards, and the report as data.

Every finding names the file, the line where it can be found, the rule, what
is wrong and a better wording or fix. Errors fail `acuprint lint`; warnings
fail it too under --strict. The checks themselves are in `lint`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from acuprint.checks.claims import Allowance


@dataclass(frozen=True)
class Finding:
    """One thing the lint found."""

    path: Path
    line: int | None
    rule: str
    severity: str  # "error" or "warning"
    message: str
    suggestion: str

    def format(self, root: Path) -> str:
        """`file:line: severity: rule: message` and the suggestion on the next line."""
        where = _relative(self.path, root) + (f":{self.line}" if self.line else "")
        return (
            f"{where}: {self.severity}: {self.rule}: {self.message}\n"
            f"    suggestion: {self.suggestion}"
        )


@dataclass
class Scorecard:
    """What a reviewer wants to know about one handout in one language."""

    handout: str
    lang: str
    reading: str
    worst_module: str
    words: int
    claims: int
    sources: int
    oldest_source: int | None
    oldest_review: str
    findings: int = 0

    def as_json(self) -> dict[str, object]:
        """The scorecard as plain data."""
        return asdict(self)


@dataclass
class LintReport:
    """Every finding, and a scorecard per handout and language."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    scorecards: list[Scorecard] = field(default_factory=list)
    allowances: list[Allowance] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the lint."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that fail the lint under --strict."""
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, strict: bool) -> bool:
        """Whether the lint fails: on errors, and on warnings too when strict."""
        return bool(self.errors or (strict and self.warnings))

    def as_json(self) -> dict[str, object]:
        """The whole report as plain data, for CI."""
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [
                {**asdict(f), "path": _relative(f.path, self.root)} for f in self.findings
            ],
            "scorecards": [card.as_json() for card in self.scorecards],
            "allowances": [
                {**asdict(a), "file": _relative(a.file, self.root)} for a in self.allowances
            ],
        }


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
