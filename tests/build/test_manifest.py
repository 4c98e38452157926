"""Atomic writes and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acuprint.build.manifest import ManifestEntry, read_manifest, write_atomic, write_manifest


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["b.pdf"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.pdf"
    write_atomic(target, b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("acuprint.atomic.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"]


def test_manifest_merges_and_drops_entries_whose_files_are_gone(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    for name in ("c/h.en.pdf", "c/h.en.html"):
        (tmp_path / name).write_bytes(b"x")
    a = ManifestEntry("c", "h", "en", "pdf", "c/h.en.pdf", "0" * 64, 1, 2)
    b = ManifestEntry("c", "h", "en", "html", "c/h.en.html", "1" * 64, 1)
    write_manifest(tmp_path, [a])
    write_manifest(tmp_path, [b])
    assert read_manifest(tmp_path) == [b, a]
    (tmp_path / "c/h.en.pdf").unlink()
    write_manifest(tmp_path, [])
    data = json.loads((tmp_path / "manifest.json").read_text())
    assert data["outputs"] == [b.as_json()]
    assert "pages" not in data["outputs"][0]


def test_corrupt_manifest_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    assert read_manifest(tmp_path) == []
