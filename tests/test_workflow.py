"""The release workflow keeps the promises the README makes about it."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import REPO

WORKFLOW: dict[str, Any] = yaml.safe_load(
    (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
)
JOBS: dict[str, Any] = WORKFLOW["jobs"]


def _runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in JOBS[job]["steps"])


def test_every_job_runs_in_debian_12_with_a_cached_set_up() -> None:
    for name, job in JOBS.items():
        assert job["container"] == "debian:12", name
        caches = [s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@")]
        assert caches, f"{name} has no cache"
        assert ".venv" in caches[0]["with"]["path"]
        assert "/var/cache/apt/archives" in caches[0]["with"]["path"]
        assert "requirements.lock" in caches[0]["with"]["key"]
        assert "scripts/setup.sh" in caches[0]["with"]["key"]


def test_the_merge_needs_no_browser() -> None:
    runs = _runs("release")
    assert "scripts/setup.sh\n" in runs and "setup.sh --test" not in runs
    assert "chromium" not in runs


def test_shards_restore_the_last_release_and_lint_as_of_the_commit() -> None:
    runs = _runs("build")
    assert "gh release download" in runs
    assert runs.index("gh release download") < runs.index("scripts/build.sh")
    assert '--strict --release --as-of "$(git log -1 --format=%cs)"' in runs
    assert "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in runs
    assert "scripts/shard-files.py" in runs


def test_a_rerun_replaces_the_release_files() -> None:
    runs = _runs("release")
    assert "gh release upload" in runs and "--clobber" in runs
    assert "acuprint manifest merge" in runs
