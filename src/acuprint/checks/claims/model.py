"""A small statistical second opinion for sentences no rule flags.

Patterns find the words regulators name; marketing finds new words for the
same idea ("resets your nervous system", "92% of our patients"). For each
language a logistic regression over word, word-pair and character n-gram
features is trained on the labelled corpus (`scripts/train_claims_model.py`,
deterministic) and shipped as data (`data/claims/model/<lang>.json`): no
download, no dependency, the same answer every run.

A finding says why: its score, the words that weighed most, and the nearest
labelled example (whose category picks the rule, reason and better wording).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

_CJK = re.compile(r"[\u3400-\u9fff]+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?|[%$€£#!?]", re.UNICODE)
_NUMBER = re.compile(r"\d")
# Numbers in words count as numbers ("after four sessions", "nueve de cada diez"): a
# result or a rate reads the same whichever way it is written.
_NUMBER_WORDS = frozenset(
    re.findall(
        r"\w+",
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty"
        " forty fifty sixty seventy eighty ninety hundred thousand half dozen twice"
        " dos tres cuatro cinco seis siete ocho nueve diez doce quince veinte treinta"
        " cuarenta cincuenta sesenta setenta ochenta noventa cien ciento mil mitad doble",
    )
)
MIN_WORDS, MIN_CHARACTERS = 6, 9


def _fold(text: str) -> str:
    """Lower case without accents: 'Curación' and 'curacion' are one feature."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def features(lang: str, text: str) -> dict[str, float]:
    """Binary n-gram features of a sentence, scaled to unit length."""
    folded = _fold(text)
    found: set[str] = set()
    tokens = [
        "<n>" if _NUMBER.match(t) or t in _NUMBER_WORDS else t for t in _TOKEN.findall(folded)
    ]
    if lang == "zh-Hans":
        for run in _CJK.findall(folded):
            for size in (1, 2, 3):
                found.update("c" + run[i : i + size] for i in range(len(run) - size + 1))
        tokens = [t for t in tokens if not _CJK.match(t)]
    found.update("w" + t for t in tokens)
    found.update(f"b{a} {b}" for a, b in itertools.pairwise(tokens))
    if lang != "zh-Hans":
        for token in tokens:
            padded = f"^{token}$"
            if len(padded) > 5:
                found.update("g" + padded[i : i + 5] for i in range(len(padded) - 4))
    if not found:
        return {}
    scale = 1 / math.sqrt(len(found))
    return dict.fromkeys(found, scale)


@dataclass(frozen=True)
class Example:
    """One labelled sentence of the corpus, as the model sees it."""

    category: str
    sentence: str
    vector: dict[str, float]


@dataclass(frozen=True)
class Model:
    """One language's weights, threshold and labelled examples."""

    lang: str
    bias: float
    thresholds: dict[str, float]  # by gate tier: "anchored", "open"
    weights: dict[str, float]
    examples: tuple[Example, ...]
    # feature -> (example number, value): the nearest example without a pass over all of them
    index: dict[str, tuple[tuple[int, float], ...]]

    def score(self, vector: dict[str, float]) -> float:
        """Probability that the sentence is a claim."""
        total = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in vector.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, total))))


@dataclass(frozen=True)
class Verdict:
    """The model's finding for one sentence, with what explains it."""

    category: str
    score: float
    nearest: str
    similarity: float
    cues: tuple[str, ...]

    def explain(self) -> str:
        """One line for the finding: score, weightiest words, nearest labelled example."""
        cues = ", ".join(f"'{c}'" for c in self.cues)
        return (
            f"model score {self.score:.2f}; weighed: {cues}; nearest labelled "
            f'{self.category} example ({self.similarity:.2f}): "{self.nearest}"'
        )


def model_path(lang: str) -> Path:
    """The shipped model of `lang`."""
    return Path(str(resources.files("acuprint") / "data" / "claims" / "model" / f"{lang}.json"))


@cache
def load_model(lang: str) -> Model | None:
    """The shipped model of `lang` with its labelled examples, or None if there is none."""
    from acuprint.checks.claims.corpus_files import corpus_path, read_corpus

    path = model_path(lang)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    examples = tuple(
        Example(category, sentence, features(lang, sentence))
        for wanted, category, sentence in read_corpus(corpus_path(lang))
        if wanted
    )
    thresholds = {"anchored": data["threshold"], "open": data.get("threshold_open", 1.01)}
    postings: dict[str, list[tuple[int, float]]] = {}
    for number, example in enumerate(examples):
        for key, value in example.vector.items():
            postings.setdefault(key, []).append((number, value))
    index = {key: tuple(found) for key, found in postings.items()}
    return Model(lang, data["bias"], thresholds, data["weights"], examples, index)


def _nearest(model: Model, vector: dict[str, float]) -> tuple[Example, float]:
    """The labelled example most like `vector` (cosine; the first of equals)."""
    common: dict[int, float] = {}
    for key, value in vector.items():
        for number, other in model.index.get(key, ()):
            common[number] = common.get(number, 0.0) + value * other
    if not common:
        return model.examples[0], 0.0
    number = min(common, key=lambda n: (-common[n], n))
    return model.examples[number], common[number]


def _readable(feature: str) -> str:
    text = feature[1:]
    return text.replace("^", "").replace("$", "") if feature[0] == "g" else text


def too_short(lang: str, sentence: str) -> bool:
    """Headings and list fragments ("Neck pain.") are left to the rules: too little to judge."""
    if lang == "zh-Hans":
        return sum(len(run) for run in _CJK.findall(sentence)) < MIN_CHARACTERS
    return len(_TOKEN.findall(sentence)) < MIN_WORDS


@lru_cache(maxsize=8192)  # a sentence is judged once per jurisdiction and per check
def judge(lang: str, sentence: str, tier: str = "anchored") -> Verdict | None:
    """The model's finding for `sentence`, or None if it scores below its tier's threshold."""
    model = load_model(lang)
    if model is None:
        return None
    if too_short(lang, sentence):
        return None
    vector = features(lang, sentence)
    if not vector:
        return None
    probability = model.score(vector)
    if probability < model.thresholds[tier]:
        return None
    if not model.examples:
        return None
    best, similarity = _nearest(model, vector)
    weighed = sorted(
        (model.weights.get(k, 0.0) * v, k) for k, v in vector.items() if model.weights.get(k)
    )
    cues = tuple(dict.fromkeys(_readable(k) for w, k in reversed(weighed[-3:]) if w > 0))
    return Verdict(best.category, probability, best.sentence, similarity, cues)
