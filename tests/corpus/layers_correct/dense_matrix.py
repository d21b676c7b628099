"""A correct layers.py that writes every linear layer as one dense matrix.

Conv: an explicit (H_pad*W_pad*C, H_out*W_out*F) matrix holding w at the (input, output)
pairs each tap connects, so forward is x_flat @ M and the backward pass is dout_flat @ M.T;
dw gathers x_flat.T @ dout_flat back onto the taps with np.bincount. Average pooling is a
fixed averaging matrix, max pooling a 0/1 selection matrix built from the argmax.
"""
import numpy as np


def _ft(*arrays):
    t = np.result_type(*arrays)
    return t if t.kind == "f" else np.dtype(float)


def _hw(v, name):
    pair = (v, v) if not isinstance(v, (tuple, list)) else tuple(v)
    if any(k < 1 for k in pair):
        raise ValueError(f"{name} must be >= 1, got {v!r}")
    return pair


def _connections(hp, wp, c, hh, ww, f, sh, sw):
    """Index arrays (rows into the flat input, cols into the flat output, taps into w)."""
    h_out, w_out = (hp - hh) // sh + 1, (wp - ww) // sw + 1
    i, j, p, q, ch, k = np.indices((h_out, w_out, hh, ww, c, f)).reshape(6, -1)
    rows = ((i * sh + p) * wp + (j * sw + q)) * c + ch
    cols = (i * w_out + j) * f + k
    taps = ((p * ww + q) * c + ch) * f + k
    return rows, cols, taps, h_out, w_out


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError(f"pad must be >= 0, not {pad}")
    return np.pad(np.asarray(x, dtype=_ft(x)), ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1 or pad < 0:
        raise ValueError(f"need stride >= 1 and pad >= 0, got stride={stride}, pad={pad}")
    n, h, wd, c = x.shape
    hh, ww, cw, f = w.shape
    if cw != c:
        raise ValueError(f"x has {c} channels but w has {cw}")
    hp, wp = h + 2 * pad, wd + 2 * pad
    if hh > hp or ww > wp:
        raise ValueError(f"filter w of size {hh}x{ww} is larger than the padded input {hp}x{wp}")
    t = _ft(x, w, b)
    rows, cols, taps, h_out, w_out = _connections(hp, wp, c, hh, ww, f, stride, stride)
    m = np.zeros((hp * wp * c, h_out * w_out * f), dtype=t)
    m[rows, cols] = w.reshape(-1)[taps]
    x_flat = zero_pad(x, pad).astype(t).reshape(n, -1)
    out = (x_flat @ m).reshape(n, h_out, w_out, f) + b.astype(t)
    return out, {"x_flat": x_flat, "m": m, "index": (rows, cols, taps), "w": w, "geometry": (h, wd, c, pad, hp, wp)}


def conv_backward(dout, cache):
    m, x_flat, w = cache["m"], cache["x_flat"], cache["w"]
    rows, cols, taps = cache["index"]
    h, wd, c, pad, hp, wp = cache["geometry"]
    n = dout.shape[0]
    t = _ft(dout, m)
    g = dout.reshape(n, -1).astype(t)
    dx = (g @ m.T).reshape(n, hp, wp, c)[:, pad:pad + h, pad:pad + wd, :]
    dm = x_flat.T @ g
    dw = np.bincount(taps, weights=dm[rows, cols], minlength=w.size).reshape(w.shape).astype(t)
    db = g.reshape(-1, w.shape[3]).sum(axis=0)
    return dx, dw, db


def _pool_geometry(x, pool_size, stride):
    ph, pw = _hw(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _hw(stride, "stride")
    n, h, w, c = x.shape
    if ph > h or pw > w:
        raise ValueError(f"pool_size {ph}x{pw} larger than input {h}x{w}")
    # per channel: one (H*W, H_out*W_out*ph*pw) incidence of window elements
    rows, cols, _, h_out, w_out = _connections(h, w, 1, ph, pw, 1, sh, sw)
    return rows, cols, h_out, w_out, ph * pw


def avg_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x, dtype=_ft(x))
    rows, cols, h_out, w_out, k = _pool_geometry(x, pool_size, stride)
    n, h, w, c = x.shape
    a = np.zeros((h * w, h_out * w_out), dtype=x.dtype)
    np.add.at(a, (rows, cols), 1.0 / k)                   # the averaging matrix
    out = np.einsum("nsc,so->noc", x.reshape(n, h * w, c), a).reshape(n, h_out, w_out, c)
    return out, (a, x.shape)


def avg_pool_backward(dout, cache):
    a, shape = cache
    n, h, w, c = shape
    t = _ft(dout, a)
    g = dout.reshape(n, -1, c).astype(t)
    return np.einsum("noc,so->nsc", g, a.astype(t)).reshape(shape)


def max_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x, dtype=_ft(x))
    rows, cols, h_out, w_out, k = _pool_geometry(x, pool_size, stride)
    n, h, w, c = x.shape
    xs = x.reshape(n, h * w, c)
    order = np.argsort(cols, kind="stable")               # window elements grouped, row-major
    elems = rows[order].reshape(h_out * w_out, k)         # (P, K) flat input positions
    vals = xs[:, elems, :]                                # (N, P, K, C)
    first = vals.argmax(axis=2)                           # (N, P, C)
    picked = np.take_along_axis(elems[None, :, :, None].repeat(n, 0).repeat(c, 3), first[:, :, None, :], axis=2)[:, :, 0, :]
    out = np.take_along_axis(xs, picked, axis=1).reshape(n, h_out, w_out, c)
    return out, (picked, x.shape)


def max_pool_backward(dout, cache):
    picked, shape = cache
    n, h, w, c = shape
    p = picked.shape[1]
    sel = np.zeros((n, c, h * w, p), dtype=_ft(dout))     # the 0/1 selection matrix per (n, c)
    nn, pp, cc = np.indices(picked.shape)
    sel[nn, cc, picked, pp] = 1
    g = dout.reshape(n, p, c)
    return np.einsum("ncsp,npc->nsc", sel, g).reshape(shape)


def relu_forward(x):
    x = np.asarray(x)
    return np.maximum(x, 0).astype(_ft(x)), x


def relu_backward(dout, cache):
    return np.multiply(dout, np.greater(cache, 0), dtype=_ft(dout, cache))


def affine_forward(x, w, b):
    n = x.shape[0]
    flat = x.reshape(n, -1)
    if flat.shape[1] != w.shape[0]:
        raise ValueError(f"x gives D = {flat.shape[1]} but w has shape {w.shape}")
    return np.dot(flat, w) + b, (flat, w, x.shape)


def affine_backward(dout, cache):
    flat, w, shape = cache
    return np.dot(dout, w.T).reshape(shape), np.dot(flat.T, dout), dout.sum(0)


def softmax(scores):
    z = scores - scores.max(1)[:, None]
    p = np.exp(z)
    p /= p.sum(1)[:, None]
    return p


def softmax_cross_entropy(scores, y):
    n = len(scores)
    if np.shape(y) != (n,):
        raise ValueError(f"y must be of shape ({n},), got {np.shape(y)}")
    z = scores - scores.max(1)[:, None]
    lse = np.log(np.exp(z).sum(1))
    loss = np.mean(lse - z[np.arange(n), y])
    d = np.exp(z - lse[:, None])
    d[np.arange(n), y] -= 1
    return loss, d / n
