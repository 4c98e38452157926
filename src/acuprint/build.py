"""Build handouts: load and validate, plan, render everything, then write.

Gather first, write second: nothing is written to the out folder unless
every requested output rendered (and, under strict mode, without a single
warning), so a failed build never leaves a half-updated out folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from .compose import ComposedHandout, compose_handout
from .errors import BuildError, OutputError, UsageError
from .output import ManifestEntry, sha256, write_atomic, write_manifest
from .plan import FORMATS, Format, Job, plan_jobs
from .project import Project, load_project
from .render_html import render_html


@dataclass(frozen=True)
class Rendered:
    """One output in memory, not yet written."""

    job: Job
    data: bytes
    pages: int | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    out_dir: Path
    entries: tuple[ManifestEntry, ...]
    manifest: Path
    warnings: tuple[str, ...]


def build(
    root: Path,
    out_dir: Path | None = None,
    *,
    clinics: Sequence[str] = (),
    handouts: Sequence[str] = (),
    formats: Sequence[Format] = FORMATS,
    strict: bool = False,
    on_output: Callable[[Rendered], None] | None = None,
) -> BuildReport:
    """Build the selected outputs into `out_dir` (default: <root>/out)."""
    project = load_project(root)
    out_dir = (out_dir or project.root / "out").resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            f"the out folder {out_dir} is a file\n    fix: pass --out with a folder path"
        )
    jobs = plan_jobs(project, clinics, handouts, formats)

    rendered: list[Rendered] = []
    failures: list[str] = []
    for (clinic_id, handout_id, lang), group in groupby(
        jobs, key=lambda job: (job.clinic, job.handout, job.lang)
    ):
        composed = compose_handout(
            project, project.clinics[clinic_id], project.handouts[handout_id], lang
        )
        for job in group:
            try:
                result = _render(project, composed, job)
            except Exception as exc:  # one output failing must not hide the others
                failures.append(f"{job.path}: {type(exc).__name__}: {exc}")
                continue
            rendered.append(result)
            if on_output:
                on_output(result)

    warnings = tuple(f"{r.job.path}: {w}" for r in rendered for w in r.warnings)
    if strict and warnings:
        failures.extend(f"warning (strict mode): {w}" for w in warnings)
    if failures:
        raise BuildError(failures)

    entries: list[ManifestEntry] = []
    for item in rendered:
        try:
            write_atomic(out_dir / item.job.path, item.data)
        except OSError as exc:
            # Keep the manifest true to what is on disk before giving up.
            if entries:
                write_manifest(out_dir, entries)
            raise OutputError(f"cannot write {out_dir / item.job.path}: {exc.strerror}") from exc
        job = item.job
        entries.append(
            ManifestEntry(
                job.clinic,
                job.handout,
                job.lang,
                job.format,
                job.path,
                sha256(item.data),
                len(item.data),
                item.pages,
            )
        )
    manifest = write_manifest(out_dir, entries)
    return BuildReport(out_dir, tuple(entries), manifest, warnings)


def _render(project: Project, composed: ComposedHandout, job: Job) -> Rendered:
    if job.format == "html":
        document = render_html(project, composed, standalone=True)
        return Rendered(job, document.html.encode("utf-8"), None, ())
    from .render_pdf import render_pdf  # WeasyPrint loads only when a PDF is rendered

    pdf = render_pdf(render_html(project, composed, standalone=False))
    return Rendered(job, pdf.data, pdf.pages, pdf.warnings)
