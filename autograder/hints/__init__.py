"""The hint library: known bugs of each student module and the texts that teach them.

Each module holds ``BUGS``, a table from a student function to its known-bug variants
(:class:`~autograder.checks.base.Variant`); :data:`autograder.checks.ASSIGNMENTS` names the
table of each student module. The texts live in the message catalogue
(:data:`autograder.core.messages.HINT_TEXTS`) under ``hint.<key>``.
"""
from autograder.hints import convolution, layers, optim, regularization

__all__ = ["convolution", "layers", "optim", "regularization"]
