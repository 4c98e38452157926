"""Markdown to HTML for content modules: CommonMark, task lists, and no raw HTML.

CommonMark decides whether `**` or `*` can open or close emphasis from the
characters on either side. Its rules assume spaces between words, so in
Chinese a closing `**` right after full-width punctuation and before a Han
character (`……。**然后`) cannot close: the reader sees a literal `**` and
bold on the wrong words. The parser here scans delimiters the CJK-friendly
way (as the markdown-it-cjk-friendly proposal does): a CJK character next to
punctuation counts like a space would, so emphasis opens and closes where a
reader expects. Text without CJK characters parses exactly as CommonMark.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.tasklists import tasklists_plugin

# Han, kana, Hangul, CJK symbols and punctuation, and full-width forms.
_CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FFF),  # CJK radicals, Kangxi radicals, ideographic description
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。「」…)
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility Jamo, Katakana extensions
    (0x3200, 0x4DBF),  # enclosed CJK, CJK compatibility, CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms (full-width commas, colons, brackets)
    (0x20000, 0x3FFFF),  # CJK extensions B onwards
)


def is_cjk(char: str) -> bool:
    """True for a Chinese, Japanese or Korean character or full-width punctuation mark."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


class _CjkStateInline(StateInline):
    """Inline state whose emphasis delimiters open and close as a CJK reader expects."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        pos = start
        maximum = self.posMax
        marker = self.src[start]
        last = self.src[start - 1] if start > 0 else " "  # line start counts as a space
        while pos < maximum and self.src[pos] == marker:
            pos += 1
        count = pos - start
        after = self.src[pos] if pos < maximum else " "  # line end counts as a space

        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
        last_space = isWhiteSpace(ord(last))
        next_space = isWhiteSpace(ord(after))
        # The CJK-friendly change: punctuation next to a CJK character does not
        # stop a run from flanking, as punctuation next to a space does not.
        last_cjk = is_cjk(last)
        next_cjk = is_cjk(after)

        # Full-width punctuation is CJK too: `：**NICE` closes like `：**然后`.
        left_flanking = not (
            next_space or (next_punct and not (last_space or last_punct or last_cjk or next_cjk))
        )
        right_flanking = not (
            last_space or (last_punct and not (next_space or next_punct or next_cjk or last_cjk))
        )
        can_open = left_flanking and (canSplitWord or not right_flanking or last_punct)
        can_close = right_flanking and (canSplitWord or not left_flanking or next_punct)
        return Scanned(can_open, can_close, count)


def _cjk_emphasis(md: MarkdownIt) -> None:
    """Plugin: parse inline content with the CJK-friendly delimiter scan."""
    inline = md.inline

    def parse(src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _CjkStateInline(src, md, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is off: module text is edited by many people and must not be
    # able to inject markup (scripts, links, attachments) into a handout.
    # Images are off too: a module must not make a handout load anything.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": True})
        .enable(["replacements", "smartquotes"])
        .disable("image")
        # Tables (a tracker to fill in): their empty cells print as boxes to write in.
        .enable("table")
        # Tick boxes are real checkboxes, each inside a <label> with its item's
        # text: on screen they have a name, take the focus and toggle from the
        # keyboard; on paper they print as empty squares to tick with a pen.
        .use(tasklists_plugin, enabled=True, label=True)
        .use(_cjk_emphasis)
    )


@lru_cache(maxsize=512)
def render_markdown(text: str) -> Markup:
    """Render module Markdown to safe HTML; task items become labelled tick boxes."""
    return Markup(_parser().render(text))


def markdown_tokens(text: str) -> list[Token]:
    """The parsed blocks of module Markdown, as `render_markdown` sees them (for sign-off)."""
    return _parser().parse(text)
