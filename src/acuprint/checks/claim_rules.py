"""Claim rules as data: kept as a module so `acuprint.checks.claim_rules` imports still work.

The rules now live in the `acuprint.checks.claims` package: the file schema in
`claims.schema`, loading and validation in `claims.rulebook`.
"""

from __future__ import annotations

from acuprint.checks.claims.rulebook import load_rulebook as load_rulebook
from acuprint.checks.claims.schema import CATEGORIES as CATEGORIES
from acuprint.checks.claims.schema import PROJECT_FILE as PROJECT_FILE
from acuprint.checks.claims.schema import REQUIRED_LEXICON as REQUIRED_LEXICON
from acuprint.checks.claims.schema import SHIPPED_LANGUAGES as SHIPPED_LANGUAGES
from acuprint.checks.claims.schema import Category as Category
from acuprint.checks.claims.schema import ClaimsFile as ClaimsFile
from acuprint.checks.claims.schema import Examples as Examples
from acuprint.checks.claims.schema import Jurisdiction as Jurisdiction
from acuprint.checks.claims.schema import Language as Language
from acuprint.checks.claims.schema import Pattern as Pattern
from acuprint.checks.claims.schema import ProjectClaims as ProjectClaims
from acuprint.checks.claims.schema import ProjectRule as ProjectRule
from acuprint.checks.claims.schema import Rule as Rule
from acuprint.checks.claims.schema import Rulebook as Rulebook
from acuprint.checks.claims.schema import RuleExtension as RuleExtension
from acuprint.checks.claims.schema import RuleId as RuleId
from acuprint.checks.claims.schema import RuleSpec as RuleSpec
