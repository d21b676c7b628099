"""Hostile: imports scipy at the top level (banned in assignments 01-03)."""
import scipy  # noqa: F401
