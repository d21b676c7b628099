"""Known bugs of ``optim.py``: each variant recomputes one step the buggy way from the same
``w``, ``dw`` and the state before the step (``case.params["config"]``)."""
from __future__ import annotations

from functools import partial

import numpy as np

from autograder.hints.declare import Variant, bug

MODULE = "optim"


def _cfg(case, **defaults):
    config = dict(defaults)
    config.update(case.params["config"])
    return config


def _zeros(case, key):
    return case.params["config"].get(key, np.zeros_like(case.params["w"], dtype=np.float64))


def sgd_ascent(ref, case):
    c = _cfg(case, learning_rate=1e-2)
    return {"next_w": case.params["w"] + c["learning_rate"] * case.params["dw"]}


def momentum_no_velocity(ref, case):
    c = _cfg(case, learning_rate=1e-2)
    return {"next_w": case.params["w"] - c["learning_rate"] * case.params["dw"]}


def momentum_negated(ref, case):
    """CS231n's convention, v <- gamma v - alpha g; w <- w + v, applied to a state kept in the
    convention of docs/contract.md §5: the same steps from zero, different ones from a given velocity."""
    c = _cfg(case, learning_rate=1e-2, momentum=0.9)
    if not np.any(_zeros(case, "velocity")):
        return {}
    v = c["momentum"] * _zeros(case, "velocity") - c["learning_rate"] * case.params["dw"]
    return {"next_w": case.params["w"] + v}


def nesterov_negated(ref, case):
    c = _cfg(case, learning_rate=1e-2, momentum=0.9)
    v_prev = _zeros(case, "velocity")
    if not np.any(v_prev):
        return {}
    mu = c["momentum"]
    v = mu * v_prev - c["learning_rate"] * case.params["dw"]
    return {"next_w": case.params["w"] - mu * v_prev + (1 + mu) * v}


def nesterov_plain_momentum(ref, case):
    c = _cfg(case, learning_rate=1e-2, momentum=0.9)
    v = c["momentum"] * _zeros(case, "velocity") + c["learning_rate"] * case.params["dw"]
    return {"next_w": case.params["w"] - v}


def _adagrad_like(case, cache):
    c = _cfg(case, learning_rate=1e-2, epsilon=1e-8)
    return {"next_w": case.params["w"] - c["learning_rate"] * case.params["dw"] / (np.sqrt(cache) + c["epsilon"])}


def adagrad_eps_outside(ref, case):
    return _adagrad_like(case, _zeros(case, "cache") + case.params["dw"] ** 2)


def rmsprop_eps_outside(ref, case):
    c = _cfg(case, decay_rate=0.99)
    g = c["decay_rate"]
    return _adagrad_like(case, g * _zeros(case, "cache") + (1 - g) * case.params["dw"] ** 2)


def rmsprop_swapped_decay(ref, case):
    c = _cfg(case, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    g = c["decay_rate"]
    cache = (1 - g) * _zeros(case, "cache") + g * case.params["dw"] ** 2
    return {"next_w": case.params["w"] - c["learning_rate"] * case.params["dw"] / np.sqrt(cache + c["epsilon"])}


def adam_with(ref, case, *, eps_inside=False, bias=True, t_after=False):
    """One Adam step with a bug switched on: epsilon inside the root, no bias correction, or t
    incremented after the step."""
    c = _cfg(case, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8)
    b1, b2, g = c["beta1"], c["beta2"], case.params["dw"]
    m = b1 * _zeros(case, "m") + (1 - b1) * g
    v = b2 * _zeros(case, "v") + (1 - b2) * g * g
    t = case.params["config"].get("t", 0) + (0 if t_after else 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        m_hat, v_hat = (m / (1 - b1 ** t), v / (1 - b2 ** t)) if bias else (m, v)
        step = m_hat / np.sqrt(v_hat + c["epsilon"]) if eps_inside else m_hat / (np.sqrt(v_hat) + c["epsilon"])
    return {"next_w": case.params["w"] - c["learning_rate"] * step}


def adadelta_no_lr(ref, case):
    c = _cfg(case, rho=0.95, epsilon=1e-6)
    rho, eps, g = c["rho"], c["epsilon"], case.params["dw"]
    e_g = rho * _zeros(case, "cache") + (1 - rho) * g * g
    step = -np.sqrt(_zeros(case, "delta") + eps) / np.sqrt(e_g + eps) * g
    return {"next_w": case.params["w"] + step}


def adadelta_delta_after(ref, case):
    """E[delta^2] updated before it is used for the step."""
    c = _cfg(case, learning_rate=1.0, rho=0.95, epsilon=1e-6)
    rho, eps, g = c["rho"], c["epsilon"], case.params["dw"]
    e_g = rho * _zeros(case, "cache") + (1 - rho) * g * g
    first = -np.sqrt(_zeros(case, "delta") + eps) / np.sqrt(e_g + eps) * g
    e_d = rho * _zeros(case, "delta") + (1 - rho) * first * first
    step = -np.sqrt(e_d + eps) / np.sqrt(e_g + eps) * g
    return {"next_w": case.params["w"] + c["learning_rate"] * step}


BUGS: dict[str, list[Variant]] = {
    "sgd": [bug("sgd_ascent", sgd_ascent)],
    "momentum": [bug("momentum_no_velocity", momentum_no_velocity),
                 bug("velocity_sign", momentum_negated)],
    "nesterov": [bug("nesterov_plain_momentum", nesterov_plain_momentum),
                 bug("velocity_sign", nesterov_negated)],
    "adagrad": [bug("adagrad_eps_outside", adagrad_eps_outside)],
    "rmsprop": [bug("rmsprop_eps_outside", rmsprop_eps_outside),
                bug("rmsprop_swapped_decay", rmsprop_swapped_decay)],
    "adadelta": [bug("adadelta_no_lr", adadelta_no_lr),
                 bug("adadelta_delta_after", adadelta_delta_after)],
    "adam": [bug("adam_eps_inside", partial(adam_with, eps_inside=True)),
             bug("adam_no_bias_correction", partial(adam_with, bias=False)),
             bug("adam_t_after", partial(adam_with, t_after=True))],
}
