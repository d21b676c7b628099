"""Hostile: imports TensorFlow at the top level (banned in assignments 01-03)."""
import tensorflow as tf  # noqa: F401
