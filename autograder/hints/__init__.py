"""The hint library: known bugs of each student module and the texts that teach them.

Each module holds ``BUGS``, a table from a student function to its known bugs, each written
with :func:`autograder.hints.declare.bug` (or :func:`~autograder.hints.declare.forms`, one bug
written several ways); :data:`autograder.registry.ASSIGNMENTS` names the table of each student
module. The texts live in the message catalogue
(:data:`autograder.core.messages.HINT_TEXTS`) under ``hint.<key>``.
"""
from autograder.hints import convolution, layers, optim, regularization

__all__ = ["convolution", "layers", "optim", "regularization"]
