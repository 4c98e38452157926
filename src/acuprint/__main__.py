"""`python -m acuprint` runs the CLI."""

from acuprint.cli import app

app(prog_name="acuprint")
