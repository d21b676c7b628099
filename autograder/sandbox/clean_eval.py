"""A clean process: a fresh sandbox that runs only a grader-owned module, never student code.

Evaluation that must not be forged (assignment 04's re-training of ``build_model``) happens
there: the student process hands over plain values only (a model's configuration), and the
held-out data goes to the clean process alone. It gets the limits, hidden folders and banned
imports of the student process it stands beside, its own user id (so the student process can
neither signal nor trace it) and its own private temporary folders; nothing of the submission
is on its path.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.sandbox import Sandbox

EVALUATOR = Path(__file__).resolve().parent.parent / "sandbox" / "evaluator.py"


@contextmanager
def clean_process(beside: Sandbox, module: Path = EVALUATOR) -> Iterator[Sandbox]:
    """A sandbox whose only importable file is ``module`` (default: the Keras evaluator), with
    ``beside``'s limits and hidden folders; closed (its process killed) on leaving."""
    hidden = tuple(getattr(getattr(beside, "child_limits", None), "hidden_paths", ()) or ())
    box = Sandbox({module.name: module.read_bytes()}, beside.limits, hidden, beside.banned)
    try:
        yield box
    finally:
        box.close()
