"""Hostile: imports the reference solutions (banned)."""
from solutions import layers  # noqa: F401
