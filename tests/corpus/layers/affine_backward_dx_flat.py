"""function: affine_backward
hint: affine_backward.dx_flat
message: dx has shape

dx is left flat, (N, D), instead of x's shape.
"""
import numpy as np


def affine_forward(x, w, b):
    """x flattened row-major to (N, D), then x @ w + b."""
    n = x.shape[0]
    x_flat = x.reshape(n, -1)
    if x_flat.shape[1] != w.shape[0]:
        raise ValueError(f"x has {x_flat.shape[1]} features but w has {w.shape[0]} rows")
    return x_flat @ w + b, (x, w, b)


def affine_backward(dout, cache):
    """dx reshaped back to x's shape."""
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    dx = dout @ w.T
    dw = x_flat.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
