"""function: relu_backward
hint: none
message: modified its argument dout

dout[x <= 0] = 0 zeroes the upstream gradient in place and returns it.
"""
import numpy as np


def relu_forward(x):
    """max(x, 0); the cache is x."""
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    """The gradient flows where x > 0."""
    x = cache
    dout[x <= 0] = 0
    return dout
