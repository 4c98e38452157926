"""Compose a handout: modules in recipe order, labels, Markdown to HTML."""
