"""`python -m acuprint` runs the CLI."""

from acuprint.cli import run

run()
