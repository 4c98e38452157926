"""Private parts of WeasyPrint, pydyf and Typer are used in one module, for one series each."""

from __future__ import annotations

import ast

import pytest

from acuprint import private_api
from tests.conftest import REPO

LIBRARIES = ("weasyprint", "pydyf", "typer")


def _private_uses(source: str) -> list[str]:
    """Imports of a name starting with "_" from the libraries, and `._x` on their modules."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if any(p.startswith("_") for p in parts) or any(n.startswith("_") for n in names):
                found.append(f"from {node.module} import {', '.join(names)}")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES and "._" in alias.name:
                    found.append(f"import {alias.name}")
        if isinstance(node, ast.Attribute) and node.attr in ("_page_box", "_box", "_click"):
            found.append(f".{node.attr}")
    return found


def test_no_private_name_of_weasyprint_pydyf_or_typer_outside_the_adapter() -> None:
    offenders = {}
    for path in sorted((REPO / "src" / "acuprint").rglob("*.py")):
        if path.name == "private_api.py":
            continue
        uses = _private_uses(path.read_text(encoding="utf-8"))
        if uses:
            offenders[str(path.relative_to(REPO))] = uses
    assert offenders == {}
    assert _private_uses((REPO / "src/acuprint/private_api.py").read_text())  # the check sees


def test_another_series_is_refused_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer
    import weasyprint

    private_api.check_typer()
    private_api.check_weasyprint()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    refused = private_api.UnsupportedVersion
    with pytest.raises(refused, match=r"(?s)WeasyPrint 71.0 is installed.*fix"):
        private_api.check_weasyprint()
    monkeypatch.setattr(typer, "__version__", "0.30.0")
    with pytest.raises(refused, match=r"(?s)Typer 0.30.0.*requirements.lock"):
        private_api.check_typer()
