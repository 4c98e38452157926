"""`acuprint print`: one handout, built if it is missing or out of date, sent to a CUPS queue.

The options follow the handout: both sides of the sheet, flipped on the long
edge for sheets and on the short edge for the tri-fold, on the clinic's
paper. With an appointment to fill in, a one-off copy is rendered into a
private temporary file outside the out folder, sent, and deleted; the
appointment text is never written anywhere else, and no message repeats it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from acuprint.build.settings import BuildSettings
from acuprint.errors import AcuprintError, UsageError
from acuprint.inputs.project import Project
from acuprint.jobs import Job
from acuprint.printing.cups import check_queue, default_printer, send

# IPP media keywords (PWG 5101.1) for the clinic's `paper`.
MEDIA = {"letter": "na_letter_8.5x11in", "a4": "iso_a4_210x297mm"}
MAX_COPIES = 500
MAX_APPOINTMENT_CHARS = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class PrintFailed(AcuprintError):
    """The handout could not be built or rendered, so nothing was sent."""


@dataclass(frozen=True)
class PrintRequest:
    """What the front desk asked for."""

    handout: str
    clinic: str
    lang: str
    variant: str = ""  # "" for the standard handout, or one of the recipe's variants
    copies: int = 1
    printer: str | None = None  # None: the clinic's `printer`, else the CUPS default
    next_appointment: str | None = None  # for this print only; never stored


@dataclass(frozen=True)
class PrintReceipt:
    """What was sent: the file, the queue, CUPS's job id and the job's options."""

    document: str  # the output's path in the out folder (or the one-off copy's name)
    printer: str
    job_id: str
    copies: int
    options: dict[str, str] = field(default_factory=dict)
    one_off: bool = False  # a copy with the appointment filled in, deleted after sending
    built: bool = False  # the PDF was (re)built for this print


def print_options(project: Project, job: Job) -> dict[str, str]:
    """The IPP job options for a handout: duplex edge by layout, the clinic's paper."""
    sides = "two-sided-short-edge" if job.variant == "tri-fold" else "two-sided-long-edge"
    return {"sides": sides, "media": MEDIA[project.clinics[job.clinic].profile.paper]}


def check_request(request: PrintRequest) -> None:
    """Refuse options that cannot be right before anything is read (usage errors)."""
    if not 1 <= request.copies <= MAX_COPIES:
        raise UsageError(
            f"--copies {request.copies}: give 1 to {MAX_COPIES}\n    fix: e.g. --copies 2"
        )
    text = request.next_appointment
    if text is not None:  # the message never repeats the text: it may name a patient
        if not text.strip():
            raise UsageError(
                "--next-appointment is empty\n"
                '    fix: give the date and time, e.g. --next-appointment "Tue 14 May, 3:30 pm"'
            )
        if _CONTROL.search(text):
            raise UsageError(
                "--next-appointment has a line break or control character\n"
                "    fix: write the appointment on one line"
            )
        if len(text.strip()) > MAX_APPOINTMENT_CHARS:
            raise UsageError(
                f"--next-appointment has {len(text.strip())} characters; the box holds "
                f"{MAX_APPOINTMENT_CHARS}\n"
                '    fix: shorten it to the date and time, e.g. "Tue 14 May, 3:30 pm"'
            )


def plan_print(project: Project, request: PrintRequest) -> Job:
    """The one PDF the request names; unknown ids and variants are usage errors."""
    from acuprint.build.plan import plan_jobs

    jobs = plan_jobs(
        project, [request.clinic], [request.handout], ("pdf",), None, False, [request.lang]
    )
    variants = {job.variant: job for job in jobs}
    if request.variant not in variants:
        offered = ", ".join(v for v in variants if v) or "none"
        raise UsageError(
            f"--variant {request.variant}: handouts/recipes/{request.handout}.toml has no such "
            f"variant\n    fix: use one of its variants ({offered}), or leave --variant out"
        )
    job = variants[request.variant]
    if request.next_appointment is not None:
        recipe = project.handouts[request.handout].recipe
        if not recipe.next_appointment or job.variant == "tri-fold":
            boxed = sorted(h for h, x in project.handouts.items() if x.recipe.next_appointment)
            raise UsageError(
                f"--next-appointment: {request.handout} has no appointment box to fill in\n"
                f"    fix: print a handout that has one ({', '.join(boxed) or 'none'}: "
                "`next_appointment = true` in its recipe), or leave the option out"
            )
    return job


def choose_printer(project: Project, request: PrintRequest) -> tuple[str, str]:
    """(printer, where the name came from): --printer, the clinic's `printer`, the CUPS default."""
    if request.printer:
        return request.printer, "--printer"
    clinic = project.clinics[request.clinic]
    toml = clinic.folder / "clinic.toml"
    if toml.is_relative_to(project.root):
        toml = toml.relative_to(project.root)
    if clinic.profile.printer:
        return clinic.profile.printer, f"{toml}: printer"
    fallback = default_printer()
    if fallback:
        return fallback, "the CUPS default printer"
    raise UsageError(
        f"no printer for {request.clinic}: no --printer, no `printer` in {toml}, "
        "and CUPS has no default printer\n"
        f'    fix: pass --printer NAME, or add printer = "NAME" to that clinic.toml '
        "(lpstat -e lists the printers)"
    )


def print_handout(root: Path, request: PrintRequest) -> PrintReceipt:
    """Send one handout's PDF to a CUPS queue and say what was sent.

    Raises UsageError (bad options or names), InputError (project files),
    PrintFailed (the PDF could not be built) or PrinterUnavailable (CUPS).
    """
    from acuprint.build.supervisor import load_limited

    check_request(request)
    project = load_limited(root)
    job = plan_print(project, request)
    printer, where = choose_printer(project, request)
    check_queue(printer, where)  # before anything renders: a stopped queue costs nothing
    options = print_options(project, job)
    title = job.path.rsplit("/", 1)[-1]
    if request.next_appointment is not None:
        sent = _send_one_off(
            project, job, request.next_appointment.strip(), printer, options, request.copies
        )
        return PrintReceipt(job.path, printer, sent, request.copies, options, one_off=True)
    path, built = _built_pdf(root, job)
    sent_job = send(path, printer, options, request.copies, title)
    return PrintReceipt(job.path, printer, sent_job.job_id, request.copies, options, built=built)


def _built_pdf(root: Path, job: Job) -> tuple[Path, bool]:
    """The output's PDF in the out folder, built first if it is missing or out of date."""
    from acuprint.build.pipeline import build

    settings = BuildSettings(
        clinics=(job.clinic,), handouts=(job.handout,), langs=(job.lang,), formats=("pdf",)
    )
    report = build(root, settings)
    mine = [f for f in report.failures if f.startswith(f"{job.path}: ")]
    if mine or job.path not in {entry.path for entry in report.entries}:
        detail = mine[0] if mine else f"{job.path}: it was not built"
        raise PrintFailed(
            f"{detail}\n    fix: fix what the message says, then print again "
            f"(acuprint build --clinic {job.clinic} --handout {job.handout} shows every problem)"
        )
    return report.out_dir / job.path, job.path in {entry.path for entry in report.built}


def _send_one_off(
    project: Project, job: Job, appointment: str, printer: str, options: dict[str, str], copies: int
) -> str:
    """Render a copy with the appointment filled in, into a private temporary file, send, delete."""
    from acuprint.build.content import check_content
    from acuprint.render.job import render_job

    composed = check_content(project, [job], BuildSettings())
    result = render_job(
        project,
        job,
        proofs=False,
        composed=composed[(job.clinic, job.handout, job.lang)],
        appointment=appointment,
    )
    if result.error or result.data is None:
        error = (result.error or "no PDF").replace(appointment, "[the appointment]")
        raise PrintFailed(
            f"{job.path} with the appointment filled in: {error}\n"
            "    fix: shorten the appointment text, or fix what the message says; nothing was sent"
        )
    handle, name = tempfile.mkstemp(prefix="acuprint-print-", suffix=".pdf")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(result.data)
        return send(Path(name), printer, options, copies, job.path.rsplit("/", 1)[-1]).job_id
    finally:
        Path(name).unlink(missing_ok=True)
