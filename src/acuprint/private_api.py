"""The one place acuprint reaches into what WeasyPrint and Typer do not offer publicly.

Every such use is a small function here, so an upgrade is ported in one file,
and `check_weasyprint` / `check_typer` refuse, in plain words, a version other
than the series these were written against (the one `requirements.lock`
pins), instead of failing in the middle of a render with an AttributeError.

- WeasyPrint's laid-out boxes: `page_box(page)` (a page's root box) and
  `placed_box(placeholder)` (the box behind an absolutely positioned
  placeholder). The layout checks read positions and sizes from them.
- WeasyPrint's tag builder: `languages_tagged()` wraps the function that
  makes structure elements, for the length of one render, so that an element
  in another language than the document gets /Lang (WeasyPrint ignores `lang`).
- Typer's bundled Click: `click_errors`, its exception classes, which the
  CLI catches to reword usage errors.

Nothing else in acuprint imports a name starting with "_" from WeasyPrint,
pydyf or Typer (tests/test_private_api.py checks the source).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer import _click as _typer_click

from acuprint.errors import AcuprintError

WEASYPRINT_SERIES = "70."
TYPER_SERIES = "0.29."

click_errors = _typer_click.exceptions  # the Click that this Typer bundles


class UnsupportedVersion(AcuprintError):
    """An installed library is not the series acuprint's private uses were written for."""


def _check(name: str, installed: str, series: str) -> None:
    if not installed.startswith(series):
        raise UnsupportedVersion(
            f"{name} {installed} is installed; acuprint works with {name} {series}x\n"
            "    fix: install the versions pinned in requirements.lock "
            "(scripts/setup.sh does), or a release of acuprint made for this one"
        )


def check_typer() -> None:
    """Refuse a Typer this module was not written for."""
    _check("Typer", typer.__version__, TYPER_SERIES)


def check_weasyprint() -> None:
    """Refuse a WeasyPrint this module was not written for."""
    import weasyprint

    _check("WeasyPrint", weasyprint.__version__, WEASYPRINT_SERIES)


def page_box(page: Any) -> Any:
    """The root box of a laid-out WeasyPrint page (margins, size, children)."""
    return page._page_box


def placed_box(placeholder: Any) -> Any:
    """The box an AbsolutePlaceholder stands for."""
    return placeholder._box


_tagging = threading.Lock()
_renders_tagging = 0


@contextmanager
def languages_tagged(own_language: Callable[[Any], str | None]) -> Iterator[None]:
    """While inside, each structure element made from an element whose language
    (`own_language(box)`) differs from the document's gets a /Lang entry."""
    global _renders_tagging
    from weasyprint.pdf import tags

    with _tagging:
        if _renders_tagging == 0:
            original = tags._build_box_tree

            def with_lang(
                box: Any, parent: Any, pdf: Any, page: int, nums: Any, annotations: Any, t: Any
            ) -> Iterator[Any]:
                document_lang = getattr(pdf.catalog.get("Lang"), "string", None)
                lang = own_language(getattr(box, "_box", box))
                lang = lang if lang != document_lang else None
                for element in original(box, parent, pdf, page, nums, annotations, t):
                    if lang:
                        element["Lang"] = tags.pydyf.String(lang)
                    yield element

            with_lang.original = original  # type: ignore[attr-defined]
            tags._build_box_tree = with_lang
        _renders_tagging += 1
    try:
        yield
    finally:
        with _tagging:
            _renders_tagging -= 1
            if _renders_tagging == 0:
                tags._build_box_tree = tags._build_box_tree.original
