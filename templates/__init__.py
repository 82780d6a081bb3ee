"""Jinja2 templates of every message, per language."""
