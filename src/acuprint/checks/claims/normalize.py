"""What the claims guard reads: text as the page prints it, not as the file spells it.

A soft hyphen, a zero-width space, a Cyrillic "e" (U+0435) or a full-width letter
inside "cures" is invisible (or looks the same) on the printed page but hides
the word from a regular expression. `printed_text` folds all of that away
while remembering where each character came from, so a finding still points
at the right line; `invisible_characters` lists the characters that content
must not contain at all (they can only hide or reorder words).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters that print nothing but split a word: soft hyphen, zero-width
# space/joiners, word joiner, invisible operators, byte order mark, Mongolian
# vowel separator, combining grapheme joiner, Hangul fillers.
_INVISIBLE = {
    "\u00ad": "soft hyphen",
    "\u034f": "combining grapheme joiner",
    "\u061c": "Arabic letter mark",
    "\u115f": "Hangul choseong filler",
    "\u1160": "Hangul jungseong filler",
    "\u180e": "Mongolian vowel separator",
    "\u200b": "zero width space",
    "\u200c": "zero width non-joiner",
    "\u200d": "zero width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2060": "word joiner",
    "\u2061": "function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\u3164": "Hangul filler",
    "\ufeff": "zero width no-break space",
    "\uffa0": "half-width Hangul filler",
}
# HTML entities for the same characters, as Markdown lets a writer type them.
INVISIBLE_ENTITIES = (
    "&shy;",
    "&#173;",
    "&#xad;",
    "&zwsp;",
    "&#8203;",
    "&#x200b;",
    "&zwj;",
    "&zwnj;",
    "&#8204;",
    "&#8205;",
    "&lrm;",
    "&rlm;",
    "&#8206;",
    "&#8207;",
    "&#8238;",
    "&#x202e;",
    "&#8288;",
    "&NoBreak;",
)
# Letters from other scripts that print like Latin ones (Cyrillic, Greek,
# Latin small capitals): folded to Latin, so "cures" spelled with Cyrillic c and e reads "cures".
_LOOKALIKES = (
    # (code points, the Latin letters they print like)
    ("0430 0435 043e 0440 0441 0443 0445 0456 0458 0455", "aeopcyxijs"),
    ("0501 04bb 04cf 051b 051d 0432 043a 043c 043d 0442", "dhlqwbkmht"),
    ("0410 0412 0415 0405 0406 0408 041a 041c", "ABESIJKM"),
    ("041d 041e 0420 0421 0422 0425 0423 050c", "HOPCTXYG"),
    ("03b1 03b2 03b5 03b9 03ba 03bd 03bf 03c1 03c4 03c5 03c7", "abeikvoptux"),
    ("0391 0392 0395 0396 0397 0399 039a", "ABEZHIK"),
    ("039c 039d 039f 03a1 03a4 03a5 03a7", "MNOPTYX"),
    ("0251 0261 0269 029f 0280 a731", "aglLRs"),
)
_CONFUSABLE = {
    int(code, 16): latin
    for codes, letters in _LOOKALIKES
    for code, latin in zip(codes.split(), letters, strict=True)
}


@dataclass(frozen=True)
class PrintedText:
    """Text as printed, and for each of its characters the index it came from."""

    text: str
    origin: tuple[int, ...]

    def source_offset(self, offset: int) -> int:
        """Where `offset` of the printed text stands in the original text."""
        if not self.origin:
            return 0
        return self.origin[min(offset, len(self.origin) - 1)]


def printed_text(text: str) -> PrintedText:
    """NFKC, invisible characters dropped, lookalike letters folded to Latin."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", char).translate(_CONFUSABLE)
        if "\uff00" <= char <= "\uffef" and not folded.isalnum():
            folded = char  # Chinese full-width punctuation stays as the rules spell it
        for part in folded:
            if out and unicodedata.combining(part):
                # A combining accent joins the letter before it (e + U+0301 = U+00E9).
                joined = unicodedata.normalize("NFC", out[-1] + part)
                if len(joined) == 1:
                    out[-1] = joined
                    continue
            out.append(part)
            origin.append(index)
    return PrintedText("".join(out), tuple(origin))


def invisible_characters(text: str) -> list[tuple[int, str, str]]:
    """(offset, character or entity, name) of every invisible or bidi control in `text`."""
    found = [
        (index, char, _INVISIBLE[char])
        for index, char in enumerate(text)
        if char in _INVISIBLE and not (index == 0 and char == "\ufeff")
    ]
    lower = text.lower()
    for entity in INVISIBLE_ENTITIES:
        start = lower.find(entity.lower())
        while start >= 0:
            found.append((start, entity, "HTML entity for an invisible character"))
            start = lower.find(entity.lower(), start + 1)
    return sorted(found)


def describe(char: str) -> str:
    """'U+200B' for a character, the entity itself for an entity."""
    return char if len(char) > 1 else f"U+{ord(char):04X}"
