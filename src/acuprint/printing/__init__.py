"""Printing from the front desk: a built handout to a clinic's CUPS printer (`acuprint print`)."""
