"""function: relu_backward
hint: none
message: modified its argument dout

dout[x <= 0] = 0 zeroes the upstream gradient in place and returns it.
"""
import numpy as np


def relu_forward(x):
    """max(x, 0), float64 for integer x; the cache is x."""
    out = np.maximum(x, 0)
    return (out if out.dtype.kind == "f" else out.astype(np.float64)), x


def relu_backward(dout, cache):
    """The gradient flows where x > 0."""
    x = cache
    dout[x <= 0] = 0
    return dout
