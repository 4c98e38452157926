"""The rulebook: the shipped claim rules plus a project's `claims.toml`, validated and compiled.

Every file is validated on load; problems name the file, the line and a fix.
A project's rules must also handle their own examples as promised, so a
project file is checked with the matcher before its rulebook is used.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from acuprint.checks.claims.matcher import match_claims
from acuprint.checks.claims.schema import (
    PLACEHOLDER,
    PROJECT_FILE,
    REQUIRED_LEXICON,
    SHIPPED_LANGUAGES,
    ClaimsFile,
    Jurisdiction,
    Language,
    ProjectClaims,
    Rule,
    Rulebook,
    RuleExtension,
    RuleSpec,
)
from acuprint.errors import InputError, Problem
from acuprint.inputs.files import read_toml
from acuprint.inputs.locate import Loc, toml_line
from acuprint.inputs.validation import validate


def _alternation(words: list[str]) -> str:
    # Longest first, so "low back pain" wins over "back pain".
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _expand(pattern: str, lexicon: dict[str, list[str]], depth: int = 0) -> str:
    """Replace each {name} by the lexicon list `name` (which may itself use {other})."""
    if depth > 4:
        return pattern
    return PLACEHOLDER.sub(
        lambda m: _expand(_alternation(lexicon[m.group(1)]), lexicon, depth + 1), pattern
    )


def _compile(pattern: str, lexicon: dict[str, list[str]]) -> re.Pattern[str]:
    return re.compile(_expand(pattern, lexicon), re.IGNORECASE)


def _references(spec: RuleSpec | RuleExtension) -> set[str]:
    texts = [*spec.patterns, *spec.lemma_patterns]
    if isinstance(spec, RuleSpec):
        texts += [*spec.requires, *spec.unless]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def _build_rule(
    spec: RuleSpec, lang: str, source: Path, lexicon: dict[str, list[str]], extra: list[Any]
) -> Rule:
    patterns = [*spec.patterns, *(p for e in extra for p in e.patterns)]
    lemmas = [*spec.lemma_patterns, *(p for e in extra for p in e.lemma_patterns)]
    jurisdictions = {*spec.jurisdictions, *(j for e in extra for j in e.jurisdictions)}
    return Rule(
        spec,
        lang,
        source,
        tuple(_compile(p, lexicon) for p in patterns),
        tuple(_compile(p, lexicon) for p in lemmas),
        tuple(_compile(p, lexicon) for p in spec.requires),
        tuple(_compile(p, lexicon) for p in spec.unless),
        frozenset(jurisdictions if spec.jurisdictions else ()),
    )


def _language(
    lang: str, lexicon: dict[str, list[str]], rules: list[tuple[RuleSpec, Path, list[Any]]]
) -> Language:
    built = tuple(_build_rule(spec, lang, path, lexicon, extra) for spec, path, extra in rules)

    def cue(name: str) -> re.Pattern[str]:
        return _compile(_alternation(lexicon[name]), lexicon)

    return Language(
        lang,
        built,
        cue("negations"),
        cue("hedges"),
        cue("distancing"),
        cue("citation"),
        cue("clause_breaks"),
        cue("model_cues") if "model_cues" in lexicon else None,
        cue("model_vetoes") if "model_vetoes" in lexicon else None,
    )


def _finder(text: str) -> Any:
    return lambda loc, value: toml_line(text, loc, value)


def _lexicon_problems(
    path: Path, text: str, lexicon: dict[str, list[str]], specs: list[tuple[Loc, Any]]
) -> list[Problem]:
    problems = []
    for name in REQUIRED_LEXICON:
        if name not in lexicon:
            problems.append(
                Problem(path, f"lexicon list '{name}' is missing", f"add [lexicon] {name} = [...]")
            )
    for loc, spec in specs:
        for name in sorted(_references(spec) - set(lexicon)):
            problems.append(
                Problem(
                    path,
                    f"rule '{spec.id}' refers to {{{name}}}, which no lexicon list defines",
                    f"add `{name} = [...]` to the lexicon, or correct the name",
                    toml_line(text, loc),
                    ".".join(str(p) for p in loc),
                )
            )
    return problems


def _read(path: Path) -> tuple[dict[str, Any], str] | Problem:
    return read_toml(path)


@cache
def _shipped() -> tuple[dict[str, ClaimsFile], dict[str, Jurisdiction], tuple[Path, ...]]:
    folder = resources.files("acuprint") / "data" / "claims"
    problems: list[Problem] = []
    files: dict[str, ClaimsFile] = {}
    paths: list[Path] = []
    for lang in SHIPPED_LANGUAGES:
        path = Path(str(folder / f"{lang}.toml"))
        paths.append(path)
        parsed = _read(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        data, text = parsed
        result = validate(ClaimsFile, data, path, _finder(text))
        if isinstance(result, list):
            problems.extend(result)
            continue
        specs: list[tuple[Loc, Any]] = [(("rule", i), r) for i, r in enumerate(result.rule)]
        problems.extend(_lexicon_problems(path, text, result.lexicon, specs))
        problems.extend(_duplicate_ids(path, text, [r.id for r in result.rule]))
        files[lang] = result
    jpath = Path(str(folder / "jurisdictions.toml"))
    paths.append(jpath)
    jurisdictions: dict[str, Jurisdiction] = {}
    parsed = _read(jpath)
    if isinstance(parsed, Problem):
        problems.append(parsed)
    else:
        data, text = parsed
        for key, table in data.items():

            def finder(loc: Loc, value: str | None, key: str = key, text: str = text) -> int | None:
                return toml_line(text, (key, *loc), value)

            found = validate(Jurisdiction, table, jpath, finder)
            if isinstance(found, list):
                problems.extend(found)
            else:
                jurisdictions[key] = found
    if problems:
        raise InputError(problems)
    return files, jurisdictions, tuple(paths)


def _duplicate_ids(path: Path, text: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(
            path,
            f"rule id '{rule_id}' is used twice",
            "give each rule its own id",
            toml_line(text, ("rule", index, "id")),
            f"rule.{index}.id",
        )
        for index, rule_id in enumerate(ids)
        if rule_id in ids[:index]
    ]


def load_rulebook(project_root: Path | None = None) -> Rulebook:
    """The shipped rules plus the project's `claims.toml`, if any; raise InputError if invalid."""
    path = project_root / PROJECT_FILE if project_root is not None else None
    if path is None or not path.is_file():
        return _rulebook(None, 0.0)
    return _rulebook(path, path.stat().st_mtime)


@cache
def _rulebook(path: Path | None, mtime: float) -> Rulebook:
    files, shipped_jurisdictions, paths = _shipped()
    jurisdictions = dict(shipped_jurisdictions)
    lexicons = {lang: {k: list(v) for k, v in f.lexicon.items()} for lang, f in files.items()}
    per_lang: dict[str, list[tuple[RuleSpec, Path, list[Any]]]] = {
        lang: [(spec, paths[SHIPPED_LANGUAGES.index(lang)], []) for spec in f.rule]
        for lang, f in files.items()
    }
    if path is not None:
        project = _project_claims(path)
        jurisdictions.update(project.jurisdictions)
        for lang, lists in project.lexicon.items():
            target = lexicons.setdefault(lang, {k: list(v) for k, v in lexicons["en"].items()})
            for name, words in lists.items():
                target.setdefault(name, []).extend(words)
        for rule in project.rule:
            for lang in rule.languages:
                if lang not in per_lang:
                    lexicons.setdefault(lang, {k: list(v) for k, v in lexicons["en"].items()})
                    per_lang[lang] = []
                per_lang[lang].append((rule, path, []))
        for extension in project.extend:
            for lang in extension.languages:
                for spec, _, extra in per_lang.get(lang, []):
                    if spec.id == extension.id:
                        extra.append(extension)
    languages = {lang: _language(lang, lexicons[lang], rules) for lang, rules in per_lang.items()}
    book = Rulebook(languages, jurisdictions, (*paths, *([path] if path else [])))
    if path is not None:
        problems = _project_problems(path, book)
        if problems:
            raise InputError(problems)
    return book


def _project_claims(path: Path) -> ProjectClaims:
    parsed = _read(path)
    if isinstance(parsed, Problem):
        raise InputError([parsed])
    data, text = parsed
    result = validate(ProjectClaims, data, path, _finder(text))
    if isinstance(result, list):
        raise InputError(result)
    files, _, _ = _shipped()
    problems: list[Problem] = []
    names = {*files["en"].lexicon, *(n for lists in result.lexicon.values() for n in lists)}
    specs: list[tuple[Loc, Any]] = [(("rule", i), r) for i, r in enumerate(result.rule)]
    specs += [(("extend", i), e) for i, e in enumerate(result.extend)]
    for loc, spec in specs:
        for name in sorted(_references(spec) - names):
            problems.append(
                Problem(
                    path,
                    f"rule '{spec.id}' refers to {{{name}}}, which no lexicon list defines",
                    f"add `{name} = [...]` under [lexicon.<lang>], or correct the name",
                    toml_line(text, loc),
                    ".".join(str(p) for p in loc),
                )
            )
    # Words in these lists let a sentence pass (denials, hedges, sources, clause breaks,
    # a rule's `unless`): a project may only tighten the guard, so it may not add to them.
    loosening = (
        set(REQUIRED_LEXICON)
        | {"model_vetoes"}
        | {
            name
            for f in files.values()
            for r in f.rule
            for u in r.unless
            for name in PLACEHOLDER.findall(u)
        }
    )
    for lang, lists in result.lexicon.items():
        for name in sorted(set(lists) & loosening):
            problems.append(
                Problem(
                    path,
                    f"[lexicon.{lang}] {name}: words in '{name}' let claims pass, and a project "
                    "may only tighten the claims check",
                    "remove the list; to allow one sentence, add it to allowed_claims with a "
                    "reason where it is printed",
                    toml_line(text, ("lexicon", lang, name)),
                    f"lexicon.{lang}.{name}",
                )
            )
    for loc, spec in specs:
        for pattern in [*spec.patterns, *spec.lemma_patterns, *getattr(spec, "requires", [])]:
            if _nested_quantifier(pattern):
                problems.append(
                    Problem(
                        path,
                        f"rule '{spec.id}': pattern {pattern!r} repeats a repeated group, which "
                        "can take forever on some text",
                        "remove the outer or inner repetition, e.g. (a+)+ -> a+",
                        toml_line(text, loc),
                        ".".join(str(p) for p in loc),
                    )
                )
    shipped_ids = {r.id for f in files.values() for r in f.rule}
    for index, rule in enumerate(result.rule):
        if rule.id in shipped_ids:
            problems.append(
                Problem(
                    path,
                    f"rule id '{rule.id}' is a shipped rule; a project may not replace it",
                    "give the rule a new id, or add patterns with an [[extend]] block",
                    toml_line(text, ("rule", index, "id")),
                    f"rule.{index}.id",
                )
            )
    for index, extension in enumerate(result.extend):
        if extension.id not in shipped_ids:
            problems.append(
                Problem(
                    path,
                    f"[[extend]] names rule '{extension.id}', which is not a shipped rule",
                    "use the id of a rule in the shipped data/claims/<lang>.toml",
                    toml_line(text, ("extend", index, "id")),
                    f"extend.{index}.id",
                )
            )
    if problems:
        raise InputError(problems)
    return result


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*]|\{\d*,\})\)(?:[+*]|\{\d*,\d*\})")


def _nested_quantifier(pattern: str) -> bool:
    """A group repeating something repeated, e.g. (a+)+: catastrophic backtracking."""
    return _NESTED.search(pattern) is not None


def _project_problems(path: Path, book: Rulebook) -> list[Problem]:
    """Unknown jurisdictions, and project examples that the rules do not handle as promised."""
    text = path.read_text(encoding="utf-8-sig")
    data = _project_claims(path)
    problems: list[Problem] = []
    known = set(book.jurisdictions)
    for key, jurisdiction in data.jurisdictions.items():
        if jurisdiction.like is not None and jurisdiction.like not in known:
            problems.append(
                Problem(
                    path,
                    f"jurisdiction '{key}' is like '{jurisdiction.like}', which is not defined",
                    "use one of: " + ", ".join(sorted(known)),
                    toml_line(text, ("jurisdictions", key, "like")),
                    f"jurisdictions.{key}.like",
                )
            )
    blocks: list[tuple[str, int, Any]] = [("rule", i, r) for i, r in enumerate(data.rule)]
    blocks += [("extend", i, e) for i, e in enumerate(data.extend)]
    for kind, index, spec in blocks:
        for name in spec.jurisdictions:
            if name not in known:
                problems.append(
                    Problem(
                        path,
                        f"unknown jurisdiction '{name}'",
                        "use one of: " + ", ".join(sorted(known)) + ", or define it under "
                        "[jurisdictions.<id>]",
                        toml_line(text, (kind, index, "jurisdictions")),
                        f"{kind}.{index}.jurisdictions",
                    )
                )
        where = spec.examples.jurisdiction or (spec.jurisdictions or ["us"])[0]
        for lang in spec.languages:
            for sentence in spec.examples.flag:
                found = {m.rule.spec.id for m in match_claims(sentence, lang, where, book)}
                if spec.id not in found:
                    problems.append(
                        Problem(
                            path,
                            f"rule '{spec.id}' ({lang}) does not flag its own example {sentence!r}",
                            "correct the patterns or the example",
                            toml_line(text, (kind, index, "examples")),
                            f"{kind}.{index}.examples.flag",
                        )
                    )
            for sentence in spec.examples.ok:
                found = {m.rule.spec.id for m in match_claims(sentence, lang, where, book)}
                if spec.id in found:
                    problems.append(
                        Problem(
                            path,
                            f"rule '{spec.id}' ({lang}) flags its example {sentence!r}, "
                            "which should pass",
                            "add an `unless` pattern, or correct the example",
                            toml_line(text, (kind, index, "examples")),
                            f"{kind}.{index}.examples.ok",
                        )
                    )
    return problems
