"""function: relu_backward
hint: relu_backward.ge_zero
message: dx[

x >= 0 instead of x > 0: relu'(0) = 1.
"""
import numpy as np


def relu_forward(x):
    """max(x, 0), float64 for integer x; the cache is x."""
    out = np.maximum(x, 0)
    return (out if out.dtype.kind == "f" else out.astype(np.float64)), x


def relu_backward(dout, cache):
    """The gradient flows where x > 0."""
    x = cache
    return dout * (x >= 0)
