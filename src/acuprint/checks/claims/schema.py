"""Claim rules as data: the schema of `data/claims/<lang>.toml` and of a project's `claims.toml`.

Compliance staff edit the rules, not Python. Each rule names its category, the
reason a regulator gives, a better wording, the jurisdictions it applies to,
its patterns (regular expressions that may use `{name}` to refer to a list in
the language's `[lexicon]`) and examples that must and must not be flagged.
A project may add rules, extend a shipped rule (more patterns, more
jurisdictions: only ever stricter), add words to a lexicon, or add a
jurisdiction that follows the rules of another.

This module holds the file schemas and the compiled form the matcher uses
(`Rule`, `Language`, `Rulebook`); `rulebook` reads, validates and compiles
the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from acuprint.inputs.schema import SLUG, LanguageTag, invalid

PROJECT_FILE = "claims.toml"
SHIPPED_LANGUAGES = ("en", "es", "zh-Hans")
Category = Literal[
    "absolute",
    "detox",
    "root-cause",
    "boosts",
    "instead-of-care",
    "proven",
    "no-risk",
    "conditions",
    "promising",
    "testimonial",
    "comparison",
    "mechanism",
    "endorsement",
    "qualification",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
# Lexicon lists the engine itself needs in every language.
REQUIRED_LEXICON = ("negations", "hedges", "distancing", "citation", "clause_breaks")
# Lexicon lists the statistical second opinion needs: a sentence must hold a claim cue
# (`model_cues`) and none of the acceptable patterns (`model_vetoes`: uncertainty,
# guidance quoted with its source, logistics, sensations, credentials, sourced risks).
MODEL_LEXICON = ("model_cues", "model_vetoes")
# `{name}` in a pattern: the lexicon list `name` (the rulebook expands it on load).
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _regex(value: str) -> str:
    try:
        re.compile(PLACEHOLDER.sub("x", value))
    except re.error as exc:
        raise invalid(
            value, f"a valid pattern ({exc.msg})", "check brackets and backslashes"
        ) from None
    return value


Pattern = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_regex)]
RuleId = Annotated[str, Field(pattern=SLUG)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    """Sentences the rule must flag and sentences it must leave alone; the tests run them."""

    flag: list[str] = Field(min_length=1, description="Sentences this rule must flag.")
    ok: list[str] = Field(default_factory=list, description="Sentences it must not flag.")
    jurisdiction: str | None = Field(
        default=None, description="Jurisdiction to run them under [default: the rule's first]."
    )


class RuleSpec(_Strict):
    """One kind of claim a handout must not make."""

    id: RuleId = Field(description="Short id, e.g. 'absolute'; findings say 'claims/<id>'.")
    category: Category = Field(description="The regulators' category the rule belongs to.")
    reason: Annotated[str, Field(min_length=10, max_length=400)] = Field(
        description="Why a regulator objects, in one plain sentence."
    )
    better: Annotated[str, Field(min_length=5, max_length=400)] = Field(
        description="A better wording to suggest instead."
    )
    jurisdictions: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Where the rule applies; empty means everywhere."
    )
    patterns: list[Pattern] = Field(
        default_factory=list, description="Regular expressions on the text (case-insensitive)."
    )
    lemma_patterns: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions on the dictionary forms of the words (Spanish), so "
        "'curar' finds cura, curamos, curará.",
    )
    requires: list[Pattern] = Field(
        default_factory=list, description="The sentence must also match one of these."
    )
    unless: list[Pattern] = Field(
        default_factory=list, description="A sentence that matches one of these is acceptable."
    )
    min_matches: Annotated[int, Field(ge=1, le=20)] = Field(
        default=1, description="Flag only when this many different phrases match (lists)."
    )
    scope: Literal["clause", "sentence"] = Field(
        default="clause",
        description="Where a negation before the phrase counts: its clause, or the whole "
        "sentence (for lists, whose commas are not clause breaks).",
    )
    negation_inside: bool = Field(
        default=True,
        description="A negation inside the phrase, after its first word, makes it a denial "
        "('results were not encouraging'); turn off where the pattern holds one itself.",
    )
    hedges_rescue: bool = Field(
        default=False,
        description="A hedge ('may', 'some people') makes the phrase acceptable. Never for "
        "absolute claims: 'may cure' is still a cure claim.",
    )
    citation_rescues: bool = Field(
        default=False, description="A named, dated source in the sentence makes it acceptable."
    )
    examples: Examples


class ClaimsFile(_Strict):
    """A shipped rules file, `data/claims/<lang>.toml`."""

    language: LanguageTag
    lexicon: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], list[Pattern]]
    rule: list[RuleSpec] = Field(min_length=1)


class Jurisdiction(_Strict):
    """A set of advertising rules, e.g. 'uk' (ASA/CAP) or 'us' (FTC)."""

    name: Annotated[str, Field(min_length=2, max_length=200)]
    like: str | None = Field(
        default=None, description="Apply every rule of this other jurisdiction too."
    )


class ProjectRule(RuleSpec):
    """A rule a project adds, in one or more languages."""

    languages: list[LanguageTag] = Field(min_length=1)


class RuleExtension(_Strict):
    """More patterns or jurisdictions for a shipped rule: a project may only tighten."""

    id: RuleId
    languages: list[LanguageTag] = Field(min_length=1)
    patterns: list[Pattern] = Field(default_factory=list)
    lemma_patterns: list[Pattern] = Field(default_factory=list)
    jurisdictions: list[Annotated[str, Field(pattern=SLUG)]] = Field(default_factory=list)
    examples: Examples


class ProjectClaims(_Strict):
    """A project's `claims.toml`: its own rules, extensions, lexicon words and jurisdictions."""

    jurisdictions: dict[Annotated[str, Field(pattern=SLUG)], Jurisdiction] = Field(
        default_factory=dict
    )
    lexicon: dict[LanguageTag, dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], list[Pattern]]] = (
        Field(default_factory=dict, description="Words to add to a language's lexicon lists.")
    )
    rule: list[ProjectRule] = Field(default_factory=list)
    extend: list[RuleExtension] = Field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """A rule ready to match: its spec, compiled, in one language."""

    spec: RuleSpec
    lang: str
    source: Path
    patterns: tuple[re.Pattern[str], ...]
    lemma_patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    jurisdictions: frozenset[str]

    @property
    def id(self) -> str:
        """The id findings show, e.g. 'claims/absolute'."""
        return f"claims/{self.spec.id}"


@dataclass(frozen=True)
class Language:
    """Everything the matcher needs for one language."""

    lang: str
    rules: tuple[Rule, ...]
    negation: re.Pattern[str]
    hedge: re.Pattern[str]
    distancing: re.Pattern[str]
    citation: re.Pattern[str]
    clause_break: re.Pattern[str]
    # The model's anchor and its vetoes (None: the model never speaks in this language).
    model_cue: re.Pattern[str] | None = None
    model_veto: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Rulebook:
    """Every language's rules and every known jurisdiction."""

    languages: dict[str, Language]
    jurisdictions: dict[str, Jurisdiction]
    files: tuple[Path, ...] = field(default=())

    def applies(self, rule: Rule, jurisdiction: str) -> bool:
        """Whether `rule` applies under `jurisdiction` (or the one it is like)."""
        if not rule.jurisdictions:
            return True
        seen = set()
        current: str | None = jurisdiction
        while current is not None and current not in seen:
            if current in rule.jurisdictions:
                return True
            seen.add(current)
            known = self.jurisdictions.get(current)
            current = known.like if known else None
        return False

    def language(self, lang: str) -> Language:
        """The rules of `lang`; KeyError for a language without rules (never English instead)."""
        return self.languages[lang]
