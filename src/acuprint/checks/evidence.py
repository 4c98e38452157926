"""When evidence is due for review: the rule the lint warns by and approvals lapse by."""

from __future__ import annotations

from datetime import date

from acuprint.inputs.schema import Source

SOURCE_MAX_AGE_YEARS = 5
REVIEW_MAX_AGE_YEARS = 2


def years_between(earlier: date, later: date) -> float:
    """Years from `earlier` to `later` (fractional)."""
    return (later - earlier).days / 365.25


def source_review_due(source: Source, as_of: date) -> bool:
    """True if a source is more than 5 years old and no reviewer confirmed it in the last 2.

    The lint warns about it (evidence/review-due); an approval resting on it
    lapses (checks/signoff.py).
    """
    if as_of.year - source.year <= SOURCE_MAX_AGE_YEARS:
        return False
    checked = source.checked
    recent = checked is not None and years_between(checked, as_of) < REVIEW_MAX_AGE_YEARS
    return not (recent and source.check_note)
