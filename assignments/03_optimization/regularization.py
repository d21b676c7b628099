"""Regularization, dropout and weight initialisation (assignment 03).

Penalties follow the slides (``n`` = number of examples); each returns ``(penalty, dw)`` with
``penalty`` a scalar and ``dw`` shaped like ``w``. No function modifies its array arguments.
Only numpy and the standard library may be imported here.
"""
import math

import numpy as np


# ---------------------------------------------------------------------------
# Provided helpers (not graded).
# ---------------------------------------------------------------------------

def _float_array(w):
    """``w`` as a float array (float64 for integer or bool input)."""
    w = np.asarray(w)
    return w if np.issubdtype(w.dtype, np.floating) else w.astype(np.float64)


def _check_scale(lam, n):
    """Validate the strength ``lam`` >= 0 and the example count ``n`` > 0."""
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)) \
            or not lam >= 0:
        raise ValueError(f"lam must be a number >= 0, got {lam!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, float, np.integer, np.floating)) \
            or not n > 0:
        raise ValueError(f"n (the number of examples) must be > 0, got {n!r}.")


def _fans(shape):
    """Keras's fans: (n,) -> (n, n); (n_in, n_out) -> (n_in, n_out);
    rank >= 3, e.g. (HH, WW, C, F) -> (HH*WW*C, HH*WW*F)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape),)
    shape = tuple(shape)
    if not shape or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1
                        for d in shape):
        raise ValueError(f"shape must be a non-empty tuple of positive ints, got {shape!r}.")
    if len(shape) == 1:
        return shape, shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape, receptive * shape[-2], receptive * shape[-1]


def _check_rng(rng):
    """Raise ValueError unless ``rng`` is a numpy.random.Generator."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                         f"got {type(rng).__name__}.")


# ---------------------------------------------------------------------------
# Penalties
# ---------------------------------------------------------------------------

def l1_penalty(w, lam, n=1):
    """L1 penalty lam/n * sum|w| and its gradient lam/n * sign(w) (sign(0) = 0).

    w: any shape -> (penalty, dw) with dw shaped like w.
    """
    raise NotImplementedError('03_optimization, l1_penalty: implement it (see the docstring); it returns (penalty, dw) with dw shaped like w.')


def l2_penalty(w, lam, n=1):
    """L2 penalty lam/n * sum w**2 (no 1/2) and its gradient 2 * lam/n * w.

    w: any shape -> (penalty, dw) with dw shaped like w.
    """
    raise NotImplementedError('03_optimization, l2_penalty: implement it (see the docstring); it returns (penalty, dw) with dw shaped like w.')


def elastic_net_penalty(w, lam, l1_ratio=0.5, n=1):
    """ElasticNet: l1_ratio * L1 + (1 - l1_ratio) * L2, with L1 and L2 as above.

    w: any shape -> (penalty, dw) with dw shaped like w. ValueError unless 0 <= l1_ratio <= 1.
    """
    raise NotImplementedError('03_optimization, elastic_net_penalty: implement it (see the docstring); it returns (penalty, dw) with dw shaped like w.')


# ---------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------

def dropout_forward(x, rate, training=True, rng=None):
    """Inverted dropout. ``rate`` is the probability of *dropping* an element (Keras
    ``Dropout(rate)``); kept elements are scaled by 1 / (1 - rate).

    x: any shape -> out: same shape. ``training=False`` returns x unchanged. The mask comes
    from ``rng`` (a numpy.random.Generator; default a fresh one) only. ValueError unless
    0 <= rate < 1, checked even when training=False. Returns (out, cache).
    """
    raise NotImplementedError('03_optimization, dropout_forward: implement it (see the docstring); it returns (out, cache).')


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout: dx = dout * mask / (1 - rate) (dout in test mode).

    dout: shaped like x; cache from dropout_forward -> dx: shaped like x.
    """
    raise NotImplementedError('03_optimization, dropout_backward: implement it (see the docstring); it returns dx: shaped like x.')


# ---------------------------------------------------------------------------
# Initialisation
# ---------------------------------------------------------------------------

def xavier_init(shape, rng, gain=1.0):
    """Xavier/Glorot normal initialisation: mean 0, std = gain * sqrt(2 / (fan_in + fan_out)).

    shape: tuple (fans as Keras, see _fans) -> w: float64 array of that shape, drawn from rng.
    """
    raise NotImplementedError('03_optimization, xavier_init: implement it (see the docstring); it returns w: float64 array of that shape, drawn from rng.')


def he_init(shape, rng):
    """He normal initialisation: mean 0, std = sqrt(2 / fan_in).

    shape: tuple (fans as Keras, see _fans) -> w: float64 array of that shape, drawn from rng.
    """
    raise NotImplementedError('03_optimization, he_init: implement it (see the docstring); it returns w: float64 array of that shape, drawn from rng.')
