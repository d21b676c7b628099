"""A correct layers.py whose caches are objects: dataclasses, a dict, a small class.

The conv layer loops over output rows only, each row one tensordot over a
sliding_window_view; its backward pass mirrors that loop. Pooling caches are dicts.
"""
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _result(*arrays):
    dtype = np.result_type(*arrays)
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


@dataclass(frozen=True)
class ConvCache:
    x_pad: np.ndarray
    w: np.ndarray
    stride: int
    pad: int
    x_shape: tuple


@dataclass
class AffineCache:
    x: np.ndarray
    w: np.ndarray

    @property
    def flat(self):
        return self.x.reshape(self.x.shape[0], -1)


class ReluCache:
    __slots__ = ("positive",)

    def __init__(self, x):
        self.positive = x > 0


def zero_pad(x, pad):
    if not pad >= 0:
        raise ValueError(f"pad must be >= 0 (got {pad})")
    x = np.asarray(x)
    widths = [(0, 0), (pad, pad), (pad, pad), (0, 0)]
    return np.pad(x.astype(_result(x), copy=False), widths)


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError(f"stride must be >= 1 (got {stride})")
    if pad < 0:
        raise ValueError(f"pad must be >= 0 (got {pad})")
    if x.ndim != 4 or w.ndim != 4 or x.shape[3] != w.shape[2]:
        raise ValueError(f"x {x.shape} and w {w.shape} disagree on the number of channels C")
    hh, ww, _, f = w.shape
    if hh > x.shape[1] + 2 * pad or ww > x.shape[2] + 2 * pad:
        raise ValueError(f"the {hh}x{ww} filter w does not fit in the padded input")
    dt = _result(x, w, b)
    x_pad = zero_pad(x, pad).astype(dt, copy=False)
    w = w.astype(dt, copy=False)
    h_out = (x_pad.shape[1] - hh) // stride + 1
    w_out = (x_pad.shape[2] - ww) // stride + 1
    out = np.empty((x.shape[0], h_out, w_out, f), dtype=dt)
    for i in range(h_out):
        band = x_pad[:, i * stride:i * stride + hh]                      # (N, HH, W_pad, C)
        win = sliding_window_view(band, ww, axis=2)[:, :, ::stride][:, :, :w_out]  # (N, HH, W_out, C, WW)
        out[:, i] = np.tensordot(win, w, axes=([1, 4, 3], [0, 1, 2])) + b.astype(dt, copy=False)
    return out, ConvCache(x_pad, w, stride, pad, x.shape)


def conv_backward(dout, cache):
    hh, ww, c, f = cache.w.shape
    s, pad = cache.stride, cache.pad
    n, h, wd, _ = cache.x_shape
    dt = _result(dout, cache.w)
    dout = dout.astype(dt, copy=False)
    dx_pad = np.zeros(cache.x_pad.shape, dtype=dt)
    dw = np.zeros(cache.w.shape, dtype=dt)
    w_out = dout.shape[2]
    for i in range(dout.shape[1]):
        band = cache.x_pad[:, i * s:i * s + hh]
        win = sliding_window_view(band, ww, axis=2)[:, :, ::s][:, :, :w_out]   # (N, HH, W_out, C, WW)
        g = dout[:, i]                                                       # (N, W_out, F)
        dw += np.tensordot(win, g, axes=([0, 2], [0, 1])).transpose(0, 2, 1, 3)  # (HH, C, WW, F) -> (HH, WW, C, F)
        dwin = np.tensordot(g, cache.w, axes=([2], [3]))                      # (N, W_out, HH, WW, C)
        for j in range(w_out):
            dx_pad[:, i * s:i * s + hh, j * s:j * s + ww] += dwin[:, j]
    return dx_pad[:, pad:pad + h, pad:pad + wd], dw, dout.sum(axis=(0, 1, 2))


def _pool_cache(x, pool_size, stride):
    size = tuple(pool_size) if isinstance(pool_size, (tuple, list)) else (pool_size, pool_size)
    step = size if stride is None else (tuple(stride) if isinstance(stride, (tuple, list)) else (stride, stride))
    if min(step) < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    if min(size) < 1 or size[0] > x.shape[1] or size[1] > x.shape[2]:
        raise ValueError(f"pool_size {size} must fit in the input of size {x.shape[1:3]}")
    out_hw = ((x.shape[1] - size[0]) // step[0] + 1, (x.shape[2] - size[1]) // step[1] + 1)
    return {"x": x, "size": size, "step": step, "out_hw": out_hw}


def _windows(cache):
    (ph, pw), (sh, sw), (h_out, w_out) = cache["size"], cache["step"], cache["out_hw"]
    view = sliding_window_view(cache["x"], (ph, pw), axis=(1, 2))[:, ::sh, ::sw]
    return view[:, :h_out, :w_out]                                  # (N, H_out, W_out, C, ph, pw)


def max_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x)
    cache = _pool_cache(x.astype(_result(x), copy=False), pool_size, stride)
    return _windows(cache).max(axis=(4, 5)), cache


def max_pool_backward(dout, cache):
    (ph, pw), (sh, sw) = cache["size"], cache["step"]
    win = _windows(cache)
    n, h_out, w_out, c = win.shape[:4]
    first = win.reshape(n, h_out, w_out, c, ph * pw).argmax(axis=4)
    dx = np.zeros(cache["x"].shape, dtype=_result(dout, cache["x"]))
    for i in range(h_out):
        for j in range(w_out):
            p, q = np.divmod(first[:, i, j], pw)                      # (N, C)
            nn, cc = np.indices((n, c))
            dx[nn, i * sh + p, j * sw + q, cc] += dout[:, i, j]
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    x = np.asarray(x)
    cache = _pool_cache(x.astype(_result(x), copy=False), pool_size, stride)
    return _windows(cache).mean(axis=(4, 5)), cache


def avg_pool_backward(dout, cache):
    (ph, pw), (sh, sw), (h_out, w_out) = cache["size"], cache["step"], cache["out_hw"]
    dx = np.zeros(cache["x"].shape, dtype=_result(dout, cache["x"]))
    for i in range(h_out):
        for j in range(w_out):
            dx[:, i * sh:i * sh + ph, j * sw:j * sw + pw] += dout[:, i:i + 1, j:j + 1] / (ph * pw)
    return dx


def relu_forward(x):
    cache = ReluCache(x)
    return np.where(cache.positive, x, 0).astype(_result(x), copy=False), cache


def relu_backward(dout, cache):
    return np.where(cache.positive, dout, 0).astype(_result(dout), copy=False)


def affine_forward(x, w, b):
    cache = AffineCache(x, w)
    if cache.flat.shape[1] != w.shape[0]:
        raise ValueError(f"x flattens to {cache.flat.shape}, which does not match w {w.shape}")
    return cache.flat @ w + b, cache


def affine_backward(dout, cache):
    return (dout @ cache.w.T).reshape(cache.x.shape), cache.flat.T @ dout, dout.sum(axis=0)


def softmax(scores):
    shifted = scores - np.amax(scores, axis=-1, keepdims=True)
    return np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)


def softmax_cross_entropy(scores, y):
    if np.ndim(y) != 1 or len(y) != len(scores):
        raise ValueError(f"y must have one label per row of scores, got shape {np.shape(y)}")
    n = len(scores)
    shifted = scores - np.amax(scores, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    onehot = np.eye(scores.shape[1], dtype=log_probs.dtype)[y]
    loss = float(-(log_probs * onehot).sum() / n)
    return loss, (np.exp(log_probs) - onehot) / n
