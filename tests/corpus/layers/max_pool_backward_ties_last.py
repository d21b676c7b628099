"""function: max_pool_backward
hint: max_pool_backward.ties_last
message: dx[

The argmax of the reversed window: ties go to the last maximum.
"""
import numpy as np


def max_pool_forward(x, pool_size=2, stride=None):
    """A loop over output pixels; the cache keeps x to find each window's maximum again."""
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
            out[:, i, j, :] = x[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :].max(axis=(1, 2))
    return out, (x, (ph, pw), (sh, sw))


def max_pool_backward(dout, cache):
    """Each window's gradient goes to its first maximum (np.argmax of the flattened window)."""
    x, (ph, pw), (sh, sw) = cache
    n, h, w, c = x.shape
    _, h_out, w_out, _ = dout.shape
    dx = np.zeros_like(x)
    nn, cc = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :]
            flat = window.transpose(0, 3, 1, 2).reshape(n, c, ph * pw)
            p, q = np.divmod(ph * pw - 1 - flat[..., ::-1].argmax(axis=2), pw)
            dx[nn, i * sh + p, j * sw + q, cc] += dout[:, i, j, :]
    return dx
