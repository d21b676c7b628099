"""First-order optimizers (assignment 03), in the course's formulation (slides of 001).

Every optimizer is ``name(w, dw, config=None) -> (next_w, config)``:

* w: any shape, the current parameters; dw: same shape, the gradient ``g`` at ``w``;
* next_w: same shape and dtype as ``w``, the parameters after one step;
* config: a dict of hyper-parameters (defaults filled with ``setdefault``) and of the
  optimizer's state, whose arrays start at zeros of ``w``'s shape and dtype. It may be updated
  in place and returned. ``w`` and ``dw`` are never modified.

Only numpy and the standard library may be imported here.
"""
import numpy as np


# ---------------------------------------------------------------------------
# Provided helpers (not graded).
# ---------------------------------------------------------------------------

def _start(w, dw, config):
    """Validate (w, dw), return them as float arrays of one dtype, and a config dict."""
    w, dw = np.asarray(w), np.asarray(dw)
    if w.shape != dw.shape:
        raise ValueError(f"dw must have the shape of w {w.shape}, got {dw.shape}.")
    if config is None:
        config = {}
    elif not isinstance(config, dict):
        raise ValueError(f"config must be a dict or None, got {type(config).__name__}.")
    dtype = np.result_type(w, dw)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.dtype(np.float64)
    return w.astype(dtype, copy=False), dw.astype(dtype, copy=False), config


def _state(config, key, w):
    """The state array ``config[key]``, created as zeros like ``w`` on the first step."""
    return config.setdefault(key, np.zeros_like(w))


# ---------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------

def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: w <- w - alpha * g.

    config: learning_rate (alpha, default 1e-2).
    """
    raise NotImplementedError('03_optimization, sgd: implement it (see the docstring).')


def momentum(w, dw, config=None):
    """SGD with momentum: v <- gamma * v + alpha * g;  w <- w - v.

    config: learning_rate (alpha, 1e-2), momentum (gamma, 0.9); state: velocity (v).
    """
    raise NotImplementedError('03_optimization, momentum: implement it (see the docstring).')


def nesterov(w, dw, config=None):
    """Nesterov accelerated gradient, with ``w`` the look-ahead point phi = theta - gamma * v.

    ``dw`` is the gradient at phi: v_new <- gamma * v + alpha * g;
    phi <- phi + gamma * v - (1 + gamma) * v_new.
    config: learning_rate (alpha, 1e-2), momentum (gamma, 0.9); state: velocity (v).
    """
    raise NotImplementedError('03_optimization, nesterov: implement it (see the docstring).')


def adagrad(w, dw, config=None):
    """AdaGrad: G <- G + g**2;  w <- w - alpha * g / sqrt(G + eps).

    config: learning_rate (alpha, 1e-2), epsilon (eps, 1e-8); state: cache (G).
    """
    raise NotImplementedError('03_optimization, adagrad: implement it (see the docstring).')


def rmsprop(w, dw, config=None):
    """RMSprop: E <- gamma * E + (1 - gamma) * g**2;  w <- w - alpha * g / sqrt(E + eps).

    config: learning_rate (alpha, 1e-2), decay_rate (gamma, 0.99), epsilon (eps, 1e-8);
    state: cache (E).
    """
    raise NotImplementedError('03_optimization, rmsprop: implement it (see the docstring).')


def adadelta(w, dw, config=None):
    """AdaDelta: E_g <- rho * E_g + (1 - rho) * g**2;
    delta = -sqrt(E_d + eps) / sqrt(E_g + eps) * g;  E_d <- rho * E_d + (1 - rho) * delta**2;
    w <- w + alpha * delta.

    config: learning_rate (alpha, 1.0), rho (0.95), epsilon (eps, 1e-6);
    state: cache (E_g), delta (E_d).
    """
    raise NotImplementedError('03_optimization, adadelta: implement it (see the docstring).')


def adam(w, dw, config=None):
    """Adam, with bias correction; t is incremented before use:
    m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g**2;
    m_hat = m / (1 - beta1**t);  v_hat = v / (1 - beta2**t);
    w <- w - alpha * m_hat / (sqrt(v_hat) + eps).

    config: learning_rate (alpha, 1e-3), beta1 (0.9), beta2 (0.999), epsilon (eps, 1e-8);
    state: m, v (raw, not bias-corrected) and t (the step count, starting at 0).
    """
    raise NotImplementedError('03_optimization, adam: implement it (see the docstring).')
