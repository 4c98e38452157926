"""A rebuild that fails removes the old output: nothing in out/ looks current that is not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from acuprint.build.proofs import proof_paths
from acuprint.cli import app

OUTPUT = "cedar-hollow/more-information.en.pdf"


def _build(runner: CliRunner, project: Path) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["build", "--project", str(project), "--clinic", "cedar-hollow", "--handout",
         "more-information", "--lang", "en", "--jobs", "1"],
    )  # fmt: skip
    return result.exit_code, result.stderr


def test_a_failed_rebuild_removes_the_old_pdf_and_lists_it_as_failed(
    runner: CliRunner, project: Path, edit: Callable[[str, str, str], None]
) -> None:
    code, err = _build(runner, project)
    assert code == 0, err
    out = project / "out"
    pages = json.loads((out / "manifest.json").read_text())["outputs"]
    pdf = next(entry for entry in pages if entry["path"] == OUTPUT)
    proofs = proof_paths(OUTPUT, pdf["pages"])
    assert (out / OUTPUT).is_file() and all((out / p).is_file() for p in proofs)
    (out / "cedar-hollow" / "notes.pdf").write_bytes(b"someone else's file")

    # The second time the handout overflows its page budget: the render fails.
    edit("handouts/recipes/more-information.toml", "max_pages = 4", "max_pages = 1")
    code, err = _build(runner, project)
    assert code == 1
    assert f"{OUTPUT}: preflight failed: page budget" in err

    assert not (out / OUTPUT).exists()
    assert not any((out / p).exists() for p in proofs)
    assert (out / "cedar-hollow/more-information.en.html").is_file()  # built, not failed
    assert (out / "cedar-hollow" / "notes.pdf").read_bytes() == b"someone else's file"
    manifest = json.loads((out / "manifest.json").read_text())
    assert OUTPUT not in [entry["path"] for entry in manifest["outputs"]]
    [failed] = manifest["failed"]
    assert failed["path"] == OUTPUT and failed["error"].startswith("preflight failed: page budget")
    sheet = (out / "index.html").read_text()
    assert "Failed: not built, not in this folder (1)" in sheet
    assert f"<li><strong>{OUTPUT}</strong>: preflight failed: page budget" in sheet

    # Fixed: it builds again and is no longer listed as failed.
    edit("handouts/recipes/more-information.toml", "max_pages = 1", "max_pages = 4")
    code, err = _build(runner, project)
    assert code == 0, err
    assert (out / OUTPUT).is_file()
    assert "failed" not in json.loads((out / "manifest.json").read_text())
    assert "Failed: not built" not in (out / "index.html").read_text()
