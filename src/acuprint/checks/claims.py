"""Health claims a handout must not make, from the content brief, as patterns per language.

Regulators (UK Advertising Standards Authority / CAP Code; US Federal Trade
Commission health-claims guidance) object to these. Each rule matches word
forms ("cure", "cures", "cured", "curing"), says why the phrase is a problem
and offers a better wording. A few rules apply in one jurisdiction only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

Jurisdiction = str  # "us" or "uk"


@dataclass(frozen=True)
class ClaimRule:
    """One kind of claim, with the patterns that find it in each language."""

    id: str
    reason: str
    better: str
    patterns: dict[str, tuple[str, ...]]
    jurisdictions: frozenset[str] = field(default_factory=lambda: frozenset({"us", "uk"}))
    # Only a claim when no dated study is named in the same sentence.
    unless_dated: bool = False
    # Only a claim when the sentence also says the treatment works (treat, help...).
    with_effect: bool = False


EFFECT = {
    "en": r"\b(treat|treats|treated|treating|help|helps|helped|cure|relieve|relieves|fix|fixes)\b",
    "es": r"\b(trata|tratamos|tratar|ayuda|ayudamos|alivia|cura)\b",
    "zh-Hans": r"(治疗|帮助|缓解|治)",
}

RULES: tuple[ClaimRule, ...] = (
    ClaimRule(
        "claims/absolute",
        "an absolute or lasting effect (a cure, a guarantee) has not been shown",
        'say what the evidence shows: "may help some people" or "short-term relief was seen '
        'in some trials"',
        {
            "en": (r"\bcur(e|es|ed|ing)\b", r"\bpermanent(ly)?\b", r"\bguarantee(s|d)?\b"),
            "es": (r"\bcura(r|rá|n|ción)?\b", r"\bpermanente(s|mente)?\b", r"\bgarantiza\w*"),
            "zh-Hans": (r"治愈", r"根治", r"永久", r"保证"),
        },
    ),
    ClaimRule(
        "claims/detox",
        "detox and toxin claims are not accepted by regulators",
        "describe the treatment itself (needles, rest, how it may feel), not toxins",
        {
            "en": (
                r"\bdetox\w*",
                r"\bflush\w*\s+(out\s+)?(the\s+|your\s+)?toxins\b",
                r"\bcleans(e|es|ing)\b",
            ),
            "es": (r"\bdesintoxic\w*", r"\b(elimin|expuls)\w*\s+(las\s+)?toxinas\b"),
            "zh-Hans": (r"排毒", r"清除毒素", r"清洁身体"),
        },
    ),
    ClaimRule(
        "claims/root-cause",
        '"treats the root cause" states an unproven mechanism and implies a cure',
        'say "researchers are studying how it may work"',
        {
            "en": (r"\broot\s+causes?\b",),
            "es": (r"\bcausa\s+ra[ií]z\b", r"\bra[ií]z\s+del\s+problema\b"),
            "zh-Hans": (r"治本", r"从根本上"),
        },
    ),
    ClaimRule(
        "claims/boosts",
        "claims to boost immunity, energy or metabolism are not accepted by regulators",
        'leave it out, or say what some people report ("some people say they feel relaxed")',
        {
            "en": (r"\bboost\w*\s+(your\s+|the\s+)?(immun\w*|immune\s+system|energy|metabolism)",),
            "es": (
                r"\b(refuerz|fortalec|aument)\w*\s+(el\s+|su\s+|la\s+)?"
                r"(sistema\s+inmun\w*|inmunidad|energ[ií]a|metabolismo)",
            ),
            "zh-Hans": (r"(增强|提高|提升)(免疫|能量)", r"促进新陈代谢"),
        },
    ),
    ClaimRule(
        "claims/instead-of-care",
        "suggesting acupuncture replaces medicines or surgery may stop people getting care",
        'say it "can be combined with the care your doctor provides"',
        {
            "en": (
                r"\binstead\s+of\s+(your\s+)?(medication|medicines?|drugs|surgery|painkillers)",
                r"\bno\s+(more\s+)?need\s+for\s+(painkillers|medication|medicines?|surgery)",
                r"\b(replace|replaces|replacing)\s+(your\s+)?"
                r"(medication|medicines?|painkillers|surgery)",
            ),
            "es": (
                r"\ben\s+(lugar|vez)\s+de\s+(sus\s+|los\s+|la\s+)?"
                r"(medicamentos|medicinas|cirug[ií]a|analg[eé]sicos)",
                r"\bsin\s+necesidad\s+de\s+(analg[eé]sicos|medicamentos|cirug[ií]a)",
            ),
            "zh-Hans": (r"(代替|取代)(药物|手术|止痛药)", r"不(需要|用)(吃)?止痛药"),
        },
    ),
    ClaimRule(
        "claims/proven",
        '"proven" and "studies show" need a named, dated source',
        'name the study and its year: "a 2020 review of 33 studies found..."',
        {
            "en": (
                r"\b(clinically|scientifically|medically)\s+(proven|tested|shown)\b",
                r"\b(studies|research|science)\s+(show|shows|prove|proves|has\s+shown|"
                r"have\s+shown|proven)\b",
            ),
            "es": (
                r"\b(cl[ií]nica|cient[ií]fica)mente\s+(probad|comprobad|demostrad)\w*",
                r"\blos\s+estudios\s+(demuestran|muestran|prueban)\b",
            ),
            "zh-Hans": (r"(临床|科学)证明", r"研究(表明|证明)"),
        },
        unless_dated=True,
    ),
    ClaimRule(
        "claims/no-risk",
        "adverse-event data contradict claims of no side effects or complete safety",
        "say side effects are usually mild, and list them",
        {
            "en": (
                r"\bno\s+side[\s-]effects?\b",
                r"\b(completely|totally|100%|perfectly)\s+safe\b",
                r"\brisk[\s-]free\b",
                r"\bnatural(,)?\s+(and\s+|so\s+|therefore\s+)?"
                r"(safe|harmless)\b",
                r"\ball[\s-]natural\b",
            ),
            "es": (
                r"\bsin\s+efectos\s+secundarios\b",
                r"\b(totalmente|completamente)\s+segur[oa]s?\b",
                r"\bsin\s+riesgos?\b",
            ),
            "zh-Hans": (r"(没有|无)副作用", r"完全安全", r"(零|无)风险", r"纯天然"),
        },
    ),
    ClaimRule(
        "claims/conditions",
        'a list of conditions "we treat" reads as a claim that it works for each of them',
        "say what people seek acupuncture for, not what it treats, and cite the evidence",
        {
            "en": (
                r"\b(infertility|fertility|anxiety|depression|addiction|weight\s+loss|"
                r"insomnia|fibromyalgia|long\s+covid|smoking|asthma)\b",
            ),
            "es": (
                r"\b(infertilidad|fertilidad|ansiedad|depresi[oó]n|adicci[oó]n|"
                r"insomnio|fibromialgia|covid\s+persistente)\b",
            ),
            "zh-Hans": (r"(不孕|焦虑|抑郁|成瘾|减肥|失眠|纤维肌痛|长新冠)",),
        },
        with_effect=True,
    ),
    ClaimRule(
        "claims/promising",
        '"promising" or "preliminary" research is not an adequate qualifier for a benefit',
        "say what was found, how certain it is, and when",
        {
            "en": (
                r"\bpromising\s+(research|results|evidence|studies|findings)\b",
                r"\bpreliminary\s+(studies|research|evidence|results|findings)\b",
            ),
            "es": (
                r"\b(investigaci[oó]n|resultados|estudios)\s+prometedor\w*",
                r"\bestudios\s+preliminares\b",
            ),
            "zh-Hans": (r"前景(可期|看好)", r"初步(研究|结果)"),
        },
    ),
    ClaimRule(
        "claims/testimonial",
        "patient testimonials that state results count as claims",
        "leave testimonials out of patient information",
        {
            "en": (
                r"\b(one|a|our)\s+patients?\s+(said|says|told|reports?)\b",
                r"\btestimonials?\b",
            ),
            "es": (
                r"\b(un|una|nuestr[oa]s?)\s+pacientes?\s+(dijo|dice|cuenta)\b",
                r"\btestimonios?\b",
            ),
            "zh-Hans": (r"(患者|病人)(说|反映)", r"见证"),
        },
    ),
    ClaimRule(
        "claims/nhs-endorsement",
        "a UK handout must not suggest NHS or NICE endorsement (NICE does not recommend "
        "acupuncture for low back pain)",
        "state NICE's position accurately, with its date, or leave it out",
        {
            "en": (
                r"\b(NHS|NICE)[\s-](approved|recommended|endorsed)\b",
                r"\b(approved|recommended|endorsed)\s+by\s+(the\s+)?(NHS|NICE)\b",
            ),
            "es": (r"\b(aprobad|recomendad|respaldad)\w*\s+por\s+(el\s+)?(NHS|NICE)\b",),
            "zh-Hans": (r"(NHS|NICE)(推荐|认可|批准)",),
        },
        jurisdictions=frozenset({"uk"}),
    ),
    ClaimRule(
        "claims/fda-approval",
        "FDA clears acupuncture needles as devices; calling the treatment FDA-approved "
        "misleads (FTC)",
        'say "US rules require sterile, single-use needles"',
        {
            "en": (
                r"\bFDA[\s-](approved|cleared|endorsed)\b",
                r"\b(approved|cleared|endorsed)\s+by\s+the\s+FDA\b",
            ),
            "es": (r"\b(aprobad|autorizad)\w*\s+por\s+la\s+FDA\b",),
            "zh-Hans": (r"FDA(批准|认证)",),
        },
        jurisdictions=frozenset({"us"}),
    ),
)

_DATED = re.compile(r"\b(19|20)\d\d\b")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]?")


@dataclass(frozen=True)
class ClaimMatch:
    """One phrase a rule flagged, with the sentence it stands in."""

    rule: ClaimRule
    phrase: str
    sentence: str
    offset: int  # where the phrase starts in the text


_BY_ID = {rule.id: rule for rule in RULES}


@cache
def _compiled(rule_id: str, lang: str) -> tuple[re.Pattern[str], ...]:
    patterns = _BY_ID[rule_id].patterns
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns.get(lang, patterns["en"]))


def find_claims(text: str, lang: str, jurisdiction: Jurisdiction) -> Iterator[ClaimMatch]:
    """Every flagged phrase in `text`, sentence by sentence."""
    effect = re.compile(EFFECT.get(lang, EFFECT["en"]), re.IGNORECASE)
    for sentence in _SENTENCE.finditer(text):
        words = sentence.group(0)
        for rule in RULES:
            if jurisdiction not in rule.jurisdictions:
                continue
            if rule.unless_dated and _DATED.search(words):
                continue
            if rule.with_effect and not effect.search(words):
                continue
            for pattern in _compiled(rule.id, lang):
                for match in pattern.finditer(words):
                    yield ClaimMatch(
                        rule, match.group(0), words.strip(), sentence.start() + match.start()
                    )
