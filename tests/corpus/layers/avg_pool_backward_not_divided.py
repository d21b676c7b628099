"""function: avg_pool_backward
hint: avg_pool_backward.not_divided
message: dx[

Every element gets the whole dout instead of dout / (ph * pw).
"""
import numpy as np


def avg_pool_forward(x, pool_size=2, stride=None):
    """A loop over output pixels."""
    ph, pw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    if stride is None:
        sh, sw = ph, pw
    else:
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if sh < 1 or sw < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    n, h, w, c = x.shape
    if ph > h or pw > w:
        raise ValueError(f"pool_size {ph}x{pw} is larger than the input {h}x{w}")
    h_out, w_out = (h - ph) // sh + 1, (w - pw) // sw + 1
    out = np.zeros((n, h_out, w_out, c), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            out[:, i, j, :] = x[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :].mean(axis=(1, 2))
    return out, (x.shape, (ph, pw), (sh, sw))


def avg_pool_backward(dout, cache):
    """Every element of a window gets an equal share of the window's gradient."""
    x_shape, (ph, pw), (sh, sw) = cache
    _, h_out, w_out, _ = dout.shape
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for i in range(h_out):
        for j in range(w_out):
            share = dout[:, i:i + 1, j:j + 1, :]
            dx[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :] += share
    return dx
