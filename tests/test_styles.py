"""styles/README.md stays true: it lists every design token and every class a handout uses."""

from __future__ import annotations

import re

from acuprint.compose.markdown import render_markdown
from tests.conftest import REPO

README = (REPO / "styles" / "README.md").read_text(encoding="utf-8")
TEMPLATES = REPO / "src" / "acuprint" / "render" / "templates"


def _documented(name: str) -> bool:
    return f"`{name}`" in README or f"`{name}," in README or f", `{name}`" in README


def test_every_token_is_documented() -> None:
    tokens = set(re.findall(r"(--[a-z0-9-]+)\s*:", (REPO / "styles/tokens.css").read_text()))
    assert tokens
    for token in sorted(tokens):
        if re.fullmatch(r"--space-\d", token):
            assert "`--space-1` to `--space-5`" in README
            continue
        assert _documented(token), f"{token} is not in styles/README.md"


def test_every_class_the_templates_emit_is_documented() -> None:
    classes: set[str] = set()
    for template in TEMPLATES.glob("*.j2"):
        for value in re.findall(r'class="([^"]+)"', template.read_text()):
            # Leave out names made from template values (module--<id>, paper-<size>).
            classes.update(re.sub(r"\S*\{\{.*?\}\}\S*", "", value).split())
    checklist = render_markdown("- [ ] item\n")
    for value in re.findall(r'class="([^"]+)"', checklist):
        classes.update(value.split())
    classes.update({"form-line", "form-line__name", "form-line__date", "module--safety-checklist"})
    for name in sorted(classes):
        assert _documented(name) or name.startswith("module--"), (
            f".{name} is not in styles/README.md"
        )
    assert "`module--<id>`" in README and "`paper-letter`, `paper-a4`" in README


def test_the_styles_readme_says_first_where_each_look_comes_from() -> None:
    import tomllib

    top = "\n".join((REPO / "styles" / "README.md").read_text().splitlines()[:16])
    for needed in ("tokens.css", "clinic.toml", "clinic.css", "acuprint preview", "[fonts]"):
        assert needed in top, needed
    assert top.index("tokens.css") < top.index("clinic.toml") < top.index("clinic.css")
    fonts = tomllib.loads((REPO / "styles" / "fonts" / "fonts.toml").read_text())
    for family in fonts.values():
        if not family.get("languages"):
            assert family["name"] in top, family["name"]
