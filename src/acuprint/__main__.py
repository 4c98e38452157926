"""`python -m acuprint` runs the CLI."""

from .cli import app

app(prog_name="acuprint")
