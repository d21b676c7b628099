"""A correct layers.py that computes in the inputs' own precision throughout.

Every array is cast once to the result dtype (float32 stays float32: no float64 temporary,
no Python-float accumulator), every reduction names that dtype, and the conv layer adds one
filter tap at a time: out += x_pad[:, p::s, q::s, :] @ w[p, q], a different summation order
from the reference's single matmul.
"""
import numpy as np


def _dt(*arrays):
    dt = np.result_type(*arrays)
    return dt if np.issubdtype(dt, np.floating) else np.dtype(np.float64)


def _as_pair(v, what):
    h, w = (v if isinstance(v, (tuple, list)) else (v, v))
    if not (h >= 1 and w >= 1):
        raise ValueError(f"{what} must be >= 1, got {v}")
    return h, w


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError(f"negative pad={pad}")
    dt = _dt(x)
    n, h, w, c = x.shape
    out = np.zeros((n, h + 2 * pad, w + 2 * pad, c), dtype=dt)
    out[:, pad:pad + h, pad:pad + w] = x.astype(dt, copy=False)
    return out


def _taps(h_out, w_out, stride, p, q):
    return (slice(p, p + stride * (h_out - 1) + 1, stride), slice(q, q + stride * (w_out - 1) + 1, stride))


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError(f"invalid stride={stride}")
    if pad < 0:
        raise ValueError(f"invalid pad={pad}")
    n, h, wd, c = x.shape
    hh, ww, cw, f = w.shape
    if cw != c:
        raise ValueError(f"x has C={c} channels, w has {cw}")
    if hh > h + 2 * pad or ww > wd + 2 * pad:
        raise ValueError(f"filter {hh}x{ww} larger than padded input {h + 2 * pad}x{wd + 2 * pad}")
    dt = _dt(x, w, b)
    xp, w = zero_pad(x.astype(dt, copy=False), pad), w.astype(dt, copy=False)
    h_out, w_out = (h + 2 * pad - hh) // stride + 1, (wd + 2 * pad - ww) // stride + 1
    out = np.empty((n, h_out, w_out, f), dtype=dt)
    out[...] = b.astype(dt, copy=False)
    for p in range(hh):
        for q in range(ww):
            rows, cols = _taps(h_out, w_out, stride, p, q)
            out += xp[:, rows, cols, :] @ w[p, q]
    return out, (xp, w, stride, pad)


def conv_backward(dout, cache):
    xp, w, stride, pad = cache
    dt = _dt(dout, w)
    dout = dout.astype(dt, copy=False)
    hh, ww, c, f = w.shape
    n, h_out, w_out, _ = dout.shape
    g = dout.reshape(-1, f)
    dxp = np.zeros(xp.shape, dtype=dt)
    dw = np.empty(w.shape, dtype=dt)
    for p in range(hh):
        for q in range(ww):
            rows, cols = _taps(h_out, w_out, stride, p, q)
            dw[p, q] = xp[:, rows, cols, :].reshape(-1, c).T @ g
            dxp[:, rows, cols, :] += dout @ w[p, q].T
    db = dout.sum(axis=(0, 1, 2), dtype=dt)
    h, wd = xp.shape[1] - 2 * pad, xp.shape[2] - 2 * pad
    return dxp[:, pad:pad + h, pad:pad + wd, :], dw, db


def _geometry(x, pool_size, stride):
    ph, pw = _as_pair(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _as_pair(stride, "stride")
    if ph > x.shape[1] or pw > x.shape[2]:
        raise ValueError(f"pool_size {ph}x{pw} does not fit the {x.shape[1]}x{x.shape[2]} input")
    return ph, pw, sh, sw, (x.shape[1] - ph) // sh + 1, (x.shape[2] - pw) // sw + 1


def max_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw, h_out, w_out = _geometry(x, pool_size, stride)
    x = x.astype(_dt(x), copy=False)
    best = np.full((x.shape[0], h_out, w_out, x.shape[3]), -np.inf, dtype=x.dtype)
    where = np.zeros(best.shape, dtype=np.int32)
    for k in range(ph * pw):                    # row-major; '>' keeps the first maximum
        p, q = divmod(k, pw)
        tap = x[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw]
        better = tap > best
        best = np.where(better, tap, best)
        where = np.where(better, k, where)
    return best, (x.shape, x.dtype, where, (ph, pw, sh, sw))


def max_pool_backward(dout, cache):
    shape, dtype, where, (ph, pw, sh, sw) = cache
    dt = _dt(dout, np.empty(0, dtype))
    dout = dout.astype(dt, copy=False)
    h_out, w_out = where.shape[1:3]
    dx = np.zeros(shape, dtype=dt)
    zero = np.zeros((), dtype=dt)
    for k in range(ph * pw):
        p, q = divmod(k, pw)
        dx[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw] += np.where(where == k, dout, zero)
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw, h_out, w_out = _geometry(x, pool_size, stride)
    x = x.astype(_dt(x), copy=False)
    total = np.zeros((x.shape[0], h_out, w_out, x.shape[3]), dtype=x.dtype)
    for p in range(ph):
        for q in range(pw):
            total += x[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw]
    return total / x.dtype.type(ph * pw), (x.shape, x.dtype, (ph, pw, sh, sw))


def avg_pool_backward(dout, cache):
    shape, dtype, (ph, pw, sh, sw) = cache
    dt = _dt(dout, np.empty(0, dtype))
    share = dout.astype(dt, copy=False) / dt.type(ph * pw)
    h_out, w_out = dout.shape[1:3]
    dx = np.zeros(shape, dtype=dt)
    for p in range(ph):
        for q in range(pw):
            dx[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw] += share
    return dx


def relu_forward(x):
    dt = _dt(x)
    return np.maximum(x.astype(dt, copy=False), dt.type(0)), x


def relu_backward(dout, cache):
    dt = _dt(dout, cache)
    return np.where(cache > 0, dout.astype(dt, copy=False), dt.type(0))


def affine_forward(x, w, b):
    dt = _dt(x, w, b)
    flat = x.reshape(x.shape[0], -1).astype(dt, copy=False)
    if flat.shape[1] != w.shape[0]:
        raise ValueError(f"x has {flat.shape[1]} features per row but w has shape {w.shape}")
    w = w.astype(dt, copy=False)
    return flat @ w + b.astype(dt, copy=False), (flat, w, x.shape)


def affine_backward(dout, cache):
    flat, w, shape = cache
    dt = _dt(dout, w)
    dout = dout.astype(dt, copy=False)
    return (dout @ w.T).reshape(shape), flat.T @ dout, dout.sum(axis=0, dtype=dt)


def softmax(scores):
    dt = _dt(scores)
    s = scores.astype(dt, copy=False)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True, dtype=dt)


def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    if len(y) != n:
        raise ValueError(f"y has {len(y)} labels, scores has {n} rows")
    dt = _dt(scores)
    s = scores.astype(dt, copy=False)
    z = s - s.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True, dtype=dt))
    rows = np.arange(n)
    loss = -log_p[rows, y].sum(dtype=dt) / dt.type(n)
    d = np.exp(log_p)
    d[rows, y] -= dt.type(1)
    return loss, d / dt.type(n)
