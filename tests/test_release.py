"""The release workflow's steps, run locally: shards built apart, artifacts merged, one index.

Mirrors .github/workflows/release.yml: each shard restores the previous
release into its out folder, builds its slice with --strict --as-of, renames
its manifest; the release job copies every shard's files into one folder (as
the artifact download does, so index.html is overwritten) and runs
`acuprint manifest merge`, which writes the whole contact sheet.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from acuprint.cli import app
from tests.conftest import REPO

SHARDS = 2
SELECTION = ["--clinic", "marlowe-street", "--handout", "brochure", "--handout", "first-visit"]


def _release(runner: CliRunner, project: Path, previous: Path | None, work: Path) -> list[str]:
    """One run of the workflow; returns what each shard's build printed."""
    printed = []
    release = work / "release"
    if previous is not None:  # the release job restores the previous release too
        shutil.copytree(previous, release)
    for shard in range(1, SHARDS + 1):
        out = work / f"shard-{shard}"
        if previous is not None:  # "Restore the previous release"
            shutil.copytree(previous, out)
        result = runner.invoke(
            app,
            ["build", "--project", str(project), *SELECTION, "--format", "pdf", "--strict",
             "--as-of", "2026-11-21", "--shard", f"{shard}/{SHARDS}", "--jobs", "1",
             "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        printed.append(result.stdout)
        manifest = out / f"manifest-shard-{shard}.json"
        (out / "manifest.json").rename(manifest)
        packed = subprocess.run(  # "Pack this shard's files", then download-artifact
            [sys.executable, str(REPO / "scripts" / "shard-files.py"), str(out), str(manifest)],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        for name in packed:
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / name, release / name)
    shards = sorted(str(p) for p in release.glob("manifest-shard-*.json"))
    merged = runner.invoke(
        app, ["manifest", "merge", *shards, "--out", str(release / "manifest.json")]
    )
    assert merged.exit_code == 0, merged.stderr
    assert f"wrote {release / 'index.html'}" in merged.stdout
    for shard in shards:
        Path(shard).unlink()
    return printed


def test_a_sharded_release_ships_a_whole_contact_sheet_and_reruns_render_nothing(
    runner: CliRunner, project: Path, tmp_path: Path, edit: Callable[[str, str, str], None]
) -> None:
    first = _release(runner, project, None, tmp_path / "run1")
    assert all(re.search(r"^[1-9]\d* built", out, re.M) for out in first), "a shard was empty"
    release = tmp_path / "run1" / "release"
    manifest = json.loads((release / "manifest.json").read_text())["outputs"]
    pdfs = [entry["path"] for entry in manifest if entry["format"] == "pdf"]
    assert len(pdfs) == 4  # first-visit and its large print, brochure and its tri-fold
    index = (release / "index.html").read_text()
    linked = set(re.findall(r'<h3><a href="([^"#]+\.pdf)">', index))
    assert linked == set(pdfs)
    for path in pdfs:
        assert (release / path).is_file()

    again = _release(runner, project, release, tmp_path / "run2")
    assert all(re.search(r"^0 built, \d+ up to date", out, re.M) for out in again), again
    assert (tmp_path / "run2" / "release" / "manifest.json").read_bytes() == (
        release / "manifest.json"
    ).read_bytes()

    # A change renders only what it touches, and the shards still agree.
    edit("handouts/recipes/brochure.toml", 'title = "Your', 'title = "New: your')
    changed = _release(runner, project, release, tmp_path / "run3")
    built = sum(int(re.search(r"^(\d+) built", out, re.M).group(1)) for out in changed)  # type: ignore[union-attr]
    assert built == 2  # the brochure and its tri-fold
    merged = json.loads((tmp_path / "run3" / "release" / "manifest.json").read_text())["outputs"]
    assert len(merged) == 4  # first-visit and its large print, the brochure and its tri-fold
    for entry in merged:
        data = (tmp_path / "run3" / "release" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
