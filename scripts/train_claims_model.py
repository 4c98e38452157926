#!/usr/bin/env python3
"""Train the claims guard's statistical model on the labelled corpus (never on the dev split).

    .venv/bin/python scripts/train_claims_model.py            # all shipped languages
    .venv/bin/python scripts/train_claims_model.py --lang es

Reads src/acuprint/data/claims/corpus/<lang>.tsv, fits an L2 logistic
regression by full-batch gradient descent (deterministic: no shuffling, no
random start), picks the threshold by 5-fold cross-validation on the same
file, behind the same gate the matcher applies (`model_gate`: no hedge,
uncertainty, guidance, logistics or other acceptable pattern; "anchored" with a claim
cue and no negation, "open" otherwise), one threshold per tier, so that the model
alone flags at most 3 % of the acceptable sentences (the open tier never on a lower
score than the anchored one), and writes src/acuprint/data/claims/model/<lang>.json. The dev split
(corpus/dev/<lang>.tsv) is only read by `lint --report`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from acuprint.checks.claims import SHIPPED_LANGUAGES, load_rulebook, read_corpus
from acuprint.checks.claims.corpus_files import corpus_path
from acuprint.checks.claims.matcher import match_claims, model_gate
from acuprint.checks.claims.model import features, model_path, too_short

STEPS, RATE, L2 = 600, 2.0, 3e-4
HANDOUT_WEIGHT = 3.0
ADDED_FP = 0.03  # false positives of the gated model alone on held-out folds
FLOOR, FLOOR_OPEN = 0.40, 0.50  # lowest thresholds, anchored and open


def _matrix(vectors: list[dict[str, float]], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(vectors), len(vocab)))
    for row, vector in enumerate(vectors):
        for key, value in vector.items():
            if key in vocab:
                x[row, vocab[key]] = value
    return x


def _fit(x: np.ndarray, y: np.ndarray, extra: np.ndarray) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))  # balanced classes
    weight = weight * extra
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight
        w -= RATE * (x.T @ g / len(y) + L2 * w)
        b -= RATE * g.mean()
    return w, b


def _vocab(vectors: list[dict[str, float]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for vector in vectors:
        for key in vector:
            counts[key] = counts.get(key, 0) + 1
    return {k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= 2))}


def _rules(sentence: str, lang: str, jurisdiction: str) -> bool:
    return bool(match_claims(sentence, lang, jurisdiction, load_rulebook(), use_model=False))


def _handout_sentences(lang: str) -> list[tuple[bool, str, str]]:
    """Sentences of the project's own reviewed modules: acceptable text the guard must pass."""
    from acuprint.checks.claims.matcher import _SENTENCE
    from acuprint.checks.claims.normalize import printed_text
    from acuprint.checks.claims.project import _module_text
    from acuprint.inputs.project import load_project

    project = load_project(Path(__file__).resolve().parent.parent)
    found: dict[str, None] = {}
    for (_, module_lang), module in sorted(project.modules.items()):
        if module_lang == lang:
            # The body and the source citations: the check reads both, and a reference's
            # author initials ("Hsu MY") or title must not read as a claim.
            citations = "\n".join(s.citation for s in module.meta.sources)
            text = printed_text(_module_text(module) + "\n" + citations).text
            found.update(dict.fromkeys(m.group(0).strip() for m in _SENTENCE.finditer(text)))
    for handout in project.handouts.values():
        words = handout.recipe.text(lang)
        found.update(dict.fromkeys((words.title, words.subtitle)))
    return [(False, "plain", s) for s in found if s]


def _thresholds(
    score: np.ndarray, anchored: np.ndarray, open_: np.ndarray, ok: np.ndarray
) -> tuple[float, float]:
    """The pair of thresholds with the best held-out recall at most ADDED_FP false positives.

    The rules were written on this file (they flag nearly all of it), so the thresholds
    are set on the model alone: on unseen text it must stand by itself. The open tier
    (no claim cue, or a negation) never gets a lower threshold than the anchored one.
    """
    grid = np.round(np.arange(FLOOR, 0.96, 0.01), 2)
    best = (-1.0, 0.0, 0.95, 0.95)
    for low in grid:
        for high in grid[grid >= max(low, FLOOR_OPEN)]:
            alone = (anchored & (score >= low)) | (open_ & (score >= high))
            if alone[ok].mean() > ADDED_FP:
                continue
            # more recall first; then the stricter pair
            key = (float(alone[~ok].mean()), float(low + high), float(low), float(high))
            if key[0] > best[0] or (key[0] == best[0] and key[1] > best[1]):
                best = key
    return best[2], best[3]


def train(lang: str) -> dict[str, object]:
    """Fit one language's model and choose its threshold."""
    corpus = read_corpus(corpus_path(lang))
    rows = corpus + _handout_sentences(lang)
    # Every build checks the handouts: a false positive there breaks it, so they weigh more.
    extra = np.array([1.0] * len(corpus) + [HANDOUT_WEIGHT] * (len(rows) - len(corpus)))
    vectors = [features(lang, sentence) for _, _, sentence in rows]
    y = np.array([1.0 if wanted else 0.0 for wanted, _, _ in rows])
    by_rules = np.array(
        [any(_rules(s, lang, j) for j in ("us", "uk")) for _, _, s in rows], dtype=bool
    )
    language = load_rulebook().languages[lang]
    # Headings and fragments too short to judge never reach the model (`judge`).
    tiers = [None if too_short(lang, s) else model_gate(language, s) for _, _, s in rows]
    anchored = np.array([tier == "anchored" for tier in tiers])
    open_ = np.array([tier == "open" for tier in tiers])
    out_of_fold = np.zeros(len(rows))
    for fold in range(5):
        test = np.arange(len(rows)) % 5 == fold
        vocab = _vocab([v for v, t in zip(vectors, test, strict=True) if not t])
        x = _matrix(vectors, vocab)
        w, b = _fit(x[~test], y[~test], extra[~test])
        out_of_fold[test] = 1 / (1 + np.exp(-(x[test] @ w + b)))
    ok = y == 0
    threshold, threshold_open = _thresholds(out_of_fold, anchored, open_, ok)
    alone = (anchored & (out_of_fold >= threshold)) | (open_ & (out_of_fold >= threshold_open))
    flagged = by_rules | alone
    print(
        f"{lang}: rules recall {by_rules[y == 1].mean():.2f}; model alone (5-fold) recall "
        f"{alone[y == 1].mean():.2f}, false positives {alone[ok].mean():.2f}; "
        f"rules+model recall {flagged[y == 1].mean():.2f}, "
        f"false positives {flagged[ok].mean():.2f}; thresholds {threshold:.2f} (anchored), "
        f"{threshold_open:.2f} (open)",
        file=sys.stderr,
    )
    vocab = _vocab(vectors)
    x = _matrix(vectors, vocab)
    w, b = _fit(x, y, extra)
    # The project's own reviewed text must pass every build: no tier's threshold may sit
    # at or below the final model's score for one of its sentences.
    own = np.arange(len(rows)) >= len(corpus)
    final = 1 / (1 + np.exp(-(x @ w + b)))
    for tier, mask in (("anchored", anchored), ("open", open_)):
        scores = final[own & mask]
        highest = float(np.ceil((scores.max() + 0.005) * 100) / 100) if len(scores) else 0.0
        if tier == "anchored" and highest > threshold:
            print(f"{lang}: anchored threshold raised to {highest:.2f} (own text)", file=sys.stderr)
            threshold = highest
        if tier == "open" and highest > threshold_open:
            print(f"{lang}: open threshold raised to {highest:.2f} (own text)", file=sys.stderr)
            threshold_open = highest
    threshold_open = max(threshold_open, threshold)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) >= 0.01}
    return {
        "lang": lang,
        "trained_on": f"data/claims/corpus/{lang}.tsv and handouts/modules ({len(rows)} sentences)",
        "bias": round(float(b), 4),
        "threshold": round(threshold, 2),
        "threshold_open": round(threshold_open, 2),
        "weights": dict(sorted(weights.items())),
    }


def main() -> None:
    """Train and write the models."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=SHIPPED_LANGUAGES, action="append")
    args = parser.parse_args()
    for lang in args.lang or SHIPPED_LANGUAGES:
        model = train(lang)
        path = model_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", "utf-8")


if __name__ == "__main__":
    main()
