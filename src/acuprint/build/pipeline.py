"""Build handouts: load and check everything, plan, skip what is up to date, render, write.

`build()` is a short list of named steps. Nothing is rendered or written
unless every input is valid. Each output is written whole (atomically) as
soon as it renders; one failing render does not stop the others, but a
write error or an interrupt stops the build at once, and the manifest
always matches the files on disk.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from acuprint.atomic import LinkInTheWay, link_on_the_way, write_inside
from acuprint.build.content import check_content as check_content
from acuprint.build.depfiles import FileHashes, job_key
from acuprint.build.executor import execute
from acuprint.build.manifest import (
    MANIFEST,
    ManifestEntry,
    lock_out_folder,
    read_failed,
    read_manifest,
    remove_partial_files,
    sha256,
    write_manifest,
)
from acuprint.build.out_folder import out_folder
from acuprint.build.plan import plan_jobs, select_shard
from acuprint.build.proofs import proof_paths, write_contact_sheet
from acuprint.build.report import BuildObserver as BuildObserver
from acuprint.build.report import BuildReport as BuildReport
from acuprint.build.settings import BuildSettings
from acuprint.build.stamp import Snapshot, forget_stamp, take_snapshot, unchanged_build, write_stamp
from acuprint.build.supervisor import Limits, load_limited
from acuprint.compose.handout import ComposedHandout
from acuprint.errors import BuildLocked, OutputError, UsageError
from acuprint.inputs.environment import source_date_epoch
from acuprint.inputs.project import Project
from acuprint.jobs import Job, JobResult


@dataclass
class _Outcome:
    """What the write step did, as it goes (so a stop midway is still reported)."""

    built: list[ManifestEntry] = field(default_factory=list)
    restored: list[ManifestEntry] = field(default_factory=list)  # kept listed as they are
    failures: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # path -> why; its old file removed
    warnings: list[str] = field(default_factory=list)


def build(
    root: Path, settings: BuildSettings | None = None, observer: BuildObserver | None = None
) -> BuildReport:
    """Build the outputs `settings` select into the out folder (default: <root>/out)."""
    settings = settings or BuildSettings()
    started = time.perf_counter()
    unchanged = unchanged_build(root, settings)
    if unchanged is not None:
        if observer:
            observer.planned(0, len(unchanged.skipped))
        return unchanged
    snapshot = take_snapshot(root, settings)  # before anything is read
    project = load_limited(root, _loading_limits(settings.limits))
    out_dir = out_folder(project, settings)
    jobs = select_jobs(project, settings)
    composed = check_content(project, jobs, settings)
    todo, skipped = split_up_to_date(project, jobs, out_dir, settings, composed)
    for folder in _folders(todo, settings.proofs):  # before anything is written
        _check_folder(out_dir, folder)
    if observer:
        observer.planned(len(todo), len(skipped))
    outcome = _Outcome()
    previous = {entry.path: entry for entry in read_manifest(out_dir)}
    dropping = _drops_unplanned(settings) and any(p not in {j.path for j in jobs} for p in previous)
    if todo or dropping:
        with lock_out_folder(out_dir) as stale:
            if stale:
                outcome.warnings.append(f"a build ({stale}) stopped before it finished; resumed")
            keep = _keeper(jobs, todo, settings)
            try:
                forget_stamp(out_dir)
                clinics = {*project.clinics, *(entry.clinic for entry in previous.values())}
                remove_partial_files(out_dir, clinics)
                if (out_dir / MANIFEST).exists():
                    write_manifest(out_dir, [], keep)  # outputs about to change leave it first
            except OSError as exc:
                raise OutputError(f"cannot write in {out_dir}: {exc.strerror}") from None
            try:
                write_outputs(
                    project, todo, composed, out_dir, settings, observer, outcome, previous
                )
            finally:
                _finish(out_dir, outcome, previous, keep, settings.proofs)
    if snapshot and jobs and not outcome.failures:
        _stamp(out_dir, snapshot, [*outcome.built, *skipped])
    return BuildReport(
        out_dir,
        tuple(sorted(outcome.built, key=lambda e: e.path)),
        tuple(skipped),
        tuple(sorted(outcome.failures)),
        tuple(sorted(outcome.warnings)),
        out_dir / MANIFEST,
        time.perf_counter() - started,
    )


def _stamp(out_dir: Path, snapshot: Snapshot, entries: list[ManifestEntry]) -> None:
    """Leave the stamp that lets the next build see at once that nothing changed."""
    try:
        with lock_out_folder(out_dir):
            write_stamp(out_dir, snapshot, [e.path for e in entries], [e.inputs for e in entries])
    except (OSError, ValueError, BuildLocked, OutputError):
        pass  # no stamp: the next build takes the full path, which is always right


def _loading_limits(limits: Limits) -> Limits:
    """Reading the project gets at least two minutes: --timeout is per output, not for this."""
    seconds = 0.0 if limits.seconds <= 0 else max(limits.seconds, 120.0)
    return Limits(seconds, limits.memory_mb)


def select_jobs(project: Project, settings: BuildSettings) -> list[Job]:
    """The outputs the settings ask for (every clinic x handout x language x format by default)."""
    jobs = plan_jobs(
        project,
        settings.clinics,
        settings.handouts,
        settings.formats,
        settings.profile,
        settings.forms,
        settings.langs,
        settings.variants,
    )
    return select_shard(jobs, *settings.shard) if settings.shard else jobs


def split_up_to_date(
    project: Project,
    jobs: list[Job],
    out_dir: Path,
    settings: BuildSettings,
    composed: dict[tuple[str, str, str], ComposedHandout] | None = None,
) -> tuple[list[Job], list[ManifestEntry]]:
    """(outputs to render, manifest entries of outputs that are up to date).

    An approval that lapses changes no file; an output whose sign-off summary
    (approved or draft, by whom, until when) changed is rendered again.
    """
    previous = {entry.path: entry for entry in read_manifest(out_dir)}
    files = FileHashes(project.root)
    epoch = source_date_epoch()
    todo: list[Job] = []
    skipped: list[ManifestEntry] = []
    for job in jobs:
        entry = previous.get(job.path)
        current = (
            entry is not None
            and not settings.force
            and entry.key == job_key(job, proofs=settings.proofs, source_date_epoch=epoch)
            and files.unchanged(entry.inputs)
            and (not settings.proofs or _proofs_present(out_dir, entry))
            and (composed is None or entry.signoff == _signoff_json(composed, job))
        )
        if current and entry is not None:
            skipped.append(entry)
        else:
            todo.append(job)
    return todo, skipped


def _signoff_json(
    composed: dict[tuple[str, str, str], ComposedHandout], job: Job
) -> dict[str, object] | None:
    handout = composed.get((job.clinic, job.handout, job.lang))
    return handout.signoff.as_json() if handout and handout.signoff else None


def _proofs_present(out_dir: Path, entry: ManifestEntry) -> bool:
    if entry.format != "pdf":
        return True
    return all((out_dir / p).is_file() for p in proof_paths(entry.path, entry.pages or 0))


def write_outputs(
    project: Project,
    todo: list[Job],
    composed: dict[tuple[str, str, str], ComposedHandout],
    out_dir: Path,
    settings: BuildSettings,
    observer: BuildObserver | None,
    outcome: _Outcome,
    previous: dict[str, ManifestEntry],
) -> None:
    """Render `todo` and write each output as it arrives; a write error stops everything.

    `previous` is the manifest as the build found it: an output that fails has
    its old file (and proofs) removed, so nothing in out/ looks current that is not.
    """
    for folder in _folders(todo, settings.proofs):
        _make_folder(out_dir, folder)
    epoch = source_date_epoch()
    saved = time.monotonic()
    workers = settings.workers or os.cpu_count() or 1
    results = execute(
        project, todo, workers, settings.limits, proofs=settings.proofs, composed=composed
    )
    with closing(results):  # leaving early (an error, Ctrl-C) kills every worker at once
        for result in results:
            job = result.job
            failed = [f"{job.path}: {result.error}"] if result.error else []
            if settings.strict and not failed:
                failed = [f"{job.path}: warning (strict mode): {w}" for w in result.warnings]
            if failed or result.data is None:
                outcome.failures.extend(failed)
                outcome.failed[job.path] = failed[0].split(": ", 1)[1] if failed else "no data"
                if job.path in previous:  # the old file would pass for the current handout
                    remove_stale_output(out_dir, previous[job.path])
                if observer:
                    observer.finished(result, "failed")
                continue
            try:
                write_inside(out_dir, job.path, result.data)
                if job.format == "pdf":
                    _write_proofs(out_dir, job.path, result.proofs)
            except LinkInTheWay:
                raise _link_error(out_dir, job.path) from None
            except OSError as exc:
                raise OutputError(
                    f"cannot write {out_dir / job.path}: {exc.strerror}\n"
                    "    fix: free some space or choose another folder with --out; "
                    "the outputs written so far are kept"
                ) from None
            key = job_key(job, proofs=settings.proofs, source_date_epoch=epoch)
            outcome.built.append(_entry(job, result, key, _signoff_json(composed, job)))
            outcome.warnings.extend(f"{job.path}: {w}" for w in result.warnings)
            if observer:
                observer.finished(result, "built")
            if time.monotonic() - saved > 1.0:  # a killed build loses at most a second's work
                write_manifest(out_dir, [*outcome.built, *outcome.restored])
                saved = time.monotonic()


def _keeper(
    jobs: list[Job], todo: list[Job], settings: BuildSettings
) -> Callable[[ManifestEntry], bool]:
    planned = {job.path for job in jobs}
    rebuilding = {job.path for job in todo}

    def keep(entry: ManifestEntry) -> bool:
        # Entries of outputs about to be replaced leave the manifest before their
        # files change, so a build killed at any moment leaves a manifest whose
        # every entry matches its file. A full build also drops unplanned outputs.
        return entry.path not in rebuilding and (
            entry.path in planned or not _drops_unplanned(settings)
        )

    return keep


def _drops_unplanned(settings: BuildSettings) -> bool:
    """A full build's manifest lists only what it planned; so does a shard's: its own slice,
    so shards built on one restored release never disagree about another shard's output."""
    return settings.everything or settings.shard is not None


def _finish(
    out_dir: Path,
    outcome: _Outcome,
    previous: dict[str, ManifestEntry],
    keep: Callable[[ManifestEntry], bool],
    proofs: bool,
) -> None:
    """The manifest true to what is on disk (failed outputs listed as failed), the sheet."""

    def keep_failed(path: str) -> bool:  # a failure stays listed until the output builds
        return not (out_dir / path).exists()

    if not (outcome.built or outcome.restored or (out_dir / MANIFEST).exists()):
        return  # nothing was written: leave no manifest or contact sheet either
    built = {entry.path for entry in outcome.built}
    failed = {
        p: why for p, why in read_failed(out_dir).items() if p not in built and keep_failed(p)
    }
    failed |= outcome.failed
    try:
        write_manifest(out_dir, [*outcome.built, *outcome.restored], keep, failed)
        if proofs:
            write_contact_sheet(out_dir, read_manifest(out_dir), failed)
    except OSError as exc:
        raise OutputError(f"cannot write the manifest in {out_dir}: {exc.strerror}") from None


def remove_stale_output(out_dir: Path, entry: ManifestEntry) -> None:
    """Remove an output acuprint wrote (as the manifest lists it) and its proofs.

    Only the file the manifest describes, reached without a link, inside the
    out folder; unlinking is atomic, so a reader sees the old file or none.
    """
    paths = [
        entry.path,
        *(proof_paths(entry.path, entry.pages or 0) if entry.format == "pdf" else []),
    ]
    for relative in paths:
        path = out_dir / relative
        if link_on_the_way(out_dir, relative) or path.is_symlink() or not path.is_file():
            continue
        if path.resolve().is_relative_to(out_dir.resolve()):
            path.unlink(missing_ok=True)


def _write_proofs(out_dir: Path, pdf_path: str, pngs: tuple[bytes, ...]) -> None:
    """Write a PDF's page proofs; remove its proofs of pages it no longer has (or all)."""
    wanted = proof_paths(pdf_path, len(pngs))
    for path, png in zip(wanted, pngs, strict=True):
        write_inside(out_dir, path, png)
    stem = Path(proof_paths(pdf_path, 1)[0]).name.rsplit("-p", 1)[0]
    folder = (out_dir / proof_paths(pdf_path, 1)[0]).parent
    own = re.compile(rf"^{re.escape(stem)}-p\d+\.png$")  # not another output's proofs
    for old in folder.glob(f"{stem}-p*.png") if folder.is_dir() else []:
        if own.match(old.name) and old.relative_to(out_dir).as_posix() not in wanted:
            old.unlink(missing_ok=True)


def _folders(todo: list[Job], proofs: bool) -> list[str]:
    """The folders (relative to the out folder) that writing `todo` writes into."""
    folders = {job.clinic for job in todo}
    folders |= {f"{job.clinic}/proofs" for job in todo if proofs and job.format == "pdf"}
    return sorted(folders)


def _check_folder(out_dir: Path, relative: str) -> None:
    """Refuse a folder the build would write into that is a link, or a file (found early)."""
    if link_on_the_way(out_dir, f"{relative}/file"):
        raise _link_error(out_dir, f"{relative}/file")
    folder = out_dir / relative
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"cannot create the folder {folder}: a file is in the way\n"
            "    fix: remove the file in the way, or pass --out with another folder"
        )


def _make_folder(out_dir: Path, relative: str) -> None:
    """Create a folder the build writes into; refused if it is reached through a link."""
    _check_folder(out_dir, relative)
    folder = out_dir / relative
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the folder {folder}: {exc.strerror}\n"
            "    fix: remove the file in the way, or pass --out with another folder"
        ) from None


def _link_error(out_dir: Path, relative: str) -> UsageError:
    """A folder of the out folder is a symbolic link: writing there could leave the out folder."""
    link = link_on_the_way(out_dir, relative) or out_dir / relative
    try:
        target = f" (to {os.readlink(link)})"
    except OSError:
        target = ""
    return UsageError(
        f"{link} is a symbolic link{target}; acuprint writes only inside the out folder\n"
        "    fix: remove the link (acuprint creates the folder), or pass --out with another folder"
    )


def _entry(
    job: Job, result: JobResult, key: str, signoff: dict[str, object] | None
) -> ManifestEntry:
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
        key=key,
        inputs=result.reads,
        signoff=signoff,
    )
