"""acuprint: branded, print-ready patient handouts about acupuncture."""

__version__ = "0.1.0"
