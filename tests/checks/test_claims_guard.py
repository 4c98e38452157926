"""The claims guard beyond keywords: categories per language, hardening, language detection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.checks.claims import claim_problems, find_claims, load_rulebook
from acuprint.checks.claims.language import detect_language
from acuprint.checks.claims.matcher import match_claims, model_gate
from acuprint.checks.claims.model import features, load_model
from acuprint.checks.claims.normalize import printed_text
from acuprint.cli import app
from acuprint.errors import InputError
from acuprint.inputs.project import load_project

Edit = Callable[[str, str, str], None]
CLINIC = "clinics/cedar-hollow/clinic.toml"
MODULE = "handouts/modules/what-is-acupuncture.md"
SENTENCE = "A trained **practitioner** (the person who gives the treatment) puts the needles"


def _flagged(text: str, lang: str) -> bool:
    return any(find_claims(text, lang, j) for j in ("us", "uk"))


# --- categories the first rules missed, in each language (rules and model together) ---------

CLAIMS = [
    ("en", "testimonial", "After five visits Rachel was back on the tennis court with no pain."),
    ("en", "proven", "Research shows acupuncture is effective for anxiety and low mood."),
    ("en", "mechanism", "Each session resets your nervous system and rebalances your hormones."),
    ("en", "comparison", "A cheaper, longer-lasting alternative to steroid injections."),
    ("en", "instead-of-care", "A drug-free alternative to sleeping pills."),
    ("en", "no-risk", "Being 100% natural, it is completely safe for the whole family."),
    ("en", "boosts", "Strengthen your immune system with our winter acupuncture plan."),
    ("en", "detox", "Our cupping cleanse draws toxins out of your muscles."),
    ("en", "root-cause", "We get to the root of your health problems."),
    ("en", "conditions", "Services: fertility, IVF support, long Covid, cosmetic acupuncture."),
    ("es", "testimonial", "Tras cuatro sesiones Marta volvió a dormir toda la noche."),
    ("es", "proven", "Está científicamente demostrado que la acupuntura reduce la ansiedad."),
    ("es", "instead-of-care", "Una alternativa sin fármacos a los analgésicos."),
    ("es", "detox", "Limpia tu organismo de toxinas con nuestro bono depurativo."),
    ("es", "conditions", "Tratamos: fertilidad, FIV, embarazo y covid persistente."),
    ("zh-Hans", "testimonial", "扎了三次针，李先生的腰就完全不疼了。"),
    ("zh-Hans", "proven", "研究表明针灸对失眠非常有效。"),
    ("zh-Hans", "boosts", "针灸能增强免疫力，预防感冒。"),
    ("zh-Hans", "detox", "拔罐能把体内的毒素排出来。"),
    ("zh-Hans", "conditions", "主治：不孕不育、试管助孕、新冠后遗症。"),
]
ACCEPTABLE = [
    ("en", "NICE guideline NG59 says not to offer acupuncture for low back pain."),
    ("en", "There is no evidence that acupuncture removes toxins from your body."),
    ("en", "Results of trials are mixed, and the evidence is of low certainty."),
    ("en", "Keep taking the medicines your doctor prescribed."),
    ("es", "No hay pruebas de que la acupuntura elimine toxinas."),
    ("es", "La acupuntura no sustituye a su médico."),
    ("zh-Hans", "没有证据表明针灸能排毒。"),
    ("zh-Hans", "针灸不能代替看医生。"),
]


@pytest.mark.parametrize(("lang", "category", "sentence"), CLAIMS)
def test_each_category_is_found_in_each_language(lang: str, category: str, sentence: str) -> None:
    assert _flagged(sentence, lang), (category, sentence)


@pytest.mark.parametrize(("lang", "sentence"), ACCEPTABLE)
def test_quoting_debunking_and_denying_pass(lang: str, sentence: str) -> None:
    assert not _flagged(sentence, lang), sentence


def test_a_model_finding_names_its_rule_and_explains_itself() -> None:
    found = [m for m in find_claims(CLAIMS[4][2], "en", "us") if m.evidence]
    for match in found:
        assert "nearest labelled" in match.evidence and match.rule.spec.better


# --- the model's gate: two tiers, not a hard anchor ----------------------------------------

# Claims no rule matches, with a negation in them ("no longer", "sin", "不用"): the model
# judges them at the open tier's stricter threshold instead of leaving them unjudged.
NEGATED_CLAIMS = [
    ("en", "Many of our IBS patients no longer need to see their gastroenterologist."),
    ("es", "Por primera vez desde niño, Jaime pasó la primavera sin alergia."),
    ("zh-Hans", "很多肠易激的患者调理后再也不用去消化科了。"),
]
# A negation that governs the evidence or the meaning is a denial: left to the rules.
GOVERNED_DENIALS = [
    ("en", "No study has shown that acupuncture boosts the immune system."),
    ("en", "Being natural doesn't mean a treatment is safe for you."),
    ("es", "Ningún estudio ha demostrado que la acupuntura refuerce el sistema inmunitario."),
    ("zh-Hans", "目前没有研究证明针灸能提高免疫力。"),
    ("zh-Hans", "天然并不意味着安全。"),
]


@pytest.mark.parametrize(("lang", "sentence"), NEGATED_CLAIMS)
def test_a_negation_does_not_keep_a_claim_from_the_model(lang: str, sentence: str) -> None:
    language = load_rulebook().languages[lang]
    assert model_gate(language, sentence) == "open"
    assert not match_claims(sentence, lang, "us", load_rulebook(), use_model=False)
    [match] = find_claims(sentence, lang, "us")
    assert match.evidence and "nearest labelled" in match.evidence


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_the_open_tier_needs_a_higher_score(lang: str) -> None:
    model = load_model(lang)
    assert model is not None
    assert 0.4 <= model.thresholds["anchored"] <= model.thresholds["open"] <= 0.95


@pytest.mark.parametrize(("lang", "sentence"), GOVERNED_DENIALS)
def test_a_negation_that_governs_the_evidence_is_left_to_the_rules(
    lang: str, sentence: str
) -> None:
    assert model_gate(load_rulebook().languages[lang], sentence) is None
    assert not _flagged(sentence, lang)


def test_model_vetoes_are_whole_words() -> None:
    # 'fee\\w*' once vetoed "feel" and "feet"; 路 (road) vetoed 尿路 (urinary tract).
    book = load_rulebook().languages
    assert model_gate(book["en"], "The treatment repairs damaged nerves in diabetic feet.")
    assert model_gate(book["en"], "It works on why you feel irritable before your period.")
    assert model_gate(book["zh-Hans"], "反复尿路感染，先针灸再考虑抗生素。")
    assert model_gate(book["en"], "Our fees are on the price list.") is None


def test_numbers_in_words_are_numbers() -> None:
    assert features("en", "Gone after four sessions.") == features("en", "Gone after 4 sessions.")
    assert features("es", "nueve de cada diez") == features("es", "9 de cada 10")


# --- hardening: what prints is what is checked ------------------------------------------------

HIDDEN = [
    "It cu\u00adres back pain for good.",
    "It cu\u200bres back pain for good.",
    "It \u0441ures back pain for good.",  # Cyrillic es
    "It \uff43ures back pain for good.",  # full-width c
]


@pytest.mark.parametrize("text", HIDDEN)
def test_invisible_and_lookalike_characters_do_not_hide_a_claim(text: str) -> None:
    [match, *_] = find_claims(text, "en", "us")
    assert match.rule.spec.id == "absolute"
    assert printed_text(text).text == "It cures back pain for good."


@pytest.mark.parametrize("split", ["cu**res**", "cu`res`", "cu[res](https://example.com)"])
def test_markup_inside_a_word_does_not_hide_a_claim(project: Path, edit: Edit, split: str) -> None:
    edit(MODULE, SENTENCE, f"Acupuncture {split} back pain for good. {SENTENCE}")
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    assert any(
        "claims/absolute" in p.message and p.file.name == Path(MODULE).name for p in problems
    )


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u202e", "&shy;"])
def test_invisible_characters_in_content_are_an_input_error(
    project: Path, edit: Edit, hidden: str
) -> None:
    edit(MODULE, SENTENCE, f"It cu{hidden}res pain. {SENTENCE}")
    with pytest.raises(InputError) as caught:
        claim_problems(load_project(project), ["cedar-hollow"])
    [problem] = caught.value.problems
    assert problem.line == 13 and "invisible character" in problem.message and problem.fix


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'directions = "Bus 14',
            'directions = "Our needles cure back pain for good. Bus 14',
            "directions",
        ),
        ('"Fri 8am-1pm"', '"Fri: detox day, flush out toxins"', "opening_hours.1"),
        ("Oregon license AC-0000 (sample)", "Guaranteed cure, licence AC-0000", "license"),
    ],
)
def test_every_printed_clinic_field_is_checked(
    project: Path, edit: Edit, old: str, new: str, key: str
) -> None:
    edit(CLINIC, old, new)
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    assert any(p.key and p.key.endswith(key) for p in problems), problems


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ("Cedar Hollow Acupuncture and Chinese Medicine", False),
        ("Harbour Lane Acupuncture & Wellness Centre", False),
        ("Cedar Hollow Back Pain Cure Clinic", True),  # the rules still read names
    ],
)
def test_a_clinic_name_is_judged_by_the_rules_not_the_model(
    project: Path, edit: Edit, name: str, flagged: bool
) -> None:
    edit(CLINIC, 'name = "Cedar Hollow Acupuncture"', f'name = "{name}"')
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    assert any(p.key == "name" for p in problems) == flagged, problems


def test_words_in_an_svg_logo_are_checked(project: Path, edit: Edit) -> None:
    edit(
        "clinics/cedar-hollow/logo.svg",
        "</svg>",
        "<text x='2' y='60'>Cures pain for good</text></svg>",
    )
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    assert any(p.file.name == "logo.svg" and "claims/absolute" in p.message for p in problems)


def test_a_module_in_a_language_without_rules_is_an_input_error(project: Path) -> None:
    source = (project / MODULE).read_text(encoding="utf-8")
    (project / "handouts/modules/what-is-acupuncture.fr.md").write_text(
        source.replace("language: en", "language: fr\ntranslates: 2"), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        claim_problems(load_project(project), ["cedar-hollow"])
    assert any("'fr'" in p.message and "no rules" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(
    "toml",
    [
        '[lexicon.en]\ndistancing = ["."]\n',
        '[lexicon.en]\nnegations = ["\\\\w"]\n',
        '[lexicon.es]\nhedges = ["a"]\n',
    ],
)
def test_a_project_may_not_loosen_the_guard(project: Path, toml: str) -> None:
    (project / "claims.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rulebook(project)
    assert "may only tighten" in caught.value.problems[0].message


def test_a_pattern_with_nested_repetition_is_refused(project: Path) -> None:
    (project / "claims.toml").write_text(
        '[[rule]]\nid = "slow"\ncategory = "absolute"\nlanguages = ["en"]\n'
        'reason = "a pattern that backtracks forever"\nbetter = "say less"\n'
        "patterns = ['(a+)+b']\nexamples.flag = [\"aab\"]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_rulebook(project)
    assert any("repeats a repeated group" in p.message for p in caught.value.problems)


def test_a_short_allowance_does_not_silence_a_longer_claim(project: Path, edit: Edit) -> None:
    edit(
        CLINIC,
        'tagline = "Calm, careful care for long-lasting pain"',
        'tagline = "It cures back pain"',
    )
    text = (project / CLINIC).read_text(encoding="utf-8")
    text += (
        '\n[[allowed_claims]]\nphrase = "cu"\nwhy = "a two-letter allowance that must not match"\n'
    )
    (project / CLINIC).write_text(text, encoding="utf-8")
    problems = claim_problems(load_project(project), ["cedar-hollow"])
    assert any(p.key == "tagline" for p in problems)


# --- lint --text knows the language -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "claim"),
    [
        ("La acupuntura cura el dolor de espalda para siempre.", "es", "cura"),
        ("针灸能根治腰痛，效果永久。", "zh-Hans", "根治"),
        ("Acupuncture cures back pain.", "en", "cures"),
    ],
)
def test_lint_text_detects_the_language_and_names_the_claim(
    text: str, lang: str, claim: str
) -> None:
    result = CliRunner().invoke(app, ["lint", "--text", "-"], input=text)
    assert result.exit_code == 2, result.output
    assert f"as '{lang}' (detected" in result.output and f'"{claim}' in result.output


def test_lint_text_in_a_language_without_rules_exits_2_and_names_the_checked_ones() -> None:
    text = "L'acupuncture guérit définitivement le mal de dos, c'est garanti."
    result = CliRunner().invoke(app, ["lint", "--text", "-"], input=text)
    assert result.exit_code == 2
    assert "'fr'" in result.output and "en, es, zh-Hans" in result.output
    assert "No health claims" not in result.output


def test_lint_text_lang_overrides_detection() -> None:
    result = CliRunner().invoke(app, ["lint", "--text", "-", "--lang", "es"], input="cura total")
    assert result.exit_code == 2 and "detected" not in result.output


def test_detect_language() -> None:
    assert detect_language("针灸可以帮助一些人。") == "zh-Hans"
    assert detect_language("針灸可以幫助一些人。") == "zh-Hant"
    assert detect_language("La acupuntura puede ayudar a algunas personas.") == "es"


# --- guard4: a testimonial needs a result; reports, reviews and hedges are not claims --------

# A rating or a review is a testimonial when it tells a health result, not when it is
# about the welcome, the room or the parking.
RATINGS = [
    (
        "en",
        "Five stars: friendly staff, a spotless room and easy parking.",
        "Five stars, my knee pain is gone.",
    ),
    (
        "es",
        "⭐⭐⭐⭐⭐ Trato muy amable y todo limpísimo.",
        "⭐⭐⭐⭐⭐ Cinco estrellas, mi dolor de rodilla desapareció.",
    ),
    ("zh-Hans", "五星好评，前台热情，环境干净。", "五星好评，膝盖疼好多了。"),
]


@pytest.mark.parametrize(("lang", "review", "result"), RATINGS)
def test_a_rating_is_a_testimonial_only_when_it_tells_a_health_result(
    lang: str, review: str, result: str
) -> None:
    assert not _flagged(review, lang), review
    assert "testimonial" in {m.rule.spec.category for m in find_claims(result, lang, "us")}


# Stories of change with no number, rating or trigger word.
STORIES = [
    ("en", "I couldn't bend to tie my shoes before; now I do it without thinking."),
    ("es", "Antes no podía agacharme a atarme los zapatos y ahora lo hago sin pensar."),
    ("zh-Hans", "以前弯不下腰系鞋带，现在随便就能系好。"),
]


@pytest.mark.parametrize(("lang", "sentence"), STORIES)
def test_a_story_of_change_is_a_testimonial(lang: str, sentence: str) -> None:
    found = match_claims(sentence, lang, "us", load_rulebook(), use_model=False)
    assert "testimonial" in {m.rule.spec.category for m in found}, sentence


# Results that are negative, mixed or still being studied; a regulator's requirement; a
# quoted word named as a word; a guarantee of the welcome: reports, not claims.
REPORTS = [
    ("en", "Two large trials found no improvement in pregnancy rates with acupuncture."),
    ("en", "In those trials sham needling did about as well as real acupuncture for hot flushes."),
    ("en", "Whether acupuncture helps with tinnitus hasn't been properly tested."),
    ("en", '"Detox" is just a marketing word.'),
    ("en", "We guarantee a warm welcome, not a cure."),
    ("es", "En los ensayos sobre sofocos, la acupuntura simulada funcionó igual que la real."),
    ("es", "Se está investigando si la acupuntura ayuda con el insomnio."),
    ("es", "Te garantizamos una buena acogida."),
    ("zh-Hans", "大型试管婴儿试验没有发现针灸提高活产率。"),
    ("zh-Hans", "在失眠的试验里，假针灸的效果和真针灸差不多。"),
    ("zh-Hans", "监管机构要求，说针灸有效的广告必须有可靠的研究证据支持。"),
]


@pytest.mark.parametrize(("lang", "sentence"), REPORTS)
def test_negative_results_open_questions_and_requirements_are_reports(
    lang: str, sentence: str
) -> None:
    assert not _flagged(sentence, lang), sentence


# The origin of your pain; skipping the wait, the referral or the scan; an unnamed title.
NEW_CLAIMS = [
    ("en", "root-cause", "We find the origin of your back pain."),
    ("es", "root-cause", "Encontramos el origen de tu dolor de espalda."),
    ("zh-Hans", "root-cause", "我们会找出腰痛背后的原因。"),
    ("en", "instead-of-care", "Skip the waiting list for a scan and book with us today."),
    ("es", "instead-of-care", "No esperes a la lista de espera de la Seguridad Social: ven hoy."),
    ("zh-Hans", "instead-of-care", "不用排专家号，今天就能来扎针。"),
    ("es", "qualification", "Pide cita con la doctora esta misma semana."),
    ("es", "qualification", "Marta, acupuntora médica, atiende los lunes."),
    ("en", "qualification", "Book your consultation with Dr Ortiz online."),
    ("zh-Hans", "qualification", "到前台找钱医生就行。"),
]


@pytest.mark.parametrize(("lang", "category", "sentence"), NEW_CLAIMS)
def test_origin_skipped_care_and_unnamed_titles_are_found_by_the_rules(
    lang: str, category: str, sentence: str
) -> None:
    found = match_claims(sentence, lang, "us", load_rulebook(), use_model=False)
    assert category in {m.rule.spec.category for m in found}, sentence


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Your GP can look for the cause of your pain."),
        ("es", "Trabajamos junto a tu especialista en dolor."),
    ],
)
def test_the_readers_own_doctor_is_not_a_claim(lang: str, sentence: str) -> None:
    assert not _flagged(sentence, lang), sentence


# The model does not judge an experience review about the service (no health result), but
# judges the same kind of sentence once it tells a result.
SERVICE = [
    (
        "en",
        "Friendly staff, a spotless room and she explained everything.",
        "Friendly staff, and my back pain has eased a lot.",
    ),
    (
        "es",
        "Personal muy amable, todo limpísimo y me lo explicaron todo.",
        "Personal muy amable y el dolor de espalda se me ha aliviado.",
    ),
    ("zh-Hans", "环境干净，讲解很耐心，服务周到。", "环境干净，腰痛也缓解了很多。"),
]


@pytest.mark.parametrize(("lang", "review", "result"), SERVICE)
def test_the_model_leaves_service_reviews_alone(lang: str, review: str, result: str) -> None:
    language = load_rulebook().languages[lang]
    assert model_gate(language, review) is None
    assert model_gate(language, result) is not None
