"""Sign-off: units need an approval in force before a release prints them (checks/signoff.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.checks.signoff import Selection, review_units
from acuprint.cli import app
from acuprint.inputs.approvals import fingerprint
from acuprint.inputs.project import load_project
from tests.conftest import REPO
from tests.tools import tool

STARTER = REPO / "src" / "acuprint" / "data" / "project"
MODULE = "handouts/modules/main-message-first-visit.md"
ONE = ["--clinic", "cedar-hollow", "--handout", "first-visit", "--lang", "en"]
DRAFT = "Draft \u2013 not approved for patients"
WHO = ["--name", "Dana Whitfield", "--role", "clinic owner"]


def _change_a_sentence(project: Path, words: str) -> int:
    """Replace the module's first list item with `words`; return its line in the file."""
    path = project / MODULE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("- "))
    lines[index] = f"- {words}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def _cli(runner: CliRunner, project: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--project", str(project)])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _build(runner: CliRunner, project: Path, out: Path, *extra: str) -> tuple[int, str]:
    return _cli(
        runner, project, "build", *ONE, "--format", "html", "--no-proofs", "--out", str(out), *extra
    )


def test_fingerprints_ignore_spacing_and_compatibility_forms_but_not_words() -> None:
    assert fingerprint("Most  people\nfeel  little pain.") == fingerprint(
        "Most people feel little pain."
    )
    assert fingerprint("ﬁne\u00a0print") == fingerprint("fine print")  # NFKC: ligature, nbsp
    assert fingerprint("Most people feel little pain.") != fingerprint("Most people feel no pain.")


def test_a_changed_sentence_blocks_a_release_until_a_clinic_approves_it(
    project: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    line = _change_a_sentence(project, "Please come ten minutes early for your first visit.")

    code, output = _build(runner, project, out, "--release")
    assert code == 2, output
    assert f"{MODULE}:{line}: changed since it was approved" in output
    assert "Please come ten minutes early" in output
    assert "acuprint approve --clinic cedar-hollow --unit " in output
    assert not out.exists()  # nothing written

    code, output = _cli(runner, project, "review", *ONE)
    assert code == 1 and f"{MODULE}:{line}" in output
    prefix = fingerprint("Please come ten minutes early for your first visit.")[:12]
    assert prefix in output

    code, output = _cli(
        runner, project, "approve", "--clinic", "cedar-hollow", "--unit", prefix, *WHO
    )
    assert code == 0, output
    record = json.loads((project / "review/clinics/cedar-hollow.jsonl").read_text().splitlines()[0])
    assert set(record) >= {"fingerprint", "text", "approved_by", "role", "approved_on", "review_by"}
    assert _cli(runner, project, "review", *ONE)[0] == 0

    code, output = _build(runner, project, out, "--release")
    assert code == 0, output
    entry = json.loads((out / "manifest.json").read_text())["outputs"][0]
    assert entry["signoff"]["state"] == "approved"
    assert "Dana Whitfield" in entry["signoff"]["approved_by"]
    assert entry["signoff"]["review_by"]
    assert "review/clinics/cedar-hollow.jsonl" in entry["inputs"]  # an approval rebuilds
    assert DRAFT not in (out / "cedar-hollow/first-visit.en.html").read_text()


def test_an_approval_rebuilds_a_draft_without_its_draft_line(
    project: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _change_a_sentence(project, "Please come ten minutes early for your first visit.")
    assert _build(runner, project, out)[0] == 0  # a draft builds
    assert DRAFT in (out / "cedar-hollow/first-visit.en.html").read_text()
    code, output = _cli(runner, project, "approve", *ONE, "--all-pending", *WHO)
    assert code == 0, output
    code, output = _build(runner, project, out)
    assert "1 built, 0 up to date" in output
    assert DRAFT not in (out / "cedar-hollow/first-visit.en.html").read_text()


def test_a_flagged_sentence_needs_a_written_reason(project: Path, runner: CliRunner) -> None:
    _change_a_sentence(project, "Acupuncture cures back pain for good.")
    before = (project / "review/clinics/cedar-hollow.jsonl").read_bytes()
    code, output = _cli(runner, project, "review", *ONE)
    assert code == 1 and "claims check:" in output
    code, output = _cli(runner, project, "approve", *ONE, "--all-pending", *WHO)
    assert code == 2
    assert "without a written reason" in output and "--reason" in output
    assert (project / "review/clinics/cedar-hollow.jsonl").read_bytes() == before  # no record
    why = "Quoted from the regulator's ruling in our complaints leaflet."
    code, output = _cli(runner, project, "approve", *ONE, "--all-pending", *WHO, "--reason", why)
    assert code == 0, output
    assert why in (project / "review/clinics/cedar-hollow.jsonl").read_text()


def test_an_expired_approval_blocks_a_release(
    project: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, output = _build(runner, project, out, "--release", "--as-of", "2031-01-01")
    assert code == 2, output
    assert "approval lapsed" in output
    assert not out.exists()


def test_an_approval_lapses_with_its_review_date(project: Path, runner: CliRunner) -> None:
    _change_a_sentence(project, "Please come ten minutes early for your first visit.")
    args = ["approve", *ONE, "--all-pending", *WHO, "--as-of", "2026-01-05"]
    assert _cli(runner, project, *args, "--review-by", "2026-02-01")[0] == 0
    assert _cli(runner, project, "review", *ONE, "--as-of", "2026-01-20")[0] == 0
    code, output = _cli(runner, project, "review", *ONE, "--as-of", "2026-02-02")
    assert code == 1 and "its review was due by 2026-02-01" in output


def test_the_draft_line_is_in_a_draft_pdf_and_html_and_not_in_an_approved_one(
    project: Path, runner: CliRunner, tmp_path: Path
) -> None:
    def build_both(out: Path) -> tuple[str, str]:
        args = ["build", *ONE, "--no-proofs", "--out", str(out)]
        code, output = _cli(runner, project, *args)
        assert code == 0, output
        pdf = out / "cedar-hollow/first-visit.en.pdf"
        text = subprocess.run(
            [tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        return text, (out / "cedar-hollow/first-visit.en.html").read_text()

    pdf_text, html = build_both(tmp_path / "approved")
    assert DRAFT not in " ".join(pdf_text.split()) and DRAFT not in html
    (project / "review/clinics/cedar-hollow.jsonl").unlink()  # the clinic's own text unapproved
    pdf_text, html = build_both(tmp_path / "draft")
    assert " ".join(pdf_text.split()).count(DRAFT) >= 2  # on every page's footer
    assert DRAFT in html


def test_a_new_project_builds_a_release_without_an_approval_step(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "handouts"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    # As of the day the editorial records were made: the test must not expire with them.
    days = [
        json.loads(line)["approved_on"]
        for path in (folder / "review").rglob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    code, output = _cli(
        runner,
        folder,
        "build", "--release", "--handout", "first-visit", "--lang", "en", "--format", "html",
        "--no-proofs", "--as-of", max(days),
    )  # fmt: skip
    assert code == 0, output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json\n", "is not one JSON object"),
        (b"[1, 2]\n", "is not a JSON object"),
        (b"[" * 15_000 + b"\n", "is not one JSON object"),
        (b'{"fingerprint": NaN}\n', "is not one JSON object"),
        (b"\xff\xfe\x00garbage\n", "is not UTF-8 text"),
        (b'{"text": "x"}\n', "missing"),
        (b"x" * 30_000 + b"\n", "over 20,000 characters"),
        (b"\n" * 200_000, "lines"),
    ],
)
def test_hostile_approval_files_are_input_errors_never_tracebacks(
    project: Path, runner: CliRunner, content: bytes, message: str
) -> None:
    path = project / "review/clinics/cedar-hollow.jsonl"
    path.write_bytes(content)
    code, output = _cli(runner, project, "review", *ONE)
    assert code == 2, output
    assert "review/clinics/cedar-hollow.jsonl" in output and message in output


def test_an_edited_record_and_an_unknown_key_and_clinic_are_named_with_their_line(
    project: Path, runner: CliRunner
) -> None:
    path = project / "review/clinics/cedar-hollow.jsonl"
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    lines[0] = json.dumps({**first, "text": first["text"] + " and more"})
    lines[1] = json.dumps({**json.loads(lines[1]), "aproved_by": "x"})
    path.write_text("\n".join(lines) + "\n")
    shutil.copy(path, project / "review/clinics/nowhere.jsonl")
    code, output = _cli(runner, project, "build", *ONE, "--format", "html")
    assert code == 2
    assert "cedar-hollow.jsonl:1: fingerprint: the fingerprint does not match the text" in output
    assert "cedar-hollow.jsonl:2: aproved_by: unknown key 'aproved_by'" in output
    assert "nowhere.jsonl: there is no clinic 'nowhere'" in output


def test_two_clinics_approvals_are_independent(
    project: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    marlowe = ["--clinic", "marlowe-street", "--handout", "first-visit", "--lang", "en"]
    marlowe_build = ["build", *marlowe, "--format", "html", "--no-proofs", "--out", str(out)]
    _change_a_sentence(project, "Please come ten minutes early for your first visit.")
    assert _cli(runner, project, *marlowe_build)[0] == 0  # a draft for marlowe-street
    before = (project / "review/clinics/marlowe-street.jsonl").read_bytes()

    assert _cli(runner, project, "approve", *ONE, "--all-pending", *WHO)[0] == 0
    assert (project / "review/clinics/marlowe-street.jsonl").read_bytes() == before
    code, output = _cli(runner, project, *marlowe_build)
    assert "0 built, 1 up to date" in output  # cedar-hollow's approval changed nothing here
    code, output = _cli(runner, project, *marlowe_build, "--release")
    assert code == 2 and "--clinic marlowe-street --unit" in output
    assert _cli(runner, project, "review", *ONE)[0] == 0


@pytest.mark.parametrize("root", [REPO, STARTER], ids=["repository", "starter"])
def test_shipped_content_has_no_unapproved_units(root: Path) -> None:
    """After content edits, run scripts/approve-shipped-content.sh (and review the diff)."""
    project = load_project(root)
    records = [
        r
        for f in (project.approvals.shared, *project.approvals.clinics.values())
        for r in f.records
    ]
    assert all(r.approved_by == "acuprint editorial review" for r in records)
    assert all(r.role == "content editor (not a clinical sign-off)" for r in records)
    as_of = max([r.approved_on for r in records], default=date.today())
    pending = [
        *review_units(project, Selection(shared=True), as_of),
        *review_units(project, Selection(), as_of),
    ]
    where = [
        f"{p.unit.file.name}:{p.unit.line}: {p.status.state}: {p.unit.text[:60]}" for p in pending
    ]
    assert not where, "run scripts/approve-shipped-content.sh:\n" + "\n".join(where)
