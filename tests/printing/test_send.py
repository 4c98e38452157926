"""`acuprint print` against a real CUPS server: a private cupsd with a virtual PDF queue.

The queue uses the CUPS-PDF driver (printer-driver-cups-pdf) and sends its
output to /dev/null, so every job runs through CUPS's own filters. ipptool
reads each job back from the server: its sides, media and copies are what
CUPS recorded, not what acuprint says it sent.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acuprint.cli import app
from tests.tools import tool

QUEUE = "acuprint-test"
STOPPED = "acuprint-stopped"
PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"


@dataclass(frozen=True)
class Cups:
    """A running private CUPS server: its socket and spool folder."""

    socket: Path
    spool: Path

    def job(self, job_id: str) -> dict[str, str]:
        """A job's attributes as CUPS holds them (name -> value), read with ipptool."""
        number = job_id.rsplit("-", 1)[1]
        host = urllib.parse.quote(str(self.socket), safe="")
        listing = subprocess.run(
            [tool("ipptool"), "-tv", f"ipp://{host}/jobs/{number}", "get-job-attributes.test"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
        return dict(re.findall(r"^\s+([\w-]+) \([\w-]+\) = (.*)$", listing, re.M))

    def queued(self) -> str:
        """Every job CUPS knows (`lpstat -W all -o`), one line each."""
        env = {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}
        return subprocess.run(
            [tool("lpstat"), "-W", "all", "-o"], capture_output=True, text=True, env=env, timeout=30
        ).stdout


def _cannot_run(reason: str) -> None:
    # CI must prove printing works; on a workstation without root, say why and move on.
    if os.environ.get("CI") == "true" or os.geteuid() == 0:
        pytest.fail(f"CUPS cannot run for the print tests: {reason}")
    pytest.skip(f"CUPS cannot run here: {reason}")


@pytest.fixture(scope="session")
def cups() -> Iterator[Cups]:
    """A private cupsd (own config, spool, socket) with a virtual PDF queue and a stopped one."""
    cupsd, lpadmin, disable = tool("cupsd"), tool("lpadmin"), tool("cupsdisable")
    # Not under pytest's 0700 temporary folder: CUPS filters run as the `lp` user.
    root = Path(tempfile.mkdtemp(prefix="acuprint-cups-"))
    root.chmod(0o755)
    for name in ("spool", "cache", "state", "log"):
        (root / name).mkdir()
    (root / "tmp").mkdir(mode=0o1777)
    (root / "tmp").chmod(0o1777)
    socket = root / "cups.sock"
    (root / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\nPreserveJobHistory Yes\nPreserveJobFiles Yes\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nTempDir {root}/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nAccessLog {root}/log/access_log\n"
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\nFileDevice Yes\n"
        "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
    )
    server = subprocess.Popen(
        [cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    env = {**os.environ, "CUPS_SERVER": str(socket), "LC_ALL": "C"}
    try:
        deadline = time.monotonic() + 20
        while not socket.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                said = server.stderr.read().decode(errors="replace") if server.stderr else ""
                log = root / "log" / "error_log"
                _cannot_run(
                    f"cupsd did not start: {said} {log.read_text() if log.exists() else ''}"
                )
            time.sleep(0.1)
        for queue in (QUEUE, STOPPED):
            subprocess.run(
                [lpadmin, "-p", queue, "-E", "-v", "file:///dev/null", "-m", PPD],
                env=env,
                check=True,
                capture_output=True,
                timeout=30,
            )
        subprocess.run([disable, STOPPED], env=env, check=True, timeout=30)
        yield Cups(socket, root / "spool")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="session")
def print_tmp() -> Iterator[Path]:
    """The print tests' temporary folder: short, since a Unix socket path has at most 107
    bytes, and kept for the whole run, since multiprocessing keeps the first one it sees."""
    folder = Path(tempfile.mkdtemp(prefix="ap-"))
    yield folder
    for path in folder.iterdir():  # multiprocessing removes its own pymp-* folder at exit
        if not path.name.startswith("pymp-"):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()


@pytest.fixture
def run(cups: Cups, project: Path, print_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`acuprint print ...` in the project copy, talking to the private CUPS server."""
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    monkeypatch.setenv("TMPDIR", str(print_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR is read again

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, ["print", *args, "--project", str(project)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _job_id(stdout: str) -> str:
    match = re.search(rf"job ({QUEUE}-\d+)", stdout)
    assert match, stdout
    return match.group(1)


@pytest.mark.slow
def test_print_puts_a_two_sided_job_on_the_clinics_printer(
    run: Run, cups: Cups, edit: Callable[[str, str, str], None], project: Path
) -> None:
    # The clinic's printer comes from clinic.toml; the PDF is built because it is missing.
    edit(
        "clinics/cedar-hollow/clinic.toml",
        'paper = "letter"',
        f'paper = "letter"\nprinter = "{QUEUE}"',
    )
    code, out, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--copies", "2")
    assert code == 0, err
    assert (project / "out/cedar-hollow/back-pain.es.pdf").is_file()
    job = _job_id(out)
    assert f"to {QUEUE}: job {job}, 2 copies" in out
    assert "sides=two-sided-long-edge, media=na_letter_8.5x11in" in out
    assert job in cups.queued()
    attributes = cups.job(job)
    assert attributes["sides"] == "two-sided-long-edge"
    assert attributes["media"] == "na_letter_8.5x11in"
    assert attributes["copies"] == "2"

    # Up to date now: sent again without building.
    code, out, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es")
    assert code == 0, err
    assert "built" not in out
    assert cups.job(_job_id(out))["copies"] == "1"


@pytest.mark.slow
def test_the_tri_fold_flips_on_the_short_edge_on_the_clinics_paper(run: Run, cups: Cups) -> None:
    code, out, err = run(
        "brochure", "--clinic", "marlowe-street", "--lang", "en", "--variant", "tri-fold",
        "--printer", QUEUE,
    )  # fmt: skip
    assert code == 0, err
    attributes = cups.job(_job_id(out))
    assert attributes["sides"] == "two-sided-short-edge"
    assert attributes["media"] == "iso_a4_210x297mm"


@pytest.mark.slow
def test_next_appointment_is_printed_once_and_kept_nowhere(
    run: Run, cups: Cups, project: Path
) -> None:
    private_tmp = Path(os.environ["TMPDIR"])  # the run fixture's own temporary folder
    appointment = "Thu 21 May, 3:30 pm with Dana"
    code, out, err = run(
        "first-visit", "--clinic", "cedar-hollow", "--lang", "en", "--printer", QUEUE,
        "--next-appointment", appointment,
    )  # fmt: skip
    assert code == 0, err
    assert "with the appointment filled in" in out
    assert appointment not in out + err
    job = _job_id(out)
    # What CUPS received carries the appointment (the server keeps job files here).
    document = cups.spool / f"d{int(job.rsplit('-', 1)[1]):05d}-001"
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(document), "-"], capture_output=True, text=True
    ).stdout
    assert appointment in text
    assert cups.job(job)["sides"] == "two-sided-long-edge"
    # Nothing under the project (out/ included) or the temporary folder keeps it.
    assert not (project / "out").exists()
    assert not list(private_tmp.glob("acuprint-print-*"))
    for path in [*project.rglob("*"), *private_tmp.rglob("*")]:
        if path.is_file():
            assert appointment.encode() not in path.read_bytes(), path


def test_a_stopped_queue_says_how_to_start_it_and_builds_nothing(run: Run, project: Path) -> None:
    code, _, err = run(
        "back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--printer", STOPPED
    )
    assert code == 1
    assert f"the printer '{STOPPED}' is stopped" in err
    assert (
        "fix: clear the problem at the printer (paper, jam, power), then start the queue: "
        f"cupsenable {STOPPED}" in err
    )
    assert "Traceback" not in err
    assert not (project / "out").exists()


def test_an_unknown_printer_names_the_printers_there(run: Run) -> None:
    code, _, err = run(
        "back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--printer", "acuprint-tset"
    )
    assert code == 2
    assert (
        "--printer: no printer named 'acuprint-tset' in CUPS. Did you mean 'acuprint-test'?" in err
    )
    assert f"fix: use one of: {STOPPED}, {QUEUE}; or add it: lpadmin -p acuprint-tset" in err


def test_no_printer_anywhere_names_the_option_and_the_clinic_key(run: Run) -> None:
    code, _, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es")
    assert code == 2
    assert (
        "no printer for cedar-hollow: no --printer, no `printer` in "
        "clinics/cedar-hollow/clinic.toml" in err
    )
    assert 'fix: pass --printer NAME, or add printer = "NAME" to that clinic.toml' in err


def test_cups_not_running_is_a_clear_failure(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))
    code, _, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--printer", QUEUE)
    assert code == 1
    assert "error: CUPS is not running, so nothing can be printed" in err
    assert "fix: start it (service cups start, or run cupsd as root)" in err


def test_cups_not_installed_is_a_clear_failure(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp, no lpstat
    code, _, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--printer", QUEUE)
    assert code == 1
    assert "error: CUPS is not installed here: there is no `lpstat` command" in err
    assert "fix: install CUPS (Debian: apt-get install cups cups-client" in err


def test_a_bad_printer_in_clinic_toml_names_the_file_and_key(
    run: Run, edit: Callable[[str, str, str], None]
) -> None:
    edit(
        "clinics/cedar-hollow/clinic.toml",
        'paper = "letter"',
        'paper = "letter"\nprinter = "front desk"',
    )
    code, _, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es")
    assert code == 2
    assert re.search(
        r"clinics/cedar-hollow/clinic.toml:\d+: printer: 'front desk' is not a CUPS printer name",
        err,
    ), err


def test_options_that_cannot_be_right_are_usage_errors(run: Run) -> None:
    code, _, err = run("back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--printer", QUEUE,
                       "--next-appointment", "Fri 3 pm")  # fmt: skip
    assert code == 2
    assert "--next-appointment: back-pain has no appointment box to fill in" in err
    assert "Fri 3 pm" not in err
    code, _, err = run("first-visit", "--clinic", "cedar-hollow", "--lang", "es",
                       "--printer", QUEUE,
                       "--next-appointment", "Fri 3 pm\nMs Example")  # fmt: skip
    assert code == 2
    assert "--next-appointment has a line break" in err
    assert "Ms Example" not in err
    code, _, err = run(
        "back-pain", "--clinic", "cedar-hollow", "--lang", "es", "--variant", "tri-fold"
    )
    assert code == 2
    assert "no such variant" in err and "large-print" in err
