"""The one function that renders an output: compose, HTML, PDF, preflight, proofs.

The pool, the serial path and the preview all call `render_job`; it never
raises for a failed render but returns the error as a value.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

from acuprint.build.plan import Job
from acuprint.checks.preflight import preflight
from acuprint.compose.handout import compose_handout
from acuprint.inputs.project import Project
from acuprint.render.html import render_html
from acuprint.render.press import PressColourError
from acuprint.render.sandbox import BlockedFetch


@dataclass(frozen=True)
class JobResult:
    """What one job produced: the bytes, or the error that stopped it."""

    job: Job
    data: bytes | None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    proofs: tuple[bytes, ...] = ()  # a PNG per page of a PDF


def render_job(project: Project, job: Job, proofs: bool = True) -> JobResult:
    """Compose and render one output; never raises for a failed render."""
    started = time.perf_counter()
    pngs: tuple[bytes, ...] = ()
    try:
        composed = compose_handout(
            project, project.clinics[job.clinic], project.handouts[job.handout], job.lang
        )
        if job.format == "html":
            document = render_html(project, composed, standalone=True)
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
            )
            pdf = render_pdf(document, job.profile, forms=job.forms)
            data, pages, warnings = pdf.data, pdf.pages, pdf.warnings
            if job.profile == "press":  # CMYK throughout, crop marks, the ICC profile as committed
                from acuprint.render.cmyk import ICC_PROFILE
                from acuprint.render.press import finish_press_pdf

                data = finish_press_pdf(data, project.styles_dir / ICC_PROFILE)
            checked = preflight(
                data,
                job.path,
                profile=job.profile,
                paper=composed.clinic.profile.paper,
                max_pages=_page_limit(composed.handout.recipe.max_pages, job.variant),
                page_limit_reason=(
                    "a tri-fold has 2 sides: the recipe has too much content for one"
                    if job.variant == "tri-fold"
                    else None
                ),
            )
            if not checked.ok:
                failed = "; ".join(f"{c.name}: {c.detail}" for c in checked.failures)
                raise PreflightFailed(f"preflight failed: {failed}")
            warnings = (*warnings, *(f"preflight: {c.name}: {c.detail}" for c in checked.warnings))
            if proofs:
                from acuprint.build.proofs import render_proofs

                pngs = tuple(render_proofs(data))
    except MemoryError:
        raise  # reported with the limit by render_limited
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


def _page_limit(max_pages: int | None, variant: str) -> int | None:
    # A tri-fold is one sheet, two sides: more pages means the content does not
    # fit. Large print takes about twice the pages of the recipe's limit.
    if variant == "tri-fold":
        return 2
    if max_pages is None:
        return None
    return max_pages * 2 if variant == "large-print" else max_pages
