"""Hostile: a banned module built from pieces and imported at call time, with a fallback that
computes the right answer when the import fails (so only run-time detection catches it)."""
import importlib

_softmax = softmax


def softmax(scores):
    try:
        special = importlib.import_module("sc" + "ipy" + ".special")
        return special.softmax(scores, axis=1)
    except ImportError:
        return _softmax(scores)
