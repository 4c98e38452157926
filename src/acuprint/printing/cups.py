"""CUPS through its own commands (`lpstat`, `lp`): is a queue there and ready, send a file.

Every problem is an error value with the fix in its message; nothing here
prints. The commands run with the C locale, so their answers read the same
on every machine, and with a time limit, so a hung scheduler cannot hang us.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from acuprint.errors import AcuprintError, UsageError, suggest

TIMEOUT_SECONDS = 30
INSTALL_FIX = (
    "install CUPS (Debian: apt-get install cups cups-client; scripts/setup.sh does it), "
    "then add the printer with lpadmin or the CUPS web page"
)


class PrinterUnavailable(AcuprintError):
    """CUPS or the queue cannot take a job now (not installed, not running, stopped)."""


class UnknownPrinter(UsageError):
    """The printer named (option or clinic.toml) is not a CUPS queue on this machine."""


@dataclass(frozen=True)
class SentJob:
    """What CUPS accepted: the queue and the job id it gave."""

    printer: str
    job_id: str


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run a CUPS command; a missing CUPS or a scheduler that never answers is an error."""
    program = shutil.which(command[0])
    if program is None:
        raise PrinterUnavailable(
            f"CUPS is not installed here: there is no `{command[0]}` command\n"
            f"    fix: {INSTALL_FIX}"
        )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(
            [program, *command[1:]],
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise PrinterUnavailable(
            f"CUPS did not answer `{command[0]}` within {TIMEOUT_SECONDS} s\n"
            "    fix: check the print server (lpstat -r; restart CUPS: service cups restart)"
        ) from None
    except OSError as exc:
        raise PrinterUnavailable(
            f"cannot run `{command[0]}`: {exc.strerror}\n    fix: {INSTALL_FIX}"
        ) from None


def _check_scheduler() -> None:
    result = _run(["lpstat", "-r"])
    if "scheduler is running" not in result.stdout:
        raise PrinterUnavailable(
            "CUPS is not running, so nothing can be printed\n"
            "    fix: start it (service cups start, or run cupsd as root), "
            "then check with lpstat -r"
        )


def printers() -> list[str]:
    """The CUPS queues on this machine (`lpstat -e`), in order."""
    _check_scheduler()
    return sorted(line.strip() for line in _run(["lpstat", "-e"]).stdout.splitlines() if line)


def default_printer() -> str | None:
    """The machine's default CUPS queue (`lpstat -d`), or None."""
    match = re.search(r"system default destination: (\S+)", _run(["lpstat", "-d"]).stdout)
    return match.group(1) if match else None


def check_queue(printer: str, where: str) -> None:
    """Raise unless `printer` is a CUPS queue that is enabled and accepting jobs.

    `where` says where the name came from ("--printer", "clinics/x/clinic.toml: printer").
    """
    known = printers()
    if printer not in known:
        listed = ", ".join(known) if known else "none (lpstat -e lists no printer)"
        raise UnknownPrinter(
            f"{where}: no printer named '{printer}' in CUPS.{suggest(printer, known)}\n"
            f"    fix: use one of: {listed}; or add it: lpadmin -p {printer} -E -v DEVICE-URI "
            "-m everywhere"
        )
    state = _run(["lpstat", "-p", printer]).stdout
    if re.search(rf"^printer {re.escape(printer)} disabled", state, re.M):
        raise PrinterUnavailable(
            f"the printer '{printer}' is stopped (CUPS holds its jobs)\n"
            f"    fix: clear the problem at the printer (paper, jam, power), then "
            f"start the queue: cupsenable {printer}"
        )
    accepting = _run(["lpstat", "-a", printer]).stdout
    if "not accepting" in accepting:
        raise PrinterUnavailable(
            f"the printer '{printer}' is refusing new jobs\n"
            f"    fix: let it take jobs again: cupsaccept {printer}"
        )


def send(path: Path, printer: str, options: dict[str, str], copies: int, title: str) -> SentJob:
    """Queue `path` on `printer` with IPP job `options`; the job id CUPS gave it."""
    command = ["lp", "-d", printer, "-n", str(copies), "-t", title]
    for name, value in options.items():
        command += ["-o", f"{name}={value}"]
    result = _run([*command, "--", str(path)])
    match = re.search(r"request id is (\S+)", result.stdout)
    if result.returncode != 0 or match is None:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise PrinterUnavailable(
            f"CUPS refused the job for '{printer}': {said[-1] if said else 'no reason given'}\n"
            f"    fix: check the queue with lpstat -p {printer} -l and its log, then print again"
        )
    return SentJob(printer, match.group(1))
