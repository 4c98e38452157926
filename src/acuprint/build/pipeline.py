"""Build handouts: validate everything, plan, skip what is up to date, render, write.

Nothing is rendered or written unless every input file is valid. Each
output is written whole (atomically) as soon as it renders; one failing
output does not stop the others, and the manifest always matches the files
on disk.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from acuprint.build.depfiles import Fingerprinter
from acuprint.build.executor import Limits, execute
from acuprint.build.manifest import (
    MANIFEST,
    ManifestEntry,
    lock_out_folder,
    read_manifest,
    remove_partial_files,
    sha256,
    write_atomic,
    write_manifest,
)
from acuprint.build.plan import FORMATS, Format, Job, plan_jobs, select_shard
from acuprint.build.proofs import proof_paths, write_contact_sheet
from acuprint.compose.handout import compose_handout
from acuprint.errors import InputError, LintFailed, OutputError, Problem, UsageError
from acuprint.inputs.project import Project, load_project
from acuprint.inputs.schema import PrintProfile
from acuprint.render.job import JobResult


class BuildObserver(Protocol):
    """Told about a build's progress (the CLI shows it; tests may record it)."""

    def planned(self, todo: int, skipped: int) -> None:
        """The plan is known: how many outputs will render, how many are up to date."""

    def finished(self, result: JobResult, status: str) -> None:
        """One output is done; status is 'built' or 'failed'."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    out_dir: Path
    built: tuple[ManifestEntry, ...]
    skipped: tuple[ManifestEntry, ...]
    failures: tuple[str, ...]
    warnings: tuple[str, ...]
    manifest: Path
    seconds: float

    @property
    def entries(self) -> tuple[ManifestEntry, ...]:
        """Every output this build is responsible for (built or already up to date)."""
        return tuple(sorted((*self.built, *self.skipped), key=lambda e: e.path))


def build(
    root: Path,
    out_dir: Path | None = None,
    *,
    clinics: Sequence[str] = (),
    handouts: Sequence[str] = (),
    formats: Sequence[Format] = FORMATS,
    strict: bool = False,
    workers: int | None = None,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    profile: PrintProfile | None = None,
    forms: bool = False,
    limits: Limits | None = None,
    observer: BuildObserver | None = None,
    lint_as_of: date | None = None,
) -> BuildReport:
    """Build the selected outputs into `out_dir` (default: <root>/out).

    Under `strict`, the content lint runs first and any finding stops the build.
    """
    started = time.perf_counter()
    project = load_project(root)
    if strict:
        from acuprint.checks.lint import lint_project

        linted = lint_project(project, lint_as_of or date.today())
        if linted.failed(strict=True):
            raise LintFailed(linted)
    out_dir = (out_dir or project.root / "out").resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            f"the out folder {out_dir} is a file\n    fix: pass --out with a folder path"
        )
    jobs = plan_jobs(project, clinics, handouts, formats, profile, forms)
    if shard is not None:
        jobs = select_shard(jobs, *shard)
    everything = not clinics and not handouts and shard is None and set(formats) == set(FORMATS)

    fingerprints = Fingerprinter(project)
    previous = {entry.path: entry for entry in read_manifest(out_dir)}
    todo: dict[Job, str] = {}
    skipped: list[ManifestEntry] = []
    for job in jobs:
        inputs = fingerprints.job(job, proofs=(limits or Limits()).proofs)
        entry = previous.get(job.path)
        if not force and entry is not None and _up_to_date(entry, inputs, out_dir):
            skipped.append(entry)
        else:
            todo[job] = inputs
    problems = check_glyphs(project, todo)
    if problems:
        raise InputError(problems)
    if observer:
        observer.planned(len(todo), len(skipped))

    planned = {job.path for job in jobs}
    rebuilding = {job.path for job in todo}

    def keep(entry: ManifestEntry) -> bool:
        # Entries of outputs about to be replaced leave the manifest before their
        # files change, so a build killed at any moment leaves a manifest whose
        # every entry matches its file. A full build also drops unplanned outputs.
        return entry.path not in rebuilding and (entry.path in planned or not everything)

    built: list[ManifestEntry] = []
    restored: list[ManifestEntry] = []  # failed outputs whose previous file stays valid
    failures: list[str] = []
    warnings: list[str] = []
    manifest = out_dir / MANIFEST
    unplanned = everything and any(path not in planned for path in previous)
    if not todo and not unplanned:  # nothing to render or drop: touch nothing
        return _report(out_dir, built, skipped, failures, warnings, manifest, started)
    with lock_out_folder(out_dir):
        remove_partial_files(out_dir)
        _make_folders(out_dir, {job.clinic for job in todo})
        if manifest.exists():
            write_manifest(out_dir, [], keep)
        saved = time.monotonic()
        for result in execute(project, list(todo), workers or os.cpu_count() or 1, limits):
            job = result.job
            failed = [f"{job.path}: {result.error}"] if result.error else []
            if strict and not failed:
                failed = [f"{job.path}: warning (strict mode): {w}" for w in result.warnings]
            if failed or result.data is None:
                failures.extend(failed)
                if job.path in previous:  # its old file was not touched: keep it listed
                    restored.append(previous[job.path])
                if observer:
                    observer.finished(result, "failed")
                continue
            try:
                write_atomic(out_dir / job.path, result.data)
                _write_proofs(out_dir, job.path, result.proofs)
            except OSError as exc:
                write_manifest(out_dir, [*built, *restored], keep)  # true to what is on disk
                raise OutputError(f"cannot write {out_dir / job.path}: {exc.strerror}") from exc
            built.append(_entry(job, result, todo[job]))
            warnings.extend(f"{job.path}: {w}" for w in result.warnings)
            if observer:
                observer.finished(result, "built")
            if time.monotonic() - saved > 1.0:  # a killed build loses at most a second's work
                write_manifest(out_dir, [*built, *restored], keep)
                saved = time.monotonic()
        if built or restored or manifest.exists():
            write_manifest(out_dir, [*built, *restored], keep)
            write_contact_sheet(out_dir, read_manifest(out_dir))
    return _report(out_dir, built, skipped, failures, warnings, manifest, started)


def _report(
    out_dir: Path,
    built: list[ManifestEntry],
    skipped: list[ManifestEntry],
    failures: list[str],
    warnings: list[str],
    manifest: Path,
    started: float,
) -> BuildReport:
    return BuildReport(
        out_dir,
        tuple(sorted(built, key=lambda e: e.path)),
        tuple(skipped),
        tuple(sorted(failures)),
        tuple(sorted(warnings)),
        manifest,
        time.perf_counter() - started,
    )


def check_glyphs(project: Project, jobs: Iterable[Job]) -> list[Problem]:
    """Every character the planned handouts need and their fonts lack (deduplicated)."""
    from acuprint.checks.glyphs import missing_glyphs

    problems: dict[tuple[object, ...], Problem] = {}
    for clinic, handout, lang in dict.fromkeys((j.clinic, j.handout, j.lang) for j in jobs):
        composed = compose_handout(
            project, project.clinics[clinic], project.handouts[handout], lang
        )
        for problem in missing_glyphs(project, composed):
            problems.setdefault((problem.file, problem.message), problem)
    return sorted(problems.values(), key=lambda p: (str(p.file), p.line or 0))


def _write_proofs(out_dir: Path, pdf_path: str, pngs: tuple[bytes, ...]) -> None:
    """Write a PDF's page proofs; remove its proofs of pages it no longer has (or all)."""
    wanted = proof_paths(pdf_path, len(pngs))
    for path, png in zip(wanted, pngs, strict=True):
        write_atomic(out_dir / path, png)
    stem = Path(proof_paths(pdf_path, 1)[0]).name.rsplit("-p", 1)[0]
    folder = (out_dir / proof_paths(pdf_path, 1)[0]).parent
    own = re.compile(rf"^{re.escape(stem)}-p\d+\.png$")  # not another output's proofs
    for old in folder.glob(f"{stem}-p*.png") if folder.is_dir() else []:
        if own.match(old.name) and old.relative_to(out_dir).as_posix() not in wanted:
            old.unlink(missing_ok=True)


def _make_folders(out_dir: Path, clinics: Iterable[str]) -> None:
    """Create every folder the build writes to before rendering anything."""
    for clinic in sorted(clinics):
        folder = out_dir / clinic
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"cannot create the folder {folder}: {exc.strerror}\n"
                "    fix: remove the file in the way, or pass --out with another folder"
            ) from None


def _up_to_date(entry: ManifestEntry, inputs: str, out_dir: Path) -> bool:
    if entry.inputs != inputs:
        return False
    try:
        return (out_dir / entry.path).stat().st_size == entry.bytes
    except OSError:
        return False


def _entry(job: Job, result: JobResult, inputs: str) -> ManifestEntry:
    data = result.data or b""
    return ManifestEntry(
        clinic=job.clinic,
        handout=job.handout,
        lang=job.lang,
        format=job.format,
        path=job.path,
        sha256=sha256(data),
        bytes=len(data),
        pages=result.pages,
        profile=job.profile,
        inputs=inputs,
    )
