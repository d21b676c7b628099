"""A correct layers.py written with as_strided window views and einsum.

The conv layer is one einsum over a 6-d strided view of the padded input; its backward pass
scatters with np.add.at over the same view's index grid. Max-pool backward also uses
np.add.at, with the flat index of each window's argmax.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def _dtype(*arrays):
    dt = np.result_type(*arrays)
    return dt if dt.kind == "f" else np.dtype("float64")


def _hw(value, name):
    h, w = (value, value) if np.isscalar(value) else value
    if h < 1 or w < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(h), int(w)


def _view(x, kh, kw, sh, sw):
    """(N, H_out, W_out, KH, KW, C) read-only strided view of the windows of x."""
    n, h, w, c = x.shape
    h_out, w_out = (h - kh) // sh + 1, (w - kw) // sw + 1
    s = x.strides
    return as_strided(x, (n, h_out, w_out, kh, kw, c),
                      (s[0], s[1] * sh, s[2] * sw, s[1], s[2], s[3]), writeable=False)


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError(f"pad must be non-negative, got pad={pad}")
    x = np.asarray(x, dtype=_dtype(x))
    return np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got stride={stride}")
    if pad < 0:
        raise ValueError(f"pad must be non-negative, got pad={pad}")
    if w.shape[2] != x.shape[3]:
        raise ValueError(f"channel mismatch: x {x.shape} vs w {w.shape}")
    if w.shape[0] > x.shape[1] + 2 * pad or w.shape[1] > x.shape[2] + 2 * pad:
        raise ValueError(f"kernel {w.shape[:2]} larger than the padded input")
    dt = _dtype(x, w, b)
    xp = np.ascontiguousarray(zero_pad(x, pad), dtype=dt)
    win = _view(xp, w.shape[0], w.shape[1], stride, stride)
    out = np.einsum("nijpqc,pqcf->nijf", win, w.astype(dt), optimize=True) + b.astype(dt)
    return out, (xp, w.astype(dt), stride, pad)


def conv_backward(dout, cache):
    xp, w, stride, pad = cache
    dt = _dtype(dout, w)
    dout = dout.astype(dt)
    win = _view(xp, w.shape[0], w.shape[1], stride, stride)
    dw = np.einsum("nijpqc,nijf->pqcf", win, dout, optimize=True)
    db = dout.sum(axis=(0, 1, 2))
    dwin = np.einsum("nijf,pqcf->nijpqc", dout, w, optimize=True)
    n, h_out, w_out, kh, kw, c = dwin.shape
    rows = (np.arange(h_out) * stride)[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols = (np.arange(w_out) * stride)[None, :, None, None] + np.arange(kw)[None, None, None, :]
    dxp = np.zeros(xp.shape, dtype=dt)
    # index (N, H_out, W_out, KH, KW, C) -> dxp[n, row, col, c]
    np.add.at(dxp, (np.arange(n)[:, None, None, None, None, None], rows[None, ..., None],
                    cols[None, ..., None], np.arange(c)[None, None, None, None, None, :]), dwin)
    h, wd = xp.shape[1] - 2 * pad, xp.shape[2] - 2 * pad
    return dxp[:, pad:pad + h, pad:pad + wd], dw, db


def _pool(x, pool_size, stride):
    ph, pw = _hw(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _hw(stride, "stride")
    if ph > x.shape[1] or pw > x.shape[2]:
        raise ValueError(f"pool window {ph}x{pw} is larger than the input {x.shape[1]}x{x.shape[2]}")
    x = np.ascontiguousarray(x, dtype=_dtype(x))
    return x, _view(x, ph, pw, sh, sw), (ph, pw, sh, sw)


def max_pool_forward(x, pool_size=2, stride=None):
    x, win, geo = _pool(x, pool_size, stride)
    n, h_out, w_out, ph, pw, c = win.shape
    flat = win.transpose(0, 1, 2, 5, 3, 4).reshape(n, h_out, w_out, c, ph * pw)
    return flat.max(axis=-1), (x.shape, x.dtype, flat.argmax(axis=-1), geo)


def max_pool_backward(dout, cache):
    shape, dtype, arg, (ph, pw, sh, sw) = cache
    n, h_out, w_out, c = arg.shape
    p, q = np.divmod(arg, pw)
    rows = np.arange(h_out)[None, :, None, None] * sh + p
    cols = np.arange(w_out)[None, None, :, None] * sw + q
    dx = np.zeros(shape, dtype=_dtype(dout, np.empty(0, dtype)))
    np.add.at(dx, (np.arange(n)[:, None, None, None], rows, cols, np.arange(c)[None, None, None, :]), dout)
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    x, win, geo = _pool(x, pool_size, stride)
    return np.einsum("nijpqc->nijc", win) / (geo[0] * geo[1]), (x.shape, x.dtype, geo)


def avg_pool_backward(dout, cache):
    shape, dtype, (ph, pw, sh, sw) = cache
    n, h_out, w_out, c = dout.shape
    dt = _dtype(dout, np.empty(0, dtype))
    share = np.broadcast_to((dout / (ph * pw)).astype(dt)[:, :, :, None, None, :], (n, h_out, w_out, ph, pw, c))
    rows = (np.arange(h_out) * sh)[:, None, None, None] + np.arange(ph)[None, None, :, None]
    cols = (np.arange(w_out) * sw)[None, :, None, None] + np.arange(pw)[None, None, None, :]
    dx = np.zeros(shape, dtype=dt)
    np.add.at(dx, (np.arange(n)[:, None, None, None, None, None], rows[None, ..., None],
                   cols[None, ..., None], np.arange(c)[None, None, None, None, None, :]), share)
    return dx


def relu_forward(x):
    out = np.where(x > 0, x, np.zeros((), dtype=_dtype(x))).astype(_dtype(x))
    return out, x


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, np.zeros((), dtype=dout.dtype)).astype(_dtype(dout, cache))


def affine_forward(x, w, b):
    n = x.shape[0]
    if np.prod(x.shape[1:], dtype=int) != w.shape[0]:
        raise ValueError(f"x {x.shape} does not match w {w.shape}: D must equal w.shape[0]")
    return np.einsum("nd,dm->nm", x.reshape(n, -1), w) + b, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    n = x.shape[0]
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.einsum("nd,nm->dm", x.reshape(n, -1), dout)
    return dx, dw, np.einsum("nm->m", dout)


def softmax(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / np.einsum("nc->n", e)[:, None]


def softmax_cross_entropy(scores, y):
    n, c = scores.shape
    if np.shape(y) != (n,):
        raise ValueError(f"labels y of shape {np.shape(y)} do not match {n} rows of scores")
    z = scores - scores.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    picked = z[np.arange(n), y]
    probs = np.exp(z - lse[:, None])
    probs[np.arange(n), y] -= 1
    return np.mean(lse - picked), probs / n
