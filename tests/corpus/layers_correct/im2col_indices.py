"""A correct layers.py built on im2col with explicit index arrays (CS231n style, NHWC).

Every window element is addressed by integer index arrays (rows, cols); the forward pass
gathers with fancy indexing, the backward pass scatters with np.add.at. Pooling reuses the
same indices per channel.
"""
import numpy as np


def _float(*arrays):
    dtype = np.result_type(*arrays)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _pair(value, name):
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or min(pair) < 1:
        raise ValueError(f"{name} must be a positive int or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _indices(h, w, hh, ww, sh, sw):
    """rows, cols: (H_out*W_out, HH*WW) index arrays of every window element."""
    h_out, w_out = (h - hh) // sh + 1, (w - ww) // sw + 1
    top = (np.arange(h_out) * sh).repeat(w_out)          # (H_out*W_out,)
    left = np.tile(np.arange(w_out) * sw, h_out)
    dr, dc = np.arange(hh).repeat(ww), np.tile(np.arange(ww), hh)   # (HH*WW,) row-major
    return top[:, None] + dr[None, :], left[:, None] + dc[None, :], h_out, w_out


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    x = np.asarray(x)
    return np.pad(x.astype(_float(x)), [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode="constant")


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    n, h, wd, c = x.shape
    hh, ww, c_w, f = w.shape
    if c_w != c:
        raise ValueError(f"shape mismatch: x has {c} channels, w has {c_w}")
    if hh > h + 2 * pad or ww > wd + 2 * pad:
        raise ValueError("filter w is larger than the padded input x")
    dtype = _float(x, w, b)
    xp = zero_pad(x, pad).astype(dtype, copy=False)
    rows, cols, h_out, w_out = _indices(h + 2 * pad, wd + 2 * pad, hh, ww, stride, stride)
    patches = xp[:, rows, cols, :]                          # (N, P, HH*WW, C)
    col = patches.reshape(n * h_out * w_out, hh * ww * c)
    out = col @ w.reshape(hh * ww * c, f).astype(dtype) + b.astype(dtype)
    return out.reshape(n, h_out, w_out, f), (col, x.shape, w.astype(dtype), stride, pad)


def conv_backward(dout, cache):
    col, x_shape, w, stride, pad = cache
    n, h, wd, c = x_shape
    hh, ww, _, f = w.shape
    dtype = _float(dout, w)
    g = dout.reshape(-1, f).astype(dtype)
    dw = (col.T @ g).reshape(w.shape)
    db = g.sum(axis=0)
    dcol = (g @ w.reshape(-1, f).T).reshape(n, -1, hh * ww, c)
    rows, cols, _, _ = _indices(h + 2 * pad, wd + 2 * pad, hh, ww, stride, stride)
    dxp = np.zeros((n, h + 2 * pad, wd + 2 * pad, c), dtype=dtype)
    np.add.at(dxp, (slice(None), rows, cols, slice(None)), dcol)
    return dxp[:, pad:pad + h, pad:pad + wd, :], dw, db


def _pool_patches(x, pool_size, stride):
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _pair(stride, "stride")
    n, h, w, c = x.shape
    if ph > h or pw > w:
        raise ValueError(f"the pool window {ph}x{pw} is larger than the {h}x{w} input")
    rows, cols, h_out, w_out = _indices(h, w, ph, pw, sh, sw)
    return x[:, rows, cols, :], (rows, cols, h_out, w_out, ph * pw)


def max_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x)
    x = x.astype(_float(x), copy=False)
    patches, geo = _pool_patches(x, pool_size, stride)     # (N, P, K, C)
    arg = patches.argmax(axis=2)                           # first maximum, row-major
    out = np.take_along_axis(patches, arg[:, :, None, :], axis=2)[:, :, 0, :]
    rows, cols, h_out, w_out, _ = geo
    return out.reshape(x.shape[0], h_out, w_out, x.shape[3]), (x.shape, x.dtype, arg, geo)


def max_pool_backward(dout, cache):
    shape, dtype, arg, (rows, cols, h_out, w_out, k) = cache
    n, _, _, c = shape
    g = dout.reshape(n, h_out * w_out, c)
    dpatches = np.zeros((n, h_out * w_out, k, c), dtype=_float(dout, np.empty(0, dtype)))
    np.put_along_axis(dpatches, arg[:, :, None, :], g[:, :, None, :], axis=2)
    dx = np.zeros(shape, dtype=dpatches.dtype)
    np.add.at(dx, (slice(None), rows, cols, slice(None)), dpatches)
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x)
    x = x.astype(_float(x), copy=False)
    patches, geo = _pool_patches(x, pool_size, stride)
    rows, cols, h_out, w_out, _ = geo
    out = patches.mean(axis=2).reshape(x.shape[0], h_out, w_out, x.shape[3])
    return out, (x.shape, x.dtype, geo)


def avg_pool_backward(dout, cache):
    shape, dtype, (rows, cols, h_out, w_out, k) = cache
    n, _, _, c = shape
    dtype = _float(dout, np.empty(0, dtype))
    g = (dout.reshape(n, h_out * w_out, 1, c) / k).astype(dtype)
    dx = np.zeros(shape, dtype=dtype)
    np.add.at(dx, (slice(None), rows, cols, slice(None)), np.broadcast_to(g, (n, h_out * w_out, k, c)))
    return dx


def relu_forward(x):
    x = np.asarray(x)
    mask = x > 0
    return (x * mask).astype(_float(x)), mask


def relu_backward(dout, cache):
    mask = cache
    return (dout * mask).astype(_float(dout))


def affine_forward(x, w, b):
    x2 = np.reshape(x, (len(x), -1))
    if x2.shape[1] != w.shape[0]:
        raise ValueError(f"shape mismatch: x flattens to D = {x2.shape[1]}, w has {w.shape[0]} rows")
    return x2 @ w + b, (x2, w, np.shape(x))


def affine_backward(dout, cache):
    x2, w, shape = cache
    return (dout @ w.T).reshape(shape), x2.T @ dout, dout.sum(axis=0)


def softmax(scores):
    z = scores - np.max(scores, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_cross_entropy(scores, y):
    y = np.asarray(y)
    if y.shape != (scores.shape[0],):
        raise ValueError(f"y must have shape ({scores.shape[0]},), got {y.shape}")
    z = scores - np.max(scores, axis=1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    n = scores.shape[0]
    onehot = np.zeros_like(log_p)
    onehot[np.arange(n), y] = 1
    return -np.sum(log_p * onehot) / n, (np.exp(log_p) - onehot) / n
