"""Region expansion at compose time: a handout prints only its clinic's region."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acuprint.checks.readability import plain_text
from acuprint.compose.handout import compose_handout
from acuprint.compose.regions import expand_regions, forbidden_terms
from acuprint.inputs.project import load_project
from acuprint.inputs.regions import RegionalWording

Edit = Callable[[str, str, str], None]
WORDING = RegionalWording(
    {("en", "us"): {"number": "911"}, ("en", "uk"): {"number": "999"}},
    {("en", "us"): ("999", "A&E", "GP"), ("en", "uk"): ("911", "license")},
)
TEXT = "Call [[number]] now.\n\n::: us\nSee your doctor.\n:::\n::: uk\nSee your GP.\n:::\nRest.\n"


def test_terms_and_blocks_expand_for_one_region() -> None:
    assert expand_regions(TEXT, "en", "us", WORDING) == "Call 911 now.\n\nSee your doctor.\nRest.\n"
    assert expand_regions(TEXT, "en", "uk", WORDING) == "Call 999 now.\n\nSee your GP.\nRest.\n"


def test_forbidden_terms_match_whole_words_and_abbreviations_exactly() -> None:
    assert forbidden_terms("Go to A&E or see a GP.", "en", "us", WORDING) == ["A&E", "GP"]
    assert forbidden_terms("gps and 9999 and lactose", "en", "us", WORDING) == []
    assert forbidden_terms("Check their License.", "en", "uk", WORDING) == ["license"]
    assert forbidden_terms("licensed and licences", "en", "uk", WORDING) == []


def _text(project: Path, clinic: str, handout: str, lang: str) -> str:
    loaded = load_project(project)
    composed = compose_handout(loaded, loaded.clinics[clinic], loaded.handouts[handout], lang)
    return " ".join(plain_text(s.html) for s in composed.all_sections)


def test_us_and_uk_clinics_get_their_own_wording(project: Path) -> None:
    us = _text(project, "cedar-hollow", "back-pain", "en")
    uk = _text(project, "marlowe-street", "back-pain", "en")
    assert "Call 911 or go to the emergency department now" in us
    assert "urgent care clinic" in us and "999" not in us and "NHS" not in us
    assert "Call 999 or go to A&E now" in uk
    assert "NHS 111" in uk and "911" not in uk and "urgent care" not in uk
    assert ":::" not in us + uk and "[[" not in us + uk


def test_every_language_follows_the_region(project: Path) -> None:
    es = _text(project, "cedar-hollow", "back-pain", "es")
    zh = _text(project, "cedar-hollow", "back-pain", "zh-Hans")
    assert "Llame al 911" in es and "999" not in es
    assert "911" in zh and "999" not in zh


def test_the_clinic_region_setting_wins_over_the_address(project: Path, edit: Edit) -> None:
    edit("clinics/marlowe-street/clinic.toml", 'region = "uk"', 'region = "us"')
    text = _text(project, "marlowe-street", "back-pain", "en")
    assert "Call 911" in text and "999" not in text
