"""The settings acuprint takes from the environment, each read in this one place.

- SOURCE_DATE_EPOCH: the date printed on handouts (reproducible builds), and
  the date the lint judges review dates against when --as-of is not given.
- ACUPRINT_CACHE_DIR: where reusable work (font subsets) is kept.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH as set ("" when unset or not a whole number of seconds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return value if value.isdigit() and len(value) <= 12 else ""


def source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when unset."""
    epoch = source_date_epoch()
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else None
    except (OverflowError, OSError, ValueError):
        return None


def lint_date(as_of: date | None = None) -> date:
    """The day review dates are judged against: --as-of, else SOURCE_DATE_EPOCH, else today."""
    if as_of is not None:
        return as_of
    pinned = source_date()
    return pinned.date() if pinned else date.today()


def cache_dir(project_root: Path) -> Path:
    """Where acuprint keeps reusable work: $ACUPRINT_CACHE_DIR, else PROJECT/.cache."""
    configured = os.environ.get("ACUPRINT_CACHE_DIR")
    return Path(configured) if configured else project_root / ".cache"
