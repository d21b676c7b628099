"""function: affine_forward
hint: none
message: out[
also: affine_backward

x flattened column-major (order="F"), consistently in both passes: the forward output is
wrong for images, and dw (x_flat.T @ dout) with it.
"""
import numpy as np


def affine_forward(x, w, b):
    """x flattened row-major to (N, D), then x @ w + b."""
    n = x.shape[0]
    x_flat = x.reshape(n, -1, order="F")
    if x_flat.shape[1] != w.shape[0]:
        raise ValueError(f"x has {x_flat.shape[1]} features but w has {w.shape[0]} rows")
    return x_flat @ w + b, (x, w, b)


def affine_backward(dout, cache):
    """dx reshaped back to x's shape."""
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1, order="F")
    dx = (dout @ w.T).reshape(x.shape, order="F")
    dw = x_flat.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
