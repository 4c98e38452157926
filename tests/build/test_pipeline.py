"""The build engine: incremental rebuilds, parallel workers, failures, shards, manifest merge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.build.pipeline import BuildReport
from acuprint.build.plan import plan_jobs, select_shard
from acuprint.cli import app
from acuprint.inputs.project import load_project
from tests.conftest import REPO, build

Edit = Callable[[str, str, str], None]


def _planned(
    project: Path, *formats: str, clinic: str | None = None, handout: str | None = None
) -> int:
    """How many outputs a build should make, counted from the files (not by the planner).

    Each clinic x recipe x language of the clinic gives one output per format,
    and a PDF for each variant the recipe lists.
    """
    count = 0
    for profile in sorted((project / "clinics").glob("*/clinic.toml")):
        if clinic not in (None, profile.parent.name):
            continue
        languages = tomllib.loads(profile.read_text())["languages"]
        for recipe in sorted((project / "handouts" / "recipes").glob("*.toml")):
            if handout not in (None, recipe.stem):
                continue
            variants = tomllib.loads(recipe.read_text()).get("variants", [])
            per_language = (1 + len(variants) if "pdf" in (formats or ("pdf",)) else 0) + (
                1 if "html" in (formats or ("html",)) else 0
            )
            count += per_language * len(languages)
    return count


def _paths(entries: tuple[object, ...]) -> set[str]:
    return {entry.path for entry in entries}  # type: ignore[attr-defined]


def test_a_build_makes_every_planned_output(sample_build: BuildReport) -> None:
    # Other tests may have rendered part of the shared build first (then skipped here).
    assert len(sample_build.entries) == _planned(REPO)
    assert not sample_build.failures


def test_rebuild_with_nothing_changed_renders_nothing(
    built_project: Path, sample_build: BuildReport
) -> None:
    # The out folder was built elsewhere and copied: depfiles name files relative
    # to the project, so the copy is up to date too.
    again = build(built_project, workers=2)
    assert not again.built and not again.failures
    assert _paths(again.skipped) == _paths(sample_build.entries)


def test_changing_one_clinic_rebuilds_only_that_clinic(built_project: Path, edit: Edit) -> None:
    edit("clinics/marlowe-street/clinic.toml", 'primary = "#5b2a5e"', 'primary = "#3a2a5e"')
    report = build(built_project, formats=("html",), workers=2)
    assert {e.clinic for e in report.built} == {"marlowe-street"}
    marlowe = _planned(built_project, "html", clinic="marlowe-street")
    assert len(report.built) == marlowe
    assert len(report.skipped) == _planned(built_project, "html") - marlowe


def test_changing_a_shared_stylesheet_rebuilds_everything(built_project: Path) -> None:
    project = built_project
    tokens = project / "styles" / "tokens.css"
    tokens.write_text(tokens.read_text().replace("--space-1: 3pt;", "--space-1: 4pt;"))
    report = build(project, formats=("html",), workers=1)
    assert len(report.built) == _planned(project, "html") and not report.skipped


def test_force_and_a_deleted_output_rebuild(built_project: Path) -> None:
    project = built_project
    (project / "out" / "cedar-hollow" / "first-visit.en.html").unlink()
    report = build(project, formats=("html",), workers=1)
    assert _paths(report.built) == {"cedar-hollow/first-visit.en.html"}
    forced = build(project, formats=("html",), workers=1, force=True)
    assert len(forced.built) == _planned(project, "html")


def test_parallel_and_serial_builds_give_identical_bytes(project: Path, tmp_path: Path) -> None:
    # The sheet, its large print and the HTML: enough jobs for both workers.
    only = {"clinics": ["cedar-hollow"], "handouts": ["first-visit"], "langs": ["es"]}
    serial = build(project, tmp_path / "serial", workers=1, **only)
    parallel = build(project, tmp_path / "parallel", workers=2, **only)
    assert len(serial.built) == 3
    assert {(e.path, e.sha256) for e in serial.built} == {
        (e.path, e.sha256) for e in parallel.built
    }
    manifests = [(tmp_path / d / "manifest.json").read_bytes() for d in ("serial", "parallel")]
    assert manifests[0] == manifests[1]


def test_one_failing_output_does_not_stop_the_others(project: Path) -> None:
    # A real failure in one clinic only: under strict, WeasyPrint's warning about
    # a property it does not know fails each of that clinic's PDFs.
    (project / "clinics" / "bayside-pain-care" / "clinic.css").write_text(
        ".title-block { no-such-property: 1; }\n"
    )
    report = build(project, formats=("pdf",), handouts=["first-visit"], workers=2, strict=True)
    bayside = _planned(project, "pdf", clinic="bayside-pain-care", handout="first-visit")
    assert len(report.failures) == bayside > 0
    assert all(f.startswith("bayside-pain-care/first-visit") for f in report.failures)
    assert all("no-such-property" in f for f in report.failures)
    everyone = _planned(project, "pdf", handout="first-visit")
    assert len(report.built) == everyone - bayside
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert {o["path"] for o in manifest["outputs"]} == _paths(report.built)


def test_cli_exits_1_and_lists_every_failure(project: Path) -> None:
    args = ["build", "--project", str(project), "--format", "html", "--clinic", "cedar-hollow"]
    args += ["--handout", "first-visit"]
    result = CliRunner().invoke(app, [*args, "--timeout", "0.001"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    html = _planned(project, "html", clinic="cedar-hollow", handout="first-visit")
    assert html == 3
    assert f"error: {html} output(s) failed:" in lines
    failed = [line for line in lines if line.startswith("  cedar-hollow/")]
    assert len(failed) == html
    assert all(
        line.endswith("took longer than the 0.001 s limit (see --timeout)") for line in failed
    )
    assert not list((project / "out").glob("*/*.html"))


def test_shards_partition_the_plan(project: Path) -> None:
    jobs = plan_jobs(load_project(project))
    shards = [select_shard(jobs, k, 3) for k in (1, 2, 3)]
    assert sorted(job for shard in shards for job in shard) == jobs
    assert all(shards), "a shard is empty"
    assert select_shard(jobs, 2, 3) == shards[1]  # deterministic


def test_sharded_builds_merge_into_the_full_manifest(project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["build", "--project", str(project), "--format", "html", "--jobs", "1"]
    base += ["--clinic", "cedar-hollow"]
    for k in (1, 2):
        result = runner.invoke(app, [*base, "--shard", f"{k}/2", "--out", str(tmp_path / f"s{k}")])
        assert result.exit_code == 0, result.stderr
    full = build(project, tmp_path / "full", formats=("html",), clinics=["cedar-hollow"], workers=1)
    merged = tmp_path / "merged" / "manifest.json"
    for k in (1, 2):  # the shards' files, collected as the release workflow does
        shutil.copytree(tmp_path / f"s{k}", merged.parent, dirs_exist_ok=True)
    shards = [str(tmp_path / f"s{k}/manifest.json") for k in (1, 2)]
    result = runner.invoke(app, ["manifest", "merge", *shards, "--out", str(merged)])
    assert result.exit_code == 0, result.stderr
    assert merged.read_bytes() == full.manifest.read_bytes()


def test_manifest_merge_fails_on_a_conflict(tmp_path: Path) -> None:
    entry = {"clinic": "c", "handout": "h", "lang": "en", "format": "pdf", "path": "c/h.en.pdf"}
    for name, digest in (("a.json", "a" * 64), ("b.json", "b" * 64)):
        document = {"outputs": [entry | {"sha256": digest, "bytes": 1, "pages": 1}]}
        (tmp_path / name).write_text(json.dumps(document))
    inputs = [str(tmp_path / name) for name in ("a.json", "b.json")]
    result = CliRunner().invoke(
        app, ["manifest", "merge", *inputs, "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: c/h.en.pdf: ")
    assert "list different files" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_bad_shard_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--project", str(project), "--shard", "3/2"])
    assert result.exit_code == 2
    assert "'3/2' is not K/N with 1 <= K <= N" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["list", "--project", "{project}"], ["build", "--project", "{project}"]],
    ids=["help", "list", "no-op-build"],
)
def test_commands_that_render_nothing_do_not_import_weasyprint(
    built_project: Path, argv: list[str]
) -> None:
    project = built_project  # built already: the build below is a no-op
    args = [a.replace("{project}", str(project)) for a in argv]
    script = (
        "import sys\n"
        "from acuprint.cli import app\n"
        f"try:\n    app({args!r}, prog_name='acuprint')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'\n"
        "assert 'fontTools' not in sys.modules, 'fontTools was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_full_build_drops_outputs_no_longer_planned(built_project: Path) -> None:
    project = built_project
    (project / "handouts/recipes/chronic-pain.toml").unlink()
    build(project, workers=1)
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert not [o for o in manifest["outputs"] if o["handout"] == "chronic-pain"]
    assert len(manifest["outputs"]) == _planned(project)


def test_a_file_in_the_way_is_found_before_rendering(project: Path) -> None:
    # A folder acuprint has built into (a foreign one is refused before this check).
    first = build(
        project, workers=1, clinics=["bayside-pain-care"], handouts=["first-visit"],
        formats=("html",), proofs=False,
    )  # fmt: skip
    manifest = first.manifest.read_bytes()
    (project / "out" / "marlowe-street").write_text("not a folder")
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 2
    assert "cannot create the folder" in result.stderr and "marlowe-street" in result.stderr
    assert not (project / "out" / "cedar-hollow").exists() or not any(
        (project / "out" / "cedar-hollow").iterdir()
    )
    assert first.manifest.read_bytes() == manifest


def test_progress_is_plain_lines_off_a_terminal_and_a_bar_on_one() -> None:
    import io

    from acuprint.build.progress import BarProgress, LineProgress, progress_for

    with progress_for(io.StringIO()) as plain:
        assert isinstance(plain, LineProgress)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CI", raising=False)
        patch.setenv("TERM", "xterm")
        with progress_for(Terminal()) as bar:
            assert isinstance(bar, BarProgress)
