"""`acuprint print`: options in, one PrintRequest to the library, what was sent out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acuprint.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    ProjectOption,
    fail_input,
    say,
)
from acuprint.commands.usage import between
from acuprint.errors import AcuprintError, BuildLocked, InputError, OutputError, UsageError


def print_(
    handout: Annotated[str, typer.Argument(metavar="HANDOUT", help="Handout id, e.g. back-pain.")],
    clinic: Annotated[str, typer.Option("--clinic", metavar="ID", help="Clinic id.")],
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Language, e.g. es.")],
    copies: Annotated[
        int, typer.Option("--copies", "-n", callback=between(1, 500), metavar="N", help="Copies.")
    ] = 1,
    printer: Annotated[
        str | None,
        typer.Option(
            "--printer",
            metavar="NAME",
            help="CUPS queue [default: the clinic's `printer`, else the CUPS default].",
        ),
    ] = None,
    variant: Annotated[
        str,
        typer.Option("--variant", metavar="NAME", help="A recipe variant: tri-fold, large-print."),
    ] = "",
    next_appointment: Annotated[
        str | None,
        typer.Option(
            "--next-appointment",
            metavar="TEXT",
            help="Fill in the appointment box for this print only (never saved).",
        ),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Print a handout on the clinic's printer through CUPS, building it first if needed.

    Both sides (long edge; short edge for the tri-fold), on the clinic's paper.

    Example: acuprint print back-pain --clinic cedar-hollow --lang es --copies 2
    """
    from acuprint.printing.cups import PrinterUnavailable
    from acuprint.printing.send import PrintFailed, PrintRequest, print_handout

    request = PrintRequest(handout, clinic, lang, variant, copies, printer, next_appointment)
    try:
        receipt = print_handout(project, request)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    except (PrintFailed, PrinterUnavailable, OutputError, BuildLocked) as error:
        say(f"error: {error}", err=True)
        say("Nothing was printed.", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except (UsageError, AcuprintError) as error:
        say(f"error: {error}", err=True)
        say("Nothing was printed.", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        say(
            "Interrupted: nothing more will be sent (a job CUPS already took stays queued).",
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    what = (
        f"a one-off copy of {receipt.document} with the appointment filled in "
        "(not saved; its temporary file is deleted)"
        if receipt.one_off
        else receipt.document
    )
    options = ", ".join(f"{name}={value}" for name, value in receipt.options.items())
    if receipt.built and not receipt.one_off:
        say(f"built {receipt.document} (it was missing or out of date)")
    say(
        f"Sent {what} to {receipt.printer}: job {receipt.job_id}, "
        f"{receipt.copies} cop{'y' if receipt.copies == 1 else 'ies'}, {options}"
    )
