"""Work under limits in child processes: what a killed child leaves behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from acuprint.build.supervisor import Limits, call_limited


def _make_temporary_folder(state: object) -> str:
    return tempfile.mkdtemp(prefix="weasyprint-")  # as WeasyPrint does for @font-face files


def test_a_killed_worker_leaves_nothing_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    made = Path(call_limited("making a folder", Limits(30, 0), _make_temporary_folder))
    assert made.is_relative_to(tmp_path)
    assert not made.exists()
    # Only the parent's own multiprocessing folder may be there (it goes when the parent exits).
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("pymp-")] == []
