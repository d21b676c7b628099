"""A correct regularization.py drawn differently from the reference: a binomial dropout mask,
a uniform Xavier (same std), He from standard_normal; penalties with np.sum and np.where."""
import math

import numpy as np


def _scale(lam, n):
    if lam < 0 or n <= 0:
        raise ValueError("lam must be >= 0 and n > 0")
    return lam / n


def l1_penalty(w, lam, n=1):
    s = _scale(lam, n)
    return s * np.sum(np.abs(w)), s * np.where(w > 0, 1.0, np.where(w < 0, -1.0, 0.0)).astype(
        w.dtype if np.issubdtype(np.asarray(w).dtype, np.floating) else np.float64)


def l2_penalty(w, lam, n=1):
    s = _scale(lam, n)
    return s * np.sum(w ** 2), 2 * s * w


def elastic_net_penalty(w, lam, l1_ratio=0.5, n=1):
    if not 0 <= l1_ratio <= 1:
        raise ValueError("l1_ratio must be between 0 and 1")
    p1, d1 = l1_penalty(w, lam, n)
    p2, d2 = l2_penalty(w, lam, n)
    return l1_ratio * p1 + (1 - l1_ratio) * p2, (l1_ratio * d1 + (1 - l1_ratio) * d2).astype(d1.dtype)


def dropout_forward(x, rate, training=True, rng=None):
    if not (0 <= rate < 1):
        raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
    if not training:
        return x, {"mode": "test"}
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.binomial(1, 1 - rate, size=x.shape).astype(x.dtype)
    scale = x.dtype.type(1.0 / (1 - rate))
    return x * keep * scale, {"mode": "train", "mask": keep * scale}


def dropout_backward(dout, cache):
    if cache["mode"] == "test":
        return dout
    return dout * cache["mask"]


def _fans(shape):
    shape = tuple(shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    rf = 1
    for d in shape[:-2]:
        rf *= d
    return rf * shape[-2], rf * shape[-1]


def xavier_init(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))      # uniform(-a, a) has std a / sqrt(3)
    return rng.uniform(-limit, limit, size=shape)


def he_init(shape, rng):
    fan_in, _ = _fans(shape)
    return rng.standard_normal(size=shape) * math.sqrt(2.0 / fan_in)
