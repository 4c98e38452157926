"""The CLI through Typer's runner: version, list, build options, strict mode, exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from acuprint import __version__
from acuprint.cli import app
from tests.conftest import REPO

Edit = Callable[[str, str, str], None]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"acuprint {__version__}\n"


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "list"):
        assert command in result.stdout


def test_list_shows_clinics_handouts_and_modules(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["list", "--project", str(project)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "cedar-hollow           Cedar Hollow Acupuncture (letter; en, es, zh-Hans)" in out
    assert "marlowe-street         Marlowe Street Acupuncture (a4; en)" in out
    assert "first-visit            Your first acupuncture visit: main-message-first-visit," in out
    assert "safety-checklist" in out and "v2  reviewed 2026-11-21" in out


def test_build_narrowed_to_one_clinic_handout_and_format(runner: CliRunner, project: Path) -> None:
    out = project / "elsewhere"
    result = runner.invoke(
        app,
        [
            "build",
            "--project",
            str(project),
            "--clinic",
            "marlowe-street",
            "--handout",
            "first-visit",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    large = out / "marlowe-street" / "first-visit.en.large-print.pdf"
    large_pages = len(PdfReader(large).pages)  # poppler's count, not ours
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(
        [
            "index.html",
            "manifest.json",
            "marlowe-street/first-visit.en.large-print.pdf",
            "marlowe-street/first-visit.en.pdf",
            *(f"marlowe-street/proofs/first-visit.en-p{n:02d}.png" for n in range(1, 3)),
            *(
                f"marlowe-street/proofs/first-visit.en.large-print-p{n:02d}.png"
                for n in range(1, large_pages + 1)
            ),
        ]
    )
    assert "built marlowe-street/first-visit.en.pdf (" in result.stderr
    # A small build lists the paths it wrote, then the summary.
    lines = result.stdout.splitlines()
    assert sorted(lines[:-1]) == [
        f"wrote {large}",
        f"wrote {out / 'marlowe-street' / 'first-visit.en.pdf'}",
    ]
    assert lines[-1].startswith("2 built, 0 up to date, 0 failed in ")
    assert not (project / "out").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["outputs"]:
        assert entry["format"] == "pdf"
        assert entry["pages"] == len(PdfReader(out / entry["path"]).pages)


def test_manifest_keeps_earlier_outputs_when_narrowed(runner: CliRunner, project: Path) -> None:
    base = ["build", "--project", str(project), "--format", "html"]
    assert runner.invoke(app, [*base, "--clinic", "cedar-hollow"]).exit_code == 0
    assert runner.invoke(app, [*base, "--clinic", "marlowe-street"]).exit_code == 0
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    clinics = {entry["clinic"] for entry in manifest["outputs"]}
    assert clinics == {"cedar-hollow", "marlowe-street"}


def test_strict_fails_on_a_weasyprint_warning_and_writes_nothing(
    runner: CliRunner, project: Path
) -> None:
    css = project / "clinics" / "cedar-hollow" / "clinic.css"
    css.write_text(".title-block { colour: red; }\n")
    args = ["build", "--project", str(project), "--clinic", "cedar-hollow"]
    args += ["--handout", "first-visit", "--format", "pdf", "--lang", "en"]

    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    lines = strict.stderr.splitlines()
    assert "error: 2 output(s) failed:" in lines  # the handout and its large print
    assert (
        "  cedar-hollow/first-visit.en.pdf: warning (strict mode): "
        "clinics/cedar-hollow/clinic.css: Ignored `colour: red` at 1:16, unknown property."
    ) in lines
    assert lines[-1].startswith("0 built, 0 up to date, 2 failed in ")
    # Nothing but the (empty, hidden) lock file: no output, manifest or contact sheet.
    assert not [
        p for p in (project / "out").rglob("*") if p.is_file() and p.name != ".acuprint.lock"
    ]

    relaxed = runner.invoke(app, args)
    assert relaxed.exit_code == 0
    assert (
        "warning: cedar-hollow/first-visit.en.pdf: clinics/cedar-hollow/clinic.css: Ignored"
        in relaxed.stderr
    )
    assert (project / "out" / "cedar-hollow" / "first-visit.en.pdf").is_file()


def _fill_colours(pdf: Path) -> set[str]:
    """Every RGB fill colour set on the first page's content stream."""
    content = PdfReader(pdf).pages[0].get_contents()
    assert content is not None
    return set(re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", content.get_data().decode("latin-1")))


def test_clinic_css_overrides_a_token_in_the_pdf(runner: CliRunner, project: Path) -> None:
    args = ["build", "--project", str(project), "--clinic", "cedar-hollow", "--format", "pdf"]
    args += ["--handout", "first-visit"]
    pdf = project / "out" / "cedar-hollow" / "first-visit.en.pdf"
    assert runner.invoke(app, args).exit_code == 0
    assert "1 0 0" not in _fill_colours(pdf)

    css = project / "clinics" / "cedar-hollow" / "clinic.css"
    css.write_text(":root { --color-primary: #ff0000; }\n")
    assert runner.invoke(app, args).exit_code == 0
    assert "1 0 0" in _fill_colours(pdf)  # headings now print in pure red


def test_out_path_that_is_a_file_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    target = project / "not-a-folder"
    target.write_text("")
    result = runner.invoke(app, ["build", "--project", str(project), "--out", str(target)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: the out folder {target} is a file\n    fix: pass --out with a folder\n"
        "Nothing was built.\n"
    )


def test_write_failure_is_reported_and_manifest_matches_disk(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acuprint.build import pipeline as build_module

    real_write = build_module.write_inside
    calls: list[Path] = []

    def failing_second_write(root: Path, relative: str, data: bytes) -> None:
        calls.append(root / relative)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_write(root, relative, data)

    monkeypatch.setattr(build_module, "write_inside", failing_second_write)
    args = ["build", "--project", str(project), "--clinic", "cedar-hollow", "--format", "html"]
    result = runner.invoke(app, [*args, "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"error: cannot write {calls[1]}: No space left on device",
        "    fix: free some space or choose another folder with --out; "
        "the outputs written so far are kept",
    ]
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert [entry["path"] for entry in manifest["outputs"]] == [
        calls[0].relative_to(project / "out").as_posix()
    ]


def test_a_bug_exits_3_with_a_short_message_and_the_details_in_a_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import acuprint.cli as cli

    def broken(**kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    with pytest.raises(SystemExit) as stop:
        cli.run()
    assert stop.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: ValueError: a bug" in err and "Traceback" not in err
    (report,) = tmp_path.glob("acuprint-crash-*.txt")
    assert "Traceback" in report.read_text() and "a bug" in report.read_text()
    assert str(report) in err


@pytest.mark.parametrize("command", [["lint"], ["review"]])
def test_a_json_report_that_cannot_be_written_is_a_usage_error(command: list[str]) -> None:
    args = [*command, "--project", str(REPO), "--json", "/proc/no-such-folder/report.json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "--json /proc/no-such-folder/report.json: cannot write it" in result.stderr
    assert ("fix:" in result.stderr and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
