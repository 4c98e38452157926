"""Which language a draft is in, so `lint --text` checks it with that language's rules.

Chinese is told apart by script (Han characters; simplified if the text fits
GB2312, the simplified character set); other languages by py3langid, which
ships its model (no download) and gives the same answer every run.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_HAN = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier() -> Any:
    import py3langid  # type: ignore[import-untyped]  # loads its model (about 1 s)

    return py3langid


def detect_language(text: str) -> str:
    """A language tag for `text`: 'en', 'es', 'zh-Hans', 'zh-Hant', 'fr', ..."""
    letters = len(_LETTER.findall(text))
    han = len(_HAN.findall(text))
    if letters and han / letters >= 0.3:
        chinese = "".join(_HAN.findall(text))
        try:
            chinese.encode("gb2312")
        except UnicodeEncodeError:
            return "zh-Hant"
        return "zh-Hans"
    if not letters:
        return "en"
    lang, _ = _identifier().classify(text)
    return str(lang)
