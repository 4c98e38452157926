"""Render one output: HTML (Jinja), stylesheets, fonts, the CSS sandbox, PDF (WeasyPrint)."""
