"""Every lint rule, with an example that fails and one that passes; the shipped content passes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.checks.lint import Finding, lint_project
from acuprint.cli import app
from acuprint.inputs.colours import contrast_ratio
from acuprint.inputs.project import load_project
from tests.conftest import REPO

Edit = Callable[[str, str, str], None]
TODAY = date(2026, 11, 20)
BENEFITS = "handouts/modules/benefits.md"
CLINIC = "clinics/cedar-hollow/clinic.toml"


def _findings(project: Path, as_of: date = TODAY) -> list[Finding]:
    return lint_project(load_project(project), as_of).findings


def _rules(project: Path, as_of: date = TODAY) -> set[str]:
    return {finding.rule for finding in _findings(project, as_of)}


def test_shipped_content_passes_lint_strict() -> None:
    # From any working folder: the project is named, not assumed to be the current one.
    result = CliRunner().invoke(
        app, ["lint", "--strict", "--as-of", "2026-11-20", "--project", str(REPO)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "No problems found."


# --- claims -------------------------------------------------------------------------------

# The claim rules themselves are tested in tests/checks/test_claims.py.


def test_a_claim_in_a_module_names_file_line_and_better_wording(project: Path, edit: Edit) -> None:
    edit(BENEFITS, "Some people find it eases their pain for a while.", "Acupuncture cures pain.")
    [finding] = [f for f in _findings(project) if f.rule == "claims/absolute"]
    assert finding.path.name == "benefits.md"
    text = (project / BENEFITS).read_text()
    assert finding.line == text[: text.index("cures")].count("\n") + 1
    assert finding.severity == "error"
    assert finding.message.startswith('"cures": an absolute or lasting effect')
    assert "may help some people" in finding.suggestion


def test_a_module_may_allow_a_phrase_with_a_reason(project: Path, edit: Edit) -> None:
    edit(BENEFITS, "Some people find it eases their pain for a while.", "Doctors recommend rest.")
    assert "claims/endorsement" in _rules(project)
    edit(
        BENEFITS,
        "sources:\n",
        "allowed_claims:\n  - phrase: Doctors recommend rest\n"
        "    why: Advice to rest, not an endorsement of acupuncture.\nsources:\n",
    )
    assert "claims/endorsement" not in _rules(project)
    report = lint_project(load_project(project), TODAY)
    [allowance] = [a for a in report.allowances if a.phrase == "Doctors recommend rest"]
    assert (allowance.phrase, allowance.used) == ("Doctors recommend rest", True)
    assert allowance.why.startswith("Advice to rest")


def test_a_claim_in_a_clinic_tagline(project: Path, edit: Edit) -> None:
    edit(CLINIC, "Calm, careful care for long-lasting pain", "Guaranteed relief, risk-free")
    rules = {f.rule for f in _findings(project) if f.path.name == "clinic.toml"}
    assert {"claims/absolute", "claims/no-risk"} <= rules


# --- reading level ------------------------------------------------------------------------


def test_reading_level_flags_hard_english(project: Path, edit: Edit) -> None:
    assert "reading-level/en" not in _rules(project)
    edit(
        BENEFITS,
        "Some people find it eases their pain for a while.",
        "Notwithstanding considerable methodological heterogeneity, contemporaneous "
        "investigations substantiate clinically meaningful analgesic amelioration attributable "
        "to acupuncture interventions administered by appropriately credentialed practitioners.",
    )
    [finding] = [f for f in _findings(project) if f.rule == "reading-level/en"]
    assert finding.message.startswith("Flesch-Kincaid grade is ")
    assert finding.severity in ("warning", "error")


def test_reading_level_flags_hard_spanish(project: Path, edit: Edit) -> None:
    assert "reading-level/es" not in _rules(project)
    path = "handouts/modules/disclaimer.es.md"
    text = (project / path).read_text()
    body = text.split("---", 2)[2]
    hard = (
        "La administración terapéutica de procedimientos acupunturales necesariamente requiere "
        "consideraciones interdisciplinarias extraordinariamente pormenorizadas. "
    ) * 6
    (project / path).write_text(text.replace(body, "\n" + hard + "\n"))
    assert "reading-level/es" in _rules(project)


# --- evidence -----------------------------------------------------------------------------


def test_an_old_source_is_review_due_unless_checked(project: Path, edit: Edit) -> None:
    assert "evidence/review-due" not in _rules(project)
    path = "handouts/modules/how-it-may-work.md"
    text = (project / path).read_text()
    start = text.index("    checked: 2026-11-21")
    end = text.index("\n", text.index("check_note", start)) + 1
    (project / path).write_text(text[:start] + text[end:])
    [finding] = [f for f in _findings(project) if f.rule == "evidence/review-due"]
    assert finding.path.name == "how-it-may-work.md"
    assert "source 'mu-2020' is from 2020, more than 5 years old" in finding.message


def test_a_check_older_than_two_years_is_review_due_again(project: Path) -> None:
    # Only the source's check is old here (the module itself was reviewed lately),
    # so the finding can come from the two-year rule for checks alone.
    path = project / "handouts/modules/how-it-may-work.md"
    text = path.read_text()
    checked = text[text.index("    checked: ") :].split("\n", 1)[0]
    path.write_text(text.replace(checked, "    checked: 2024-06-01", 1))
    as_of = date(2026, 11, 20)
    sources = [
        f
        for f in lint_project(load_project(project), as_of).findings
        if f.rule == "evidence/review-due" and f.path == path
    ]
    assert [f.message for f in sources if "source" in f.message], "the old check went unnoticed"
    assert not [f for f in sources if "last reviewed" in f.message]
    recent = date(2026, 5, 1)  # under two years after the check: no finding
    assert not [
        f
        for f in lint_project(load_project(project), recent).findings
        if f.rule == "evidence/review-due" and f.path == path and "source" in f.message
    ]


def test_last_reviewed_over_two_years_ago_is_review_due(project: Path, edit: Edit) -> None:
    edit("handouts/modules/disclaimer.md", "last_reviewed: 2026-11-21", "last_reviewed: 2023-01-10")
    finding = next(f for f in _findings(project) if f.path.name == "disclaimer.md")
    assert finding.rule == "evidence/review-due"
    assert "last reviewed 2023-01-10" in finding.message


def test_an_effect_without_a_source_is_an_error(project: Path, edit: Edit) -> None:
    edit(
        "handouts/modules/disclaimer.md",
        "This handout is general information, not medical advice.",
        "Acupuncture eases back pain for many people.",
    )
    finding = next(f for f in _findings(project) if f.rule == "evidence/unsourced-effect")
    assert finding.severity == "error" and finding.path.name == "disclaimer.md"
    assert '"eases back pain"' in finding.message


# --- translations -------------------------------------------------------------------------


def test_a_changed_english_module_makes_its_translations_stale(project: Path, edit: Edit) -> None:
    edit("handouts/modules/what-to-expect.md", "version: 2", "version: 3")
    stale = {f.path.name for f in _findings(project) if f.rule == "translation/stale"}
    assert stale == {"what-to-expect.es.md", "what-to-expect.zh-Hans.md"}


def test_a_translation_must_record_its_english_version(project: Path, edit: Edit) -> None:
    edit("handouts/modules/what-to-expect.es.md", "translates: 2\n", "")
    finding = next(f for f in _findings(project) if f.rule == "translation/version")
    assert finding.severity == "error"


# --- required content ---------------------------------------------------------------------


def test_needling_without_the_checklist_is_reported_and_added(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/first-visit.toml", '    "safety-tell-us",\n', "")
    assert "required/safety-checklist" in _rules(project)
    loaded = load_project(project)
    from acuprint.compose.handout import compose_handout

    composed = compose_handout(
        loaded, loaded.clinics["cedar-hollow"], loaded.handouts["first-visit"], "en"
    )
    ids = [s.id for s in composed.all_sections]
    assert ids[-2:] == ["safety-checklist", "disclaimer"]


def test_disclaimer_listed_early_is_reported(project: Path, edit: Edit) -> None:
    edit("handouts/recipes/chronic-pain.toml", "modules = [", 'modules = [\n    "disclaimer",')
    assert "required/disclaimer-last" in _rules(project)


# --- clinics ------------------------------------------------------------------------------


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_low_contrast_brand_colours(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'text = "#1e2a24"', 'text = "#9aa5a0"')
    edit(CLINIC, 'accent = "#c9822b"', 'accent = "#f3e3c9"')
    found = {
        (f.severity, f.message.split(" ")[0])
        for f in _findings(project)
        if f.rule == "clinic/contrast"
    }
    assert ("error", "colors.text") in found and ("warning", "colors.accent") in found


def test_http_links_and_placeholder_credentials(project: Path, edit: Edit) -> None:
    edit(CLINIC, '"https://cedarhollow.example.com/book"', '"http://cedarhollow.example.com/book"')
    edit(CLINIC, 'license = "Oregon license AC-0001 (sample)"', 'license = "TBD"')
    findings = _findings(project)
    assert any(f.rule == "clinic/url" and "booking_url" in f.message for f in findings)
    assert any(f.rule == "clinic/credentials" and "Marcus Ito" in f.message for f in findings)


# --- the command --------------------------------------------------------------------------


def test_lint_command_report_json_and_exit_codes(project: Path, edit: Edit, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "lint.json"
    args = ["lint", "--project", str(project), "--as-of", "2026-11-20"]
    clean = runner.invoke(app, [*args, "--json", str(out)])
    assert clean.exit_code == 0
    data = json.loads(out.read_text())
    assert data["errors"] == 0 and len(data["scorecards"]) == 21  # 7 handouts x 3 languages

    edit("handouts/modules/what-to-expect.md", "version: 2", "version: 3")  # warnings only
    assert runner.invoke(app, args).exit_code == 0
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "warning: translation/stale: stale: translates version 2" in strict.stderr
    edit(BENEFITS, "Some people find it eases their pain for a while.", "It cures pain.")
    assert runner.invoke(app, args).exit_code == 1


def test_build_strict_runs_the_lint_first(project: Path) -> None:
    # A lint finding that is not a claim (claims stop every build, strict or not):
    # a module whose last review is more than two years old.
    import re

    disclaimer = project / "handouts" / "modules" / "disclaimer.md"
    text = disclaimer.read_text()
    disclaimer.write_text(re.sub(r"last_reviewed: \S+", "last_reviewed: 2023-01-10", text, count=1))
    result = CliRunner().invoke(
        app, ["build", "--project", str(project), "--strict", "--format", "html"]
    )
    assert result.exit_code == 1, result.stderr
    assert "evidence/review-due" in result.stderr
    assert "Nothing was built: --strict stops on any lint finding." in result.stderr
    assert not (project / "out").exists()
