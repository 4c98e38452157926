"""Fingerprints of everything that determines an output, for incremental builds.

An output is rebuilt only when its fingerprint changes: its content
modules, recipe, clinic profile and assets, stylesheets, fonts, templates,
the versions of acuprint and WeasyPrint, and the options that shape it.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from acuprint import __version__
from acuprint.build.plan import Job
from acuprint.inputs.project import DISCLAIMER_ID, Project

TEMPLATES = Path(__file__).parents[1] / "render" / "templates"


class Fingerprinter:
    """Hashes each input file once per build and combines them per job."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._files: dict[Path, str] = {}
        shared = [
            *sorted(project.styles_dir.glob("*.css")),
            *sorted((project.styles_dir / "color").glob("*")),
            project.fonts_dir / "fonts.toml",
            *sorted(TEMPLATES.glob("*")),
            *sorted(Path(__file__).parents[1].rglob("*.py")),
        ]
        self._shared = self._combine(
            [
                f"acuprint {__version__}",
                f"weasyprint {installed_version('weasyprint')}",
                f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}",
                *(self._file(path) for path in shared),
            ]
        )

    def job(self, job: Job, *, proofs: bool = True) -> str:
        """The fingerprint of one output (a PDF's proofs are part of its output)."""
        project = self._project
        clinic = project.clinics[job.clinic]
        handout = project.handouts[job.handout]
        profile = clinic.profile
        modules = dict.fromkeys([*handout.recipe.modules, DISCLAIMER_ID])
        fonts = project.font_keys(profile, job.lang)
        files = [
            handout.path,
            clinic.folder / "clinic.toml",
            clinic.logo,
            *([clinic.stylesheet] if clinic.stylesheet else []),
            *(project.module(m, job.lang).path for m in modules),
            *(
                project.fonts_dir / face
                for key in fonts
                for face, _, _ in project.fonts[key].faces()
            ),
        ]
        options = f"{job!r} proofs={proofs and job.format == 'pdf'}"
        return self._combine([self._shared, options, *(self._file(p) for p in files)])

    def _file(self, path: Path) -> str:
        digest = self._files.get(path)
        if digest is None:
            digest = self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return f"{path.name}:{digest}"

    @staticmethod
    def _combine(parts: list[str]) -> str:
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@cache
def installed_version(package: str) -> str:
    """A package's installed version, read without importing it."""
    # Read from metadata: importing WeasyPrint just for its version is slow.
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"
