"""Benchmark acuprint builds against WeasyPrint run the usual ways, on the same HTML.

Run:  .venv/bin/python benchmarks/bench_build.py [--clinics 24] [--repeats 3]

Generates a synthetic project (copies of the sample clinics with other names
and colours) in a temporary folder and prints medians measured in this run:

- full build time per handout (PDF, --jobs 2), and its ratio to
  (a) one `weasyprint` process per HTML file, on the same HTML, and
  (b) the same HTML rendered one after another in one warm Python process;
- a no-op rebuild of about 1,000 outputs, and a rebuild after changing one clinic;
- a no-op rebuild of the sample project (all 80 outputs): the stamp's fast path
  against the full up-to-date check (the same rebuild with the stamp removed)
  and against `acuprint --version` (the floor: starting Python and the CLI);
- start-up time of `acuprint --help`;
- peak memory (sum of resident memory of the build's processes).

Not part of the test suite: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
ACUPRINT = [str(VENV_BIN / "acuprint")]
SAMPLES = ("bayside-pain-care", "cedar-hollow", "marlowe-street")


def make_project(root: Path, clinics: int) -> None:
    """A project with `clinics` clinics, cycling through the samples' looks."""
    for folder in ("handouts", "styles"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "clinics").mkdir()
    for index in range(clinics):
        sample = SAMPLES[index % len(SAMPLES)]
        target = root / "clinics" / f"clinic-{index:04d}"
        shutil.copytree(REPO / "clinics" / sample, target)
        toml = target / "clinic.toml"
        text = toml.read_text().replace('name = "', f'name = "No. {index} ', 1)
        toml.write_text(text)


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


class PeakMemory:
    """Samples the resident memory of a process and its children; keeps the peak sum."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(status.parent.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_kib = max(self.peak_kib, total)


def build_with_memory(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with PeakMemory(process.pid) as memory:
        if process.wait() != 0:
            raise SystemExit(f"build failed: {command}")
    return time.perf_counter() - started, memory.peak_kib


def export_html(project: Path, folder: Path) -> list[Path]:
    """The exact HTML and CSS acuprint gives WeasyPrint, as standalone files for the CLI."""
    sys.path.insert(0, str(REPO / "src"))
    from acuprint.build.plan import plan_jobs
    from acuprint.compose.handout import compose_handout
    from acuprint.inputs.project import load_project
    from acuprint.render.html import render_html

    loaded = load_project(project)
    folder.mkdir()
    files = []
    for job in plan_jobs(loaded, formats=("pdf",)):
        composed = compose_handout(
            loaded, loaded.clinics[job.clinic], loaded.handouts[job.handout], job.lang
        )
        document = render_html(
            loaded, composed, standalone=False, print_profile=job.profile, variant=job.variant
        )
        styles = f'<base href="{document.base_url}">' + "".join(
            f"<style>{source.read()}</style>" for source in document.stylesheets
        )
        html = document.html.replace("</head>", styles + "</head>", 1)
        path = folder / job.path.replace("/", "--").replace(".pdf", ".html")
        path.write_text(html, encoding="utf-8")
        files.append(path)
    return files


WARM_SCRIPT = """
import sys, time, json
import weasyprint
times = []
for name in sys.argv[1:]:
    started = time.perf_counter()
    weasyprint.HTML(filename=name).write_pdf()
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=24, help="clinics in the PDF build")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement")
    parser.add_argument("--cli-files", type=int, default=12, help="files for baseline (a)")
    parser.add_argument("--noop-outputs", type=int, default=1000, help="outputs in the no-op test")
    parser.add_argument(
        "--only-noop", action="store_true", help="only the sample project's no-op rebuild"
    )
    args = parser.parse_args()
    if args.only_noop:
        with tempfile.TemporaryDirectory(prefix="acuprint-bench-") as temp:
            os.environ["ACUPRINT_CACHE_DIR"] = str(Path(temp) / "cache")
            noop_of_samples(Path(temp), max(args.repeats, 5))
        return

    with tempfile.TemporaryDirectory(prefix="acuprint-bench-") as temp:
        root = Path(temp) / "project"
        make_project(root, args.clinics)
        sys.path.insert(0, str(REPO / "src"))
        from acuprint.build.plan import plan_jobs
        from acuprint.inputs.project import load_project

        handouts = len(plan_jobs(load_project(root), formats=("pdf",)))
        env = {**os.environ, "ACUPRINT_CACHE_DIR": str(Path(temp) / "cache")}
        os.environ.update(env)
        base = [*ACUPRINT, "build", "--project", str(root), "--format", "pdf", "--jobs", "2"]
        base += ["--no-proofs"]  # the baselines write PDFs only; proofs are measured apart

        full, memory = [], []
        for _ in range(args.repeats):
            seconds, peak = build_with_memory([*base, "--force", "--out", str(Path(temp) / "out")])
            full.append(seconds / handouts)
            memory.append(peak)
        ours = statistics.median(full)
        proofs = timed([*base[:-1], "--force", "--out", str(Path(temp) / "out-proofs")]) / handouts

        files = export_html(root, Path(temp) / "html")
        sample = files[: args.cli_files]
        cli = [timed([str(VENV_BIN / "weasyprint"), str(f), os.devnull]) for f in sample]
        warm_runs = []
        for _ in range(args.repeats):
            out = subprocess.run(
                [sys.executable, "-c", WARM_SCRIPT, *map(str, files)],
                check=True,
                capture_output=True,
                text=True,
            )
            warm_runs.append(statistics.median(json.loads(out.stdout)[1:]))
        warm = statistics.median(warm_runs)

        # Rebuild after changing one clinic's colour: its 3 handouts render again.
        toml = root / "clinics" / "clinic-0000" / "clinic.toml"
        one_clinic = []
        for run in range(args.repeats):
            text = toml.read_text()
            colour = f"#1d3c{run:02d}"
            toml.write_text(text.replace(text.split('primary = "')[1][:7], colour, 1))
            one_clinic.append(timed([*base, "--out", str(Path(temp) / "out")]))

        # No-op rebuild of about 1,000 outputs (HTML, so the first build is quick).
        big = Path(temp) / "big"
        # About 6.7 HTML outputs per clinic (4 handouts; one clinic in three has 3 languages).
        make_project(big, max(1, round(args.noop_outputs / 6.67)))
        big_cmd = [*ACUPRINT, "build", "--project", str(big), "--format", "html", "--jobs", "2"]
        timed(big_cmd)
        outputs = len(list((big / "out").rglob("*.html")))
        noop = statistics.median(timed(big_cmd) for _ in range(args.repeats))

        help_times = statistics.median(timed([*ACUPRINT, "--help"]) for _ in range(10))

    print(
        f"acuprint benchmark: {args.clinics} clinics, {handouts} PDFs (4 handouts, 1-3 languages, "
        "large-print and tri-fold variants), 2 workers, "
        f"{os.cpu_count()} cores, medians of {args.repeats} runs"
    )
    print(f"full build, per PDF              {ours:8.3f} s")
    print(
        f"(a) weasyprint CLI, per file     {statistics.median(cli):8.3f} s   "
        f"ratio {ours / statistics.median(cli):.3f}  (target <= 0.12)"
    )
    print(
        f"(b) warm WeasyPrint API, per doc {warm:8.3f} s   ratio {ours / warm:.3f}  (target <= 0.6)"
    )
    print(f"with PNG proofs, per PDF         {proofs:8.3f} s   (one run)")
    print(f"rebuild after one clinic change  {statistics.median(one_clinic):8.3f} s")
    print(f"no-op rebuild of {outputs} outputs  {noop:8.3f} s   (target < 1 s)")
    print(f"acuprint --help start-up         {help_times:8.3f} s   (target < 0.25 s)")
    print(
        f"peak memory of the build         {statistics.median(memory) / 1024:8.1f} MB  "
        "(target < 400 MB)"
    )
    with tempfile.TemporaryDirectory(prefix="acuprint-bench-") as temp:
        noop_of_samples(Path(temp), max(args.repeats, 5))


def noop_of_samples(temp: Path, repeats: int) -> None:
    """The sample project built once, then rebuilt with nothing changed."""
    samples = temp / "samples"
    for folder in ("clinics", "handouts", "styles", "review"):
        shutil.copytree(REPO / folder, samples / folder)
    command = [*ACUPRINT, "build", "--project", str(samples), "--jobs", "2"]
    timed(command)
    outputs = len(json.loads((samples / "out" / "manifest.json").read_text())["outputs"])
    fast = statistics.median(timed(command) for _ in range(repeats))
    full = []
    for _ in range(repeats):
        (samples / "out" / ".acuprint-stamp.json").unlink()
        full.append(timed(command))  # checks everything, finds nothing to do, stamps again
    floor = statistics.median(timed([*ACUPRINT, "--version"]) for _ in range(repeats))
    print(f"no-op rebuild of the samples ({outputs} outputs), medians of {repeats} runs:")
    print(f"  answered from the stamp        {fast:8.3f} s   (target < 0.5 s)")
    print(
        f"  full up-to-date check          {statistics.median(full):8.3f} s   "
        f"ratio {fast / statistics.median(full):.3f}"
    )
    print(f"  acuprint --version (the floor) {floor:8.3f} s   ratio {fast / floor:.2f}")


if __name__ == "__main__":
    main()
