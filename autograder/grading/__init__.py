"""Grading: check records, tolerances, messages, the per-check context and the orchestration.

The layers, from the command line down: :mod:`autograder.cli` -> :mod:`runner` (one
submission) -> the check library :mod:`autograder.checks` (one module per student module) ->
:mod:`compare` and :mod:`autograder.sandbox` (pure numerics, isolated calls).
"""
