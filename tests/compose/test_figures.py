"""Figure blocks in module text: a <figure> with alt text and caption; the checks read both."""

from __future__ import annotations

from pathlib import Path

from acuprint.compose.figures import render_module_body
from acuprint.compose.regions import expanded_lines
from acuprint.inputs.regions import RegionalWording, check_module_regions

BLOCK = """Before.

::: figure needle-size
alt: A needle beside a coin.
caption: **Real size** when printed.
:::

After.
"""


def test_a_figure_block_becomes_a_figure_with_alt_text_and_caption() -> None:
    html = str(render_module_body(BLOCK))
    assert '<figure class="figure figure--needle-size">' in html
    assert 'src="figure:needle-size" alt="A needle beside a coin."' in html
    assert '<figcaption class="figure__caption"><strong>Real size</strong> when printed.' in html
    assert html.index("Before.") < html.index("<figure") < html.index("After.")
    assert ":::" not in html and "alt:" not in html


def test_the_checks_read_alt_text_and_caption_as_paragraphs() -> None:
    text = "".join(line for _, line in expanded_lines(BLOCK, "en", "us", RegionalWording()))
    assert ":::" not in text and "alt:" not in text and "caption:" not in text
    assert "\nA needle beside a coin.\n\n" in text
    assert "\n**Real size** when printed.\n\n" in text


def test_an_unknown_or_unclosed_figure_is_an_input_problem() -> None:
    wording = RegionalWording()
    unknown = check_module_regions(
        Path("m.md"), "::: figure neddle-size\nalt: x\n:::\n", 5, "en", wording
    )
    assert [p.line for p in unknown] == [5]
    assert "unknown figure 'neddle-size'" in unknown[0].message
    unclosed = check_module_regions(
        Path("m.md"), "::: figure needle-size\nalt: x\n", 1, "en", wording
    )
    assert "never closed" in unclosed[0].message
    assert check_module_regions(Path("m.md"), BLOCK, 1, "en", wording) == []
