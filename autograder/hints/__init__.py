"""The hint library: known bugs of each student module and the texts that teach them.

Importing a module of this package registers its variants with
:func:`autograder.checks.base.register_hints`; each check table imports the hint module of its
student module, so its hints exist whenever the table is used.
"""
from autograder.hints import convolution, layers, optim, regularization

__all__ = ["convolution", "layers", "optim", "regularization"]
