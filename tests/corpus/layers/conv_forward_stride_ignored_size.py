"""function: conv_forward
hint: conv_forward.stride_ignored
message: out has shape

The stride is ignored altogether: the output is the stride-1 output.
"""
import numpy as np


def conv_forward(x, w, b, stride=1, pad=0):
    """A loop over output pixels, vectorised over the batch and the filters."""
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    n, h, wd, c = x.shape
    hh, ww, wc, f = w.shape
    if wc != c:
        raise ValueError(f"w expects {wc} channels but x has {c}")
    if hh > h + 2 * pad or ww > wd + 2 * pad:
        raise ValueError("the filter w is larger than the padded input")
    h_out = h + 2 * pad - hh + 1
    w_out = wd + 2 * pad - ww + 1
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    out = np.zeros((n, h_out, w_out, f), dtype=np.result_type(x, w, b))
    for i in range(h_out):
        for j in range(w_out):
            window = x_pad[:, i:i + hh, j:j + ww, :]
            out[:, i, j, :] = np.tensordot(window, w, axes=([1, 2, 3], [0, 1, 2])) + b
    return out, (x, w, b, stride, pad)


def conv_backward(dout, cache):
    """The same loop; each window's gradient is added back where the window came from."""
    x, w, b, stride, pad = cache
    n, h, wd, c = x.shape
    hh, ww, _, f = w.shape
    _, h_out, w_out, _ = dout.shape
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for i in range(h_out):
        for j in range(w_out):
            rows = slice(i * stride, i * stride + hh)
            cols = slice(j * stride, j * stride + ww)
            g = dout[:, i, j, :]
            dw += np.tensordot(x_pad[:, rows, cols, :], g, axes=([0], [0]))
            dx_pad[:, rows, cols, :] += np.tensordot(g, w, axes=([1], [3]))
    db = dout.sum(axis=(0, 1, 2))
    dx = dx_pad[:, pad:pad + h, pad:pad + wd, :]
    return dx, dw, db
