"""The watcher behind the preview's reloads and build --watch sees every file a build reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from acuprint.preview.watch import Watcher


@pytest.mark.parametrize(
    "relative",
    [
        "styles/clinic-extra.css",
        "handouts/modules/new-module.md",
        "clinics/cedar-hollow/clinic.css",
        "review/clinics/cedar-hollow.jsonl",  # an approval changes the draft label
        "claims.toml",
    ],
)
def test_a_new_or_changed_source_file_moves_the_version(project: Path, relative: str) -> None:
    watcher = Watcher(project)
    assert not watcher.poll()
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(path.read_text() + "\n" if path.exists() else "\n")
    assert watcher.poll()
    assert watcher.version == 1
    assert not watcher.poll()


def test_files_outside_the_sources_are_ignored(project: Path) -> None:
    watcher = Watcher(project)
    (project / "notes.txt").write_text("not a source")
    (project / "out").mkdir()
    (project / "out" / "x.pdf").write_bytes(b"%PDF")
    assert not watcher.poll()
