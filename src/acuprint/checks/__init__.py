"""Checks of content and output: lint, claims, readability, contrast, glyphs, preflight."""
