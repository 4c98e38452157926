"""acuprint: branded, print-ready patient handouts about acupuncture."""

from functools import cache

__version__ = "0.1.0"


@cache
def installed_version(package: str) -> str:
    """A package's installed version, read without importing it."""
    # Read from metadata: importing WeasyPrint just for its version is slow.
    from importlib import metadata  # loaded on first use: every command starts faster

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"
