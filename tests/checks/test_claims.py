"""The claims check: rules as data, the matcher, the labelled corpus, every text a clinic prints."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.checks import claims
from acuprint.checks.claim_rules import CATEGORIES, SHIPPED_LANGUAGES, load_rulebook
from acuprint.checks.claims import (
    claim_allowances,
    claim_problems,
    corpus_misses,
    corpus_path,
    corpus_scores,
    find_claims,
    matcher,
    read_corpus,
)
from acuprint.cli import app
from acuprint.errors import InputError
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]
CLINIC = "clinics/cedar-hollow/clinic.toml"  # US, en + es + zh-Hans
UK_CLINIC = "clinics/marlowe-street/clinic.toml"
HELD_OUT = Path(__file__).parent / "claims_corpus" / "heldout"
RECALL, FALSE_POSITIVES = 0.95, 0.05
# Per category on the training corpus: its rows include real-world style sentences the
# rules were not written for; the model (trained on them) and the rules together must
# still find most of each category. Regression floors, not targets: since session 5
# about half of each corpus comes from six independent writers (indirect results, no
# trigger words), and the model is regularised and held to 3 % false positives, so it
# does not memorise its own training rows (measured then: en 0.83, es 0.83, zh-Hans
# 0.86 overall; lowest category 0.68). The measure that counts is a held-out set
# written by other hands (see CHANGELOG and issue 19).
CATEGORY_RECALL, TRAIN_RECALL, PLAIN_FALSE_POSITIVES = 0.65, 0.80, 0.07


def _ids(text: str, lang: str = "en", jurisdiction: str = "us") -> set[str]:
    return {m.rule.spec.id for m in find_claims(text, lang, jurisdiction)}


# --- rules as data: every rule's own examples ------------------------------------------------

EXAMPLES = [
    (lang, rule.spec.id, sentence, wanted, rule.spec.examples.jurisdiction)
    for lang, language in load_rulebook().languages.items()
    for rule in language.rules
    for wanted, sentences in ((True, rule.spec.examples.flag), (False, rule.spec.examples.ok))
    for sentence in sentences
]


@pytest.mark.parametrize(
    ("lang", "rule", "sentence", "wanted", "jurisdiction"),
    EXAMPLES,
    ids=[f"{e[0]}-{e[1]}-{'flag' if e[3] else 'ok'}-{i}" for i, e in enumerate(EXAMPLES)],
)
def test_every_rule_handles_its_own_examples(
    lang: str, rule: str, sentence: str, wanted: bool, jurisdiction: str | None
) -> None:
    book = load_rulebook()
    found = matcher.match_claims(sentence, lang, jurisdiction or "us", book, use_model=False)
    assert (rule in {m.rule.spec.id for m in found}) is wanted


def test_every_language_covers_every_category() -> None:
    book = load_rulebook()
    for lang in SHIPPED_LANGUAGES:
        assert {r.spec.category for r in book.languages[lang].rules} == set(CATEGORIES), lang


# --- beyond keywords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "claim", "acceptable"),
    [
        # negation and denial
        ("en", "Results are guaranteed.", "Treatment outcomes cannot be guaranteed."),
        ("en", "Acupuncture cures pain.", "We do not claim that acupuncture cures pain."),
        ("en", "Our detox flushes out toxins.", "The body detoxifies itself."),
        ("es", "La acupuntura cura el dolor.", "La acupuntura no es una cura."),
        ("zh-Hans", "针灸能根治背痛。", "针灸不能根治背痛。"),
        # a negation that belongs to another word does not rescue the claim
        ("zh-Hans", "不吃药也能治好您的腰。", "慢性疼痛很难靠单一疗法治愈。"),
        # distancing: the sentence reports a claim to warn against it
        ("en", "We promise a cure.", "Be wary of anyone who promises a cure."),
        # hedges soften a mechanism, not an absolute claim
        ("en", "It releases endorphins.", "Needling might trigger the release of endorphins."),
        ("es", "Libera endorfinas.", "Los investigadores creen que podría liberar endorfinas."),
        # a dated source backs "studies show"
        ("en", "Studies show it eases back pain.", "Studies show it eases back pain (Mu 2020)."),
        # word forms through the Spanish lemmatizer
        ("es", "Curamos su ciática en semanas.", "Le atendemos con calma."),
    ],
)
def test_negation_hedges_sources_and_word_forms(lang: str, claim: str, acceptable: str) -> None:
    assert find_claims(claim, lang, "us"), claim
    assert not find_claims(acceptable, lang, "us"), acceptable


def test_a_hedge_never_rescues_an_absolute_claim() -> None:
    assert "absolute" in _ids("Acupuncture may cure your migraines.")
    assert "absolute" in _ids("La acupuntura podría curar su artrosis.", "es")
    assert "absolute" in _ids("针灸可能根除偏头痛。", "zh-Hans")


def test_conditions_are_found_from_the_lexicon_not_one_phrase() -> None:
    sentence = "Eileen offers acupuncture for fertility support, insomnia, anxiety & more."
    [match] = [m for m in find_claims(sentence, "en", "us") if m.rule.spec.id == "conditions"]
    assert "fertility" in match.phrase and "anxiety" in match.phrase
    assert "conditions" in _ids("Patients also come to us about tinnitus.")
    assert not _ids("Some trials found short-term relief of neck pain and tension-type headache.")


def test_spanish_word_forms_come_from_the_lemmatizer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "absolute" in _ids("Curamos su ciática en semanas.", "es")
    monkeypatch.setattr(matcher, "_lemmatizer", lambda lang: None)
    assert "absolute" not in _ids("Curamos su ciática en semanas.", "es")


def test_rules_apply_only_in_their_jurisdiction() -> None:
    sentence = "Our acupuncturists are state-registered."
    assert "uk-statutory-regulation" in _ids(sentence, "en", "uk")
    assert "uk-statutory-regulation" not in _ids(sentence, "en", "us")
    # "NHS approved" is false everywhere
    assert "endorsement" in _ids("NHS approved.", "en", "us")


# --- measured: the labelled corpus --------------------------------------------------------------


def _table(lang: str, path: Path) -> tuple[list[claims.CorpusScore], str]:
    rows = read_corpus(path)
    scores = corpus_scores(rows, lang)
    lines = [f"{lang} {path.name}: category, recall, false positives"]
    for s in scores:
        recall = "-" if s.recall is None else f"{s.found}/{s.flagged} = {s.recall:.2f}"
        fp = "-" if s.false_positive_rate is None else f"{s.false_positives}/{s.acceptable}"
        lines.append(f"  {s.category:<16} {recall:<16} {fp}")
    lines += [
        f"  {'missed' if w else 'flagged'}: {c}: {t}" for w, c, t in corpus_misses(rows, lang)
    ]
    return scores, "\n".join(lines)


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_the_corpus_meets_recall_and_false_positive_targets(lang: str) -> None:
    rows = read_corpus(corpus_path(lang))
    assert len(rows) >= 220
    assert {c for wanted, c, _ in rows if wanted} == set(CATEGORIES)
    assert sum(1 for wanted, _, _ in rows if not wanted) >= 100  # hard acceptable cases
    scores, table = _table(lang, corpus_path(lang))
    print(table)
    for score in scores:
        if score.recall is not None:
            wanted = TRAIN_RECALL if score.category == "all" else CATEGORY_RECALL
            assert score.recall >= wanted, table
        if score.false_positive_rate is not None and score.category == "all":
            assert score.false_positive_rate <= FALSE_POSITIVES, table
        if score.false_positive_rate is not None and score.category == "plain":
            # Chatty reviews and greetings by other writers; measured 0.066 at most (es).
            assert score.false_positive_rate <= PLAIN_FALSE_POSITIVES, table


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_held_out_sentences_report(lang: str) -> None:
    """The held-out file was written before tuning and is never used to tune the rules.

    Its figures are reported (run with -s); the test guards against a large
    regression only, so that tuning to it would gain nothing.
    """
    scores, table = _table(lang, HELD_OUT / f"{lang}.tsv")
    print(table)
    [overall] = [s for s in scores if s.category == "all"]
    assert overall.recall is not None and overall.recall >= 0.85, table
    assert overall.false_positive_rate is not None and overall.false_positive_rate <= 0.10, table


# --- everywhere text reaches a patient ------------------------------------------------------------


def test_a_claim_in_a_tagline_names_file_line_rule_and_better_wording(
    project: Path, edit: Edit
) -> None:
    edit(
        CLINIC,
        'tagline = "Calm, careful care for long-lasting pain"',
        'tagline = "We cure back pain, NHS approved"',
    )
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    mine = [p for p in problems if p.file.name == "clinic.toml"]
    assert {p.key for p in mine} == {"tagline"}
    text = (project / CLINIC).read_text()
    line = text[: text.index("We cure")].count("\n") + 1
    cure = next(p for p in mine if "claims/absolute" in p.message)
    assert cure.line == line
    assert '"cure"' in cure.message and "has not been shown" in cure.message
    assert "may help some people" in cure.fix
    assert any("claims/endorsement" in p.message and "NHS approved" in p.message for p in mine)


def test_translations_recipes_and_credentials_are_checked(project: Path, edit: Edit) -> None:
    edit(CLINIC, "Atención tranquila y cuidadosa para el dolor que dura", "Curamos su dolor")
    edit(CLINIC, 'credentials = "LAc, Dipl. Ac. (NCCAOM)"', 'credentials = "LAc, NHS approved"')
    edit("handouts/recipes/back-pain.toml", 'title = "针灸与背痛"', 'title = "针灸根治背痛"')
    loaded = load_project(project)
    keys = {p.key for p in claim_problems(loaded, ["cedar-hollow"])}
    assert {"translations.es.tagline", "practitioners.0.credentials"} <= keys
    assert "translations.zh-Hans.title" in keys
    # only the languages asked for
    keys = {p.key for p in claim_problems(loaded, ["cedar-hollow"], langs=["en"])}
    assert "translations.es.tagline" not in keys and "translations.zh-Hans.title" not in keys


def test_modules_the_clinics_print_are_checked_in_their_languages(
    project: Path, edit: Edit
) -> None:
    path = "handouts/modules/disclaimer.es.md"
    text = (project / path).read_text()
    body_start = text.index("---", 3) + 4
    (project / path).write_text(
        text[:body_start] + "Le garantizamos resultados.\n" + text[body_start:]
    )
    loaded = load_project(project)
    es = [p for p in claim_problems(loaded, ["cedar-hollow"]) if p.file.name == "disclaimer.es.md"]
    assert es and es[0].line == text[:body_start].count("\n") + 1
    assert not [
        p for p in claim_problems(loaded, ["marlowe-street"]) if "disclaimer.es" in str(p.file)
    ]


def test_a_clinic_may_allow_one_phrase_with_a_reason(project: Path, edit: Edit) -> None:
    edit(
        CLINIC,
        'tagline = "Calm, careful care for long-lasting pain"',
        'tagline = "Miracle Lane Clinic"',
    )
    assert claim_problems(load_project(project), ["cedar-hollow"])
    edit(
        CLINIC,
        "[address]",
        '[[allowed_claims]]\nphrase = "Miracle Lane"\n'
        'why = "The street the clinic stands on, not a promise."\n\n[address]',
    )
    loaded = load_project(project)
    assert not [p for p in claim_problems(loaded, ["cedar-hollow"]) if p.key == "tagline"]
    [allowance] = [a for a in claim_allowances(loaded) if a.file.name == "clinic.toml"]
    assert allowance.used and allowance.why.startswith("The street")
    text = (project / CLINIC).read_text()
    line = text[: text.index('phrase = "Miracle Lane"')].count("\n") + 1
    assert allowance.line == line
    result = CliRunner().invoke(app, ["lint", "--project", str(project)])
    assert (
        f'allowed: clinics/cedar-hollow/clinic.toml:{line}: "Miracle Lane": The street the '
        "clinic stands on, not a promise." in result.stdout
    )


# --- a project's own rules and jurisdictions ----------------------------------------------------

PROJECT_RULES = """\
[jurisdictions.nz]
name = "New Zealand: Therapeutic and Health Advertising Code"
like = "uk"

[lexicon.en]
conditions = ["gingivitis"]

[[rule]]
id = "nz-money-back"
category = "absolute"
languages = ["en"]
jurisdictions = ["nz"]
reason = "a refund offer implies the treatment is certain to work"
better = "leave refund offers out of health advertising"
patterns = ['\\bmoney[\\s-]back\\b']
examples.flag = ["Money-back offer on every course!"]
examples.ok = ["Prices are on our website."]
examples.jurisdiction = "nz"

[[extend]]
id = "absolute"
languages = ["en"]
patterns = ['\\bzap\\w* (your )?pain\\b']
examples.flag = ["Zap your pain today."]
"""


def test_a_project_adds_a_rule_a_pattern_a_word_and_a_jurisdiction(
    project: Path, edit: Edit
) -> None:
    (project / "claims.toml").write_text(PROJECT_RULES)
    book = load_rulebook(project)
    assert "nz-money-back" in {m.rule.spec.id for m in find_claims("Money back!", "en", "nz", book)}
    assert not find_claims("Money back!", "en", "us", book)
    assert "uk-statutory-regulation" in {
        m.rule.spec.id for m in find_claims("We are state registered.", "en", "nz", book)
    }
    assert find_claims("Zap your pain today.", "en", "us", book)
    assert find_claims("We treat gingivitis.", "en", "us", book)
    edit(CLINIC, 'paper = "letter"', 'paper = "letter"\njurisdiction = "nz"')
    edit(
        CLINIC,
        'tagline = "Calm, careful care for long-lasting pain"',
        'tagline = "Money-back promise"',
    )
    [problem] = [
        p for p in claim_problems(load_project(project), ["cedar-hollow"]) if p.key == "tagline"
    ]
    assert "claims/nz-money-back" in problem.message and "(under nz rules)" in problem.message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('category = "absolute"\nlanguages', 'categry = "absolute"\nlanguages'),
            "unknown key 'categry'",
        ),
        (('like = "uk"', 'like = "au"'), "is like 'au', which is not defined"),
        (('examples.flag = ["Money', 'examples.flag = ["Honey'), "does not flag its own example"),
        (('id = "absolute"', 'id = "absolutely"'), "is not a shipped rule"),
        (("patterns = ['\\bmoney", "patterns = ['(\\bmoney"), "is not a valid pattern"),
    ],
)
def test_an_invalid_project_rules_file_is_reported_with_line_and_fix(
    project: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in PROJECT_RULES
    text = PROJECT_RULES.replace(change[0], change[1])
    (project / "claims.toml").write_text(text)
    with pytest.raises(InputError) as caught:
        load_rulebook(project)
    [problem] = [p for p in caught.value.problems if message in p.message]
    assert problem.file.name == "claims.toml" and problem.line is not None and problem.fix


def test_an_unknown_clinic_jurisdiction_is_an_input_problem(project: Path, edit: Edit) -> None:
    edit(CLINIC, 'paper = "letter"', 'paper = "letter"\njurisdiction = "mars"')
    with pytest.raises(InputError) as caught:
        claim_problems(load_project(project), ["cedar-hollow"])
    [problem] = caught.value.problems
    assert problem.key == "jurisdiction" and "uk, us" in problem.fix


# --- the command line -------------------------------------------------------------------------


def test_lint_text_prints_each_claim_with_line_reason_and_better_wording(tmp_path: Path) -> None:
    draft = tmp_path / "post.txt"
    draft.write_text("Book now!\nSome people find it relaxing.\nNo side effects, guaranteed 🎉\n")
    result = CliRunner().invoke(app, ["lint", "--text", str(draft), "--project", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f'{draft}:3: claims/no-risk: "No side effects"' in result.output
    assert "    better: say side effects are usually mild" in result.output
    assert f'{draft}:3: claims/absolute: "guaranteed"' in result.output
    assert result.output.rstrip().endswith(
        f"2 claim(s) found in {draft}. Reword them before you publish."
    )


@pytest.mark.parametrize(
    ("lang", "claim", "clean"),
    [
        ("en", "Acupuncture cures back pain.", "Some people find it relaxing."),
        ("es", "Es 100% natural y segura.", "A algunas personas les resulta relajante."),
        ("zh-Hans", "没有任何副作用。", "有些人觉得很放松。"),
    ],
)
def test_lint_text_reads_standard_input_in_each_language(
    tmp_path: Path, lang: str, claim: str, clean: str
) -> None:
    args = ["lint", "--text", "-", "--lang", lang, "--project", str(tmp_path)]
    found = CliRunner().invoke(app, args, input=claim + "\n")
    assert found.exit_code == 2 and "standard input:1: claims/" in found.output
    ok = CliRunner().invoke(app, args, input=clean + "\n")
    assert ok.exit_code == 0 and ok.output == "No health claims found in standard input.\n"


def test_lint_text_jurisdiction_chooses_the_rules(tmp_path: Path) -> None:
    args = ["lint", "--text", "-", "--project", str(tmp_path)]
    text = "Our acupuncturists are state-registered.\n"
    assert CliRunner().invoke(app, [*args, "--jurisdiction", "us"], input=text).exit_code == 0
    uk = CliRunner().invoke(app, [*args, "--jurisdiction", "uk"], input=text)
    assert uk.exit_code == 2 and "claims/uk-statutory-regulation (uk rules)" in uk.output
    bad = CliRunner().invoke(app, [*args, "--jurisdiction", "xx"], input=text)
    assert bad.exit_code == 2 and "unknown jurisdiction 'xx'" in bad.output


def test_lint_report_prints_the_corpus_figures(project: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "--report", "--project", str(project)])
    assert "back-pain      en       Flesch-Kincaid grade" in result.stdout  # the scorecards
    lines = result.stdout.splitlines()
    assert any(line.startswith("Claims guard (rules + model) on its labelled") for line in lines)
    for lang in SHIPPED_LANGUAGES:
        for split in ("train", "dev"):
            assert any(line.split()[:3] == [lang, split, "all"] for line in lines), lang
            assert any(line.split()[:3] == [lang, split, "testimonial"] for line in lines), lang
    # Made once per version of the guard: a second report reads it from the cache folder.
    from acuprint.build.claims_cache import guard_key

    kept = Path(os.environ["ACUPRINT_CACHE_DIR"]) / "claims-report" / f"{guard_key()}.txt"
    assert kept.read_text(encoding="utf-8") in result.stdout
    kept.write_text(kept.read_text(encoding="utf-8").replace("Claims guard", "CACHED guard"))
    again = CliRunner().invoke(app, ["lint", "--report", "--project", str(project)])
    assert "CACHED guard (rules + model)" in again.stdout
    kept.unlink()  # the next run makes it again


INDEPENDENT = Path(__file__).parent / "claims_corpus" / "independent"
# Measured at the end of session 3 (recall, false positives): en 0.90 / 0.02,
# es 0.84 / 0.02, zh-Hans 0.85 / 0.04. A regression floor, not a target.
INDEPENDENT_FLOOR = {"en": (0.88, 0.05), "es": (0.82, 0.05), "zh-Hans": (0.83, 0.06)}


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_the_independent_set_does_not_regress(lang: str) -> None:
    scores, table = _table(lang, INDEPENDENT / f"{lang}.tsv")
    [overall] = [s for s in scores if s.category == "all"]
    recall, false_positives = INDEPENDENT_FLOOR[lang]
    assert overall.recall is not None and overall.recall >= recall, table
    assert overall.false_positive_rate is not None, table
    assert overall.false_positive_rate <= false_positives, table


FRESH = Path(__file__).parent / "claims_corpus" / "fresh"
# Measured at the end of session 5 (recall, false positives); regression floors only.
# The rows are never shown: a failure prints the figures, not the sentences.
FRESH_FLOOR = {"en": (0.68, 0.05), "es": (0.72, 0.03), "zh-Hans": (0.76, 0.09)}


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_the_fresh_held_out_set_does_not_regress(lang: str) -> None:
    [overall] = [
        s for s in corpus_scores(read_corpus(FRESH / f"{lang}.tsv"), lang) if s.category == "all"
    ]
    recall, false_positives = FRESH_FLOOR[lang]
    figures = f"{lang}: recall {overall.recall}, false positives {overall.false_positive_rate}"
    assert overall.recall is not None and overall.recall >= recall, figures
    assert overall.false_positive_rate is not None, figures
    assert overall.false_positive_rate <= false_positives, figures
