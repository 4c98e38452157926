"""Check what the planned handouts print, before anything renders: glyphs, regional
wording, claims (trusted from the cache for drafts), sign-off, and under strict the lint."""

from __future__ import annotations

from acuprint.build.claims_cache import clean_key, known_clean, remember_clean
from acuprint.build.settings import BuildSettings
from acuprint.compose.handout import ComposedHandout, compose_handout
from acuprint.errors import InputError, LintFailed, Problem
from acuprint.inputs.environment import lint_date
from acuprint.inputs.project import Project
from acuprint.jobs import Job


def check_content(
    project: Project, jobs: list[Job], settings: BuildSettings
) -> dict[tuple[str, str, str], ComposedHandout]:
    """Compose each planned handout once and check what it prints, before anything renders.

    Every character must have a glyph in the clinic's fonts, no text a
    patient will read may make a claim the regulators reject (every build,
    not only strict ones), and a handout may print only its clinic's region's
    wording (no 999 in a US handout, no 911 in a UK one: handouts/regions.toml).
    Under strict, the content lint runs too, and any finding stops the build.
    A text or link colour too light to read stops the build like any input error.
    Each handout is judged approved or a draft (checks/signoff.py); a release
    stops on any unit without an approval in force, listing each.
    """
    from acuprint.checks.claims import claim_problems
    from acuprint.checks.glyphs import missing_glyphs
    from acuprint.checks.regions import region_problems
    from acuprint.checks.signoff import pending_units, release_refusal, with_signoff

    as_of = lint_date(settings.lint_as_of)
    composed = {
        key: with_signoff(
            project,
            compose_handout(project, project.clinics[key[0]], project.handouts[key[1]], key[2]),
            as_of,
        )
        for key in dict.fromkeys((j.clinic, j.handout, j.lang) for j in jobs)
    }
    from acuprint.checks.contrast import unreadable_colours

    problems: dict[tuple[object, ...], Problem] = {}
    for problem in unreadable_colours(project, {j.clinic for j in jobs}):
        problems.setdefault((problem.file, problem.key), problem)
    for handout in composed.values():
        for problem in [*missing_glyphs(project, handout), *region_problems(project, handout)]:
            problems.setdefault((problem.file, problem.message), problem)
    clinics, langs = {j.clinic for j in jobs}, {j.lang for j in jobs}
    if jobs:
        # A draft may trust a check of the very same files that found nothing; a
        # release or strict build checks every word again.
        key = clean_key(project.root, clinics, langs)
        trusted = not (settings.release or settings.strict) and known_clean(project.root, key)
        found = [] if trusted else claim_problems(project, clinics, langs)
        for problem in found:
            problems.setdefault((problem.file, problem.line, problem.message), problem)
        if not found and not trusted:
            remember_clean(project.root, key)
    if problems:
        raise InputError(sorted(problems.values(), key=lambda p: (str(p.file), p.line or 0)))
    if settings.release:
        drafts = [c for c in composed.values() if c.signoff is None or not c.signoff.approved]
        if drafts:
            raise release_refusal(project, pending_units(project, drafts, as_of))
    if settings.strict:
        from acuprint.checks.scope import lint_printed

        linted = lint_printed(project, composed, lint_date(settings.lint_as_of))
        if linted.failed(strict=True):
            raise LintFailed(linted)
    return composed
