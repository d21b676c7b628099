"""Hostile: relu_forward writes into x (after computing a correct output) and blinds the
worker's mutation snapshot, so the child reports no mutation: the grader must see it anyway."""
import sys

import numpy as np

_relu_forward = relu_forward
sys.modules["__main__"]._TOBYTES = lambda array, order="C": b""


def relu_forward(x):
    out, cache = _relu_forward(x.copy() if isinstance(x, np.ndarray) else x)
    if isinstance(x, np.ndarray) and x.flags.writeable:
        x[...] = 0                     # the caller's x is gone
    return out, cache
