"""Health claims a handout must not make: find them in any text a patient will read.

The rules are data (`data/claims/<lang>.toml`); the package is split by what
each part owns:

- `schema`: the rule files' schema and the compiled `Rule`, `Language`, `Rulebook`;
- `rulebook`: reading, validating and compiling the shipped rules and a project's `claims.toml`;
- `matcher`: sentences, clauses, negations, hedges: which phrases the rules flag;
- `project`: everything a set of clinics prints, and the phrases they allow;
- `corpus`: the labelled corpus that measures the rules (`lint --report`).

`find_claims` checks any text, such as a draft web page; `claim_problems`
checks everything a set of clinics prints under each clinic's jurisdiction.
"""

from __future__ import annotations

from acuprint.checks.claims.corpus import CorpusScore as CorpusScore
from acuprint.checks.claims.corpus import corpus_misses as corpus_misses
from acuprint.checks.claims.corpus import corpus_scores as corpus_scores
from acuprint.checks.claims.corpus_files import corpus_path as corpus_path
from acuprint.checks.claims.corpus_files import read_corpus as read_corpus
from acuprint.checks.claims.matcher import ClaimMatch as ClaimMatch
from acuprint.checks.claims.matcher import claim_message as claim_message
from acuprint.checks.claims.matcher import match_claims
from acuprint.checks.claims.project import Allowance as Allowance
from acuprint.checks.claims.project import ClaimChecker as ClaimChecker
from acuprint.checks.claims.project import ProjectClaim as ProjectClaim
from acuprint.checks.claims.project import claim_allowances as claim_allowances
from acuprint.checks.claims.project import claim_problems as claim_problems
from acuprint.checks.claims.project import iter_project_claims as iter_project_claims
from acuprint.checks.claims.project import module_claims as module_claims
from acuprint.checks.claims.rulebook import load_rulebook as load_rulebook
from acuprint.checks.claims.schema import CATEGORIES as CATEGORIES
from acuprint.checks.claims.schema import SHIPPED_LANGUAGES as SHIPPED_LANGUAGES
from acuprint.checks.claims.schema import Language as Language
from acuprint.checks.claims.schema import Rule as Rule
from acuprint.checks.claims.schema import Rulebook as Rulebook
from acuprint.errors import InputError as InputError


def find_claims(
    text: str, lang: str, jurisdiction: str, rulebook: Rulebook | None = None
) -> list[ClaimMatch]:
    """Every claim in `text` (in `lang`) that the rules of `jurisdiction` do not allow."""
    return match_claims(text, lang, jurisdiction, rulebook or load_rulebook())
