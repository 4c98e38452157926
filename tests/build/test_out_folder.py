"""The out folder: a build writes only inside it, never over someone else's files, one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.build.manifest import lock_out_folder, remove_partial_files
from acuprint.cli import app
from acuprint.errors import BuildLocked

ONE_OUTPUT = ["--clinic", "cedar-hollow", "--handout", "first-visit", "--lang", "en"]


def _build(project: Path, *options: str) -> tuple[int, str]:
    argv = ["build", "--project", str(project), *ONE_OUTPUT, "--format", "html", "--jobs", "1"]
    result = CliRunner().invoke(app, [*argv, *options])
    return result.exit_code, result.stderr


def test_a_link_inside_the_out_folder_is_refused_before_anything_is_written(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = project / "out"
    out.mkdir()
    (out / ".acuprint.lock").touch()  # a folder acuprint has built into
    (out / "cedar-hollow").symlink_to(elsewhere)
    code, stderr = _build(project)
    assert code == 2, stderr
    assert f"{out / 'cedar-hollow'} is a symbolic link" in stderr
    assert "fix: remove the link" in stderr
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == [".acuprint.lock", "cedar-hollow"]


def test_a_project_whose_out_folder_is_a_link_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "out").symlink_to(elsewhere)
    code, stderr = _build(project)
    assert code == 2, stderr
    assert f"{project / 'out'} is a symbolic link" in stderr and "--out" in stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["index.html", "manifest.json"])
def test_force_never_replaces_someone_elses_contact_sheet_or_manifest(
    project: Path, tmp_path: Path, name: str
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / name).write_text("their page")
    (theirs / ".draft.abcdefgh.tmp").write_text("their draft")
    code, stderr = _build(project, "--out", str(theirs), "--force")
    assert code == 2, stderr
    assert f"{theirs / name} was not written by acuprint" in stderr
    assert "fix: move it" in stderr
    assert sorted(p.name for p in theirs.iterdir()) == [".draft.abcdefgh.tmp", name]
    assert (theirs / name).read_text() == "their page"


def test_only_acuprints_own_half_written_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "cedar-hollow" / "proofs").mkdir(parents=True)
    (tmp_path / "notes").mkdir()
    ours = [
        ".manifest.json.abcdefgh.tmp",
        ".index.html.k2j4h5g6.tmp",
        "cedar-hollow/.first-visit.en.pdf.abcd1234.tmp",
        "cedar-hollow/proofs/.first-visit.en-p01.png.abcd1234.tmp",
    ]
    theirs = [".draft.abcdefgh.tmp", ".notes.txt.abcdefgh.tmp", "notes/.a.pdf.abcdefgh.tmp"]
    for name in [*ours, *theirs]:
        (tmp_path / name).write_text("x")
    removed = remove_partial_files(tmp_path, ["cedar-hollow"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == sorted(ours)
    assert all((tmp_path / name).exists() for name in theirs)


def test_deleting_the_lock_file_does_not_let_a_second_build_in(tmp_path: Path) -> None:
    with lock_out_folder(tmp_path):
        (tmp_path / ".acuprint.lock").unlink()
        with pytest.raises(BuildLocked, match="another acuprint build"), lock_out_folder(tmp_path):
            pass
    with lock_out_folder(tmp_path):  # free again once the first build is done
        pass


def test_writing_never_follows_a_link_swapped_in_below_the_folder(tmp_path: Path) -> None:
    from acuprint.atomic import LinkInTheWay, write_inside

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    write_inside(out, "clinic/a.pdf", b"one")
    assert (out / "clinic" / "a.pdf").read_bytes() == b"one"
    (out / "clinic" / "a.pdf").unlink()
    (out / "clinic").rmdir()
    (out / "clinic").symlink_to(elsewhere)
    with pytest.raises(LinkInTheWay):
        write_inside(out, "clinic/a.pdf", b"two")
    assert list(elsewhere.iterdir()) == []
    (out / "b.pdf").symlink_to(elsewhere / "b.pdf")  # a link as the file itself is replaced
    write_inside(out, "b.pdf", b"three")
    assert not (out / "b.pdf").is_symlink() and list(elsewhere.iterdir()) == []
