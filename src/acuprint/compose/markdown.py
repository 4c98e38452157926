"""Markdown to HTML for content modules: CommonMark, task lists, and no raw HTML."""

from __future__ import annotations

from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.tasklists import tasklists_plugin


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is off: module text is edited by many people and must not be
    # able to inject markup (scripts, links, attachments) into a handout.
    # Images are off too: a module must not make a handout load anything.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": True})
        .enable(["replacements", "smartquotes"])
        .disable("image")
        # Tick boxes are real checkboxes, each inside a <label> with its item's
        # text: on screen they have a name, take the focus and toggle from the
        # keyboard; on paper they print as empty squares to tick with a pen.
        .use(tasklists_plugin, enabled=True, label=True)
    )


@lru_cache(maxsize=512)
def render_markdown(text: str) -> Markup:
    """Render module Markdown to safe HTML; task items become labelled tick boxes."""
    return Markup(_parser().render(text))


def markdown_tokens(text: str) -> list[Token]:
    """The parsed blocks of module Markdown, as `render_markdown` sees them (for sign-off)."""
    return _parser().parse(text)
