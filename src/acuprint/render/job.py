"""The one function that renders an output: compose, HTML, PDF, preflight, proofs.

The pool, the serial path and the preview all call `render_job`; it never
raises for a failed render but returns the error as a value.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import replace

from acuprint.checks.layout import check_layout, page_budget
from acuprint.checks.markup import markup_leftovers
from acuprint.checks.preflight import preflight
from acuprint.compose.handout import ComposedHandout, compose_handout
from acuprint.inputs.project import RED_FLAGS_ID, Project
from acuprint.inputs.reads import read_bytes, record, record_digest, recording
from acuprint.inputs.schema import Recipe
from acuprint.jobs import Job, JobResult, depfile_key
from acuprint.render.html import render_html
from acuprint.render.press_colour import PressColourError
from acuprint.render.sandbox import BlockedFetch


def render_job(
    project: Project,
    job: Job,
    proofs: bool = True,
    composed: ComposedHandout | None = None,
    appointment: str = "",
) -> JobResult:
    """Compose and render one output; never raises for a failed render.

    The result carries the depfile: every file the render read, with the
    hash of what it read, as paths relative to the project (see `depfile_key`).
    `appointment` fills the next-appointment box of a PDF (a one-off print).
    """
    with recording() as reads:
        result = _render(project, job, proofs, composed, appointment)
    depfile = {depfile_key(path, project.root): sha for path, sha in sorted(reads.items())}
    return replace(result, reads=depfile)


def _render(
    project: Project, job: Job, proofs: bool, composed: ComposedHandout | None, appointment: str
) -> JobResult:
    started = time.perf_counter()
    pngs: tuple[bytes, ...] = ()
    try:
        if composed is None:
            composed = compose_handout(
                project, project.clinics[job.clinic], project.handouts[job.handout], job.lang
            )
        if composed.signoff is None:  # the build judges it; the preview judges it here
            from acuprint.checks.signoff import with_signoff
            from acuprint.inputs.environment import lint_date

            composed = with_signoff(project, composed, lint_date(None))
        for path, sha in composed.read:
            record_digest(path, sha)
        # Approved or a draft is decided by these files: approving a unit rebuilds.
        for path, maybe in composed.signoff.files if composed.signoff else ():
            record(path, None) if maybe is None else record_digest(path, maybe)
        if job.format == "html":
            document = render_html(project, composed, standalone=True)
            _no_markup(document.html)
            data, pages, warnings = document.html.encode("utf-8"), None, tuple[str, ...]()
        else:
            from acuprint.render.pdf import (
                render_pdf,  # WeasyPrint loads only when a PDF is rendered
            )

            document = render_html(
                project,
                composed,
                standalone=False,
                print_profile=job.profile,
                variant=job.variant,
                forms=job.forms,
                appointment=appointment,
            )
            _no_markup(document.html)
            pdf = render_pdf(document, job.profile, forms=job.forms)
            data, pages, warnings = pdf.data, pdf.pages, pdf.warnings
            if job.profile == "press":  # CMYK throughout, crop marks, the ICC profile as committed
                from acuprint.render.cmyk import ICC_PROFILE
                from acuprint.render.press import finish_press_pdf

                icc = project.styles_dir / ICC_PROFILE
                read_bytes(icc)  # the output profile is part of the depfile
                data = finish_press_pdf(data, icc)
            recipe = composed.handout.recipe
            limit = _page_limit(recipe, job.variant)
            limit_reason = (
                "a tri-fold has 2 sides: the recipe has too much content for one"
                if job.variant == "tri-fold"
                else None
            )
            checked = preflight(
                data,
                job.path,
                profile=job.profile,
                paper=composed.clinic.profile.paper,
                max_pages=limit,
                page_limit_reason=limit_reason,
            )
            failed = [f"{c.name}: {c.detail}" for c in checked.failures]
            if pdf.layout is not None:
                if limit is not None and pages > limit:
                    name = job.path.rsplit("/", 1)[-1]
                    failed = [f for f in failed if not f.startswith("page count")]
                    failed.insert(
                        0,
                        f"page budget: {name} has {pages} pages; "
                        + (limit_reason or f"the recipe allows {limit}")
                        + ": "
                        + page_budget(pdf.layout, limit),
                    )
                failed += [
                    f"{f.rule}: {f.detail}"
                    for f in check_layout(
                        pdf.layout,
                        red_flags=RED_FLAGS_ID if recipe.about_pain else None,
                        line_length=recipe.layout == "sheet" and not job.variant,
                    )
                ]
            if failed:
                raise PreflightFailed(f"preflight failed: {'; '.join(failed)}")
            warnings = (*warnings, *(f"preflight: {c.name}: {c.detail}" for c in checked.warnings))
            if proofs:
                from acuprint.render.proofs import render_proofs

                pngs = tuple(render_proofs(data))
    except MemoryError:
        raise  # the worker reports it with the limit
    except Exception as exc:  # one output failing must not hide the others
        if isinstance(exc, PreflightFailed | BlockedFetch | PressColourError):
            error = str(exc)  # already a plain message
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            place = f"{where.filename.rsplit('/', 1)[-1]}:{where.lineno}"
            error = f"{type(exc).__name__}: {exc} (in {place})"
        return JobResult(job, None, error=error, seconds=time.perf_counter() - started)
    return JobResult(job, data, pages, warnings, seconds=time.perf_counter() - started, proofs=pngs)


class PreflightFailed(Exception):
    """A rendered PDF failed a preflight check."""


def _no_markup(html: str) -> None:
    """Fail the output if Markdown syntax (`**`, `__`, `[[`...) would print as text."""
    leftovers = markup_leftovers(html)
    if leftovers:
        raise PreflightFailed(
            "markup in printed text: "
            + "; ".join(leftovers[:5])
            + (f" (and {len(leftovers) - 5} more)" if len(leftovers) > 5 else "")
            + ": fix the emphasis or the [[term]] in the module"
        )


def _page_limit(recipe: Recipe, variant: str) -> int | None:
    # A tri-fold is one sheet, two sides: more pages means the content does not
    # fit. Large print takes about twice the pages of the recipe's limit,
    # unless the recipe gives large print a budget of its own.
    if variant == "tri-fold":
        return 2
    if variant == "large-print" and recipe.large_print_max_pages is not None:
        return recipe.large_print_max_pages
    if recipe.max_pages is None:
        return None
    return recipe.max_pages * 2 if variant == "large-print" else recipe.max_pages
