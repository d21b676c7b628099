"""function: relu_forward
hint: none
message: modified its argument x

x[x < 0] = 0 writes into the caller's array.
"""
import numpy as np


def relu_forward(x):
    """max(x, 0); the cache is x."""
    x[x < 0] = 0
    return x, x


def relu_backward(dout, cache):
    """The gradient flows where x > 0."""
    x = cache
    return dout * (x > 0)
