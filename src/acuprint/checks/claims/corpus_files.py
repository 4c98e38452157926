"""The labelled corpus files: where they are and how to read them (no matching here)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path


def corpus_path(lang: str) -> Path:
    """The shipped labelled corpus of `lang`."""
    return Path(str(resources.files("acuprint") / "data" / "claims" / "corpus" / f"{lang}.tsv"))


def read_corpus(path: Path) -> list[tuple[bool, str, str]]:
    """(objectionable, category, sentence) rows of a TSV file; '#' starts a comment line."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for label, category, sentence in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if label not in ("flag", "ok"):
                raise ValueError(f"{path}: label {label!r} is not 'flag' or 'ok'")
            rows.append((label == "flag", category, sentence))
    return rows
