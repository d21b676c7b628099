"""The reference optimizers of assignment 03 against trajectories derived by hand from docs/contract.md §5.

The oracle is deliberately different code: one formula of the contract per optimizer written for a single
Python float (``math.sqrt``, no numpy), applied element by element. The test problem is a
separable quadratic, ``dw = A * w + C``, so every step's gradient depends on the previous step.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.references import reference

optim = reference("03_optimization", "optim")

W0 = np.array([[1.0, -2.0, 0.5], [3.0, -0.7, 0.0]])
A = np.array([[0.5, 1.5, 3.0], [0.2, 1.0, 2.5]])
C = np.array([[0.3, -0.2, 0.1], [-0.4, 0.25, 0.0]])     # W0[1, 2] = C[1, 2] = 0: a zero gradient
STEPS = 7

DEFAULTS = {
    "sgd": {"learning_rate": 1e-2},
    "momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "nesterov": {"learning_rate": 1e-2, "momentum": 0.9},
    "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-8},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adadelta": {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
# Non-default values, with epsilons large enough that where epsilon sits in the formula matters.
CUSTOM = {
    "sgd": {"learning_rate": 0.3},
    "momentum": {"learning_rate": 0.05, "momentum": 0.6},
    "nesterov": {"learning_rate": 0.07, "momentum": 0.75},
    "adagrad": {"learning_rate": 0.4, "epsilon": 1e-3},
    "rmsprop": {"learning_rate": 0.05, "decay_rate": 0.8, "epsilon": 1e-3},
    "adadelta": {"learning_rate": 0.6, "rho": 0.7, "epsilon": 1e-2},
    "adam": {"learning_rate": 0.05, "beta1": 0.7, "beta2": 0.9, "epsilon": 1e-3},
}
STATE = {"sgd": (), "momentum": ("velocity",), "nesterov": ("velocity",), "adagrad": ("cache",),
         "rmsprop": ("cache",), "adadelta": ("cache", "delta"), "adam": ("m", "v", "t")}
NAMES = list(DEFAULTS)


# ---------------------------------------------------------------------------
# The oracle: the contract's formulas for one scalar parameter ``w`` with gradient ``g``; ``s`` holds that
# element's state (floats) and is updated in place; ``hp`` the hyper-parameters.
# ---------------------------------------------------------------------------

def hand_sgd(w, g, s, hp):
    return w - hp["learning_rate"] * g


def hand_momentum(w, g, s, hp):
    s["velocity"] = hp["momentum"] * s["velocity"] + hp["learning_rate"] * g
    return w - s["velocity"]


def hand_nesterov(w, g, s, hp):                  # w is the look-ahead point phi
    gamma, v_old = hp["momentum"], s["velocity"]
    s["velocity"] = gamma * v_old + hp["learning_rate"] * g
    return w + gamma * v_old - (1 + gamma) * s["velocity"]


def hand_adagrad(w, g, s, hp):
    s["cache"] = s["cache"] + g * g
    return w - hp["learning_rate"] * g / math.sqrt(s["cache"] + hp["epsilon"])


def hand_rmsprop(w, g, s, hp):
    gamma = hp["decay_rate"]
    s["cache"] = gamma * s["cache"] + (1 - gamma) * g * g
    return w - hp["learning_rate"] * g / math.sqrt(s["cache"] + hp["epsilon"])


def hand_adadelta(w, g, s, hp):
    rho, eps = hp["rho"], hp["epsilon"]
    s["cache"] = rho * s["cache"] + (1 - rho) * g * g
    step = -math.sqrt(s["delta"] + eps) / math.sqrt(s["cache"] + eps) * g
    s["delta"] = rho * s["delta"] + (1 - rho) * step * step
    return w + hp["learning_rate"] * step


def hand_adam(w, g, s, hp):
    b1, b2 = hp["beta1"], hp["beta2"]
    s["t"] += 1                                   # before use
    s["m"] = b1 * s["m"] + (1 - b1) * g
    s["v"] = b2 * s["v"] + (1 - b2) * g * g
    m_hat = s["m"] / (1 - b1 ** s["t"])
    v_hat = s["v"] / (1 - b2 ** s["t"])
    return w - hp["learning_rate"] * m_hat / (math.sqrt(v_hat) + hp["epsilon"])


HAND = {"sgd": hand_sgd, "momentum": hand_momentum, "nesterov": hand_nesterov,
        "adagrad": hand_adagrad, "rmsprop": hand_rmsprop, "adadelta": hand_adadelta,
        "adam": hand_adam}


def hand_trajectory(name, hp, steps, state0=None):
    """Per element with Python floats: the list of w after each step, and the final state."""
    flat, a, c = W0.ravel().tolist(), A.ravel().tolist(), C.ravel().tolist()
    states = []
    for i in range(len(flat)):
        s = {k: 0.0 for k in STATE[name]}
        if "t" in s:
            s["t"] = 0
        if state0 is not None:
            s.update({k: (state0[k] if k == "t" else float(np.ravel(state0[k])[i])) for k in s})
        states.append(s)
    trajectory = []
    for _ in range(steps):
        flat = [HAND[name](w, a[i] * w + c[i], states[i], hp) for i, w in enumerate(flat)]
        trajectory.append(np.array(flat).reshape(W0.shape))
    final = {k: (states[0][k] if k == "t" else np.array([s[k] for s in states]).reshape(W0.shape))
             for k in STATE[name]}
    return trajectory, final


def hand_first_step(name, w, dw):
    """One step from the zero state with the default hyper-parameters, element by element."""
    return np.array([HAND[name](wi, gi, {k: (0 if k == "t" else 0.0) for k in STATE[name]},
                                DEFAULTS[name]) for wi, gi in zip(w.tolist(), dw.tolist())])


def run(name, steps, config, dtype=np.float64):
    """The reference optimizer for ``steps`` steps on the quadratic: (trajectory, config)."""
    step = getattr(optim, name)
    w, a, c = W0.astype(dtype), A.astype(dtype), C.astype(dtype)
    trajectory = []
    for _ in range(steps):
        w, config = step(w, a * w + c, config)
        trajectory.append(w)
    return trajectory, config


def assert_close(got, expected, what, rtol=1e-12):
    """Relative error with a floor of rtol * max|expected|; name the worst index on failure."""
    got, expected = np.asarray(got), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    ratio = np.abs(got - expected) / (rtol * (np.abs(expected) + scale))
    if ratio.size and ratio.max() > 1:
        idx = tuple(int(i) for i in np.unravel_index(np.argmax(ratio), ratio.shape))
        raise AssertionError(f"{what}{list(idx)} is {float(got[idx]):.10g}, "
                             f"expected {float(expected[idx]):.10g} "
                             f"(error {ratio.max():.3g} times the tolerance rtol={rtol:g})")


def assert_trajectory(name, got, expected, what, rtol=1e-12):
    for k, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert_close(g, e, f"{name} {what}, w after step {k + 1}", rtol)


def assert_state(name, config, expected, what, rtol=1e-12):
    for key, value in expected.items():
        assert key in config, f"{name} {what}: config has no state {key!r} (keys {sorted(config)})"
        if key == "t":
            assert config["t"] == value, f"{name} {what}: t is {config['t']!r}, expected {value}"
        else:
            assert_close(config[key], value, f"{name} {what}, config[{key!r}]", rtol)


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_trajectory_custom_hyperparameters(name):
    hp = CUSTOM[name]
    got, config = run(name, STEPS, dict(hp))
    expected, state = hand_trajectory(name, hp, STEPS)
    assert_trajectory(name, got, expected, f"with {hp}")
    assert_state(name, config, state, f"with {hp} after {STEPS} steps")
    for key, value in hp.items():
        assert config[key] == value, \
            f"{name}: config[{key!r}] became {config[key]!r}, given {value}"


@pytest.mark.parametrize("name", NAMES)
def test_trajectory_defaults_from_config_none(name):
    got, config = run(name, STEPS, None)
    expected, state = hand_trajectory(name, DEFAULTS[name], STEPS)
    assert_trajectory(name, got, expected, "with default hyper-parameters")
    assert_state(name, config, state, f"with defaults after {STEPS} steps")
    for key, value in DEFAULTS[name].items():
        assert config.get(key) == value, \
            f"{name}(w, dw, None): config[{key!r}] is {config.get(key)!r}, the default is {value}"


GIVEN_STATE = {
    "velocity": np.array([[0.1, -0.2, 0.05], [0.0, 0.3, -0.1]]),
    "cache": np.array([[0.5, 0.1, 0.2], [1.0, 0.05, 0.3]]),
    "delta": np.array([[0.01, 0.02, 0.5], [0.1, 0.0, 0.2]]),
    "m": np.array([[0.2, -0.1, 0.0], [0.4, -0.3, 0.1]]),
    "v": np.array([[0.3, 0.02, 0.1], [0.6, 0.2, 0.05]]),
    "t": 5,
}


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sgd"])
def test_continues_from_a_given_state(name):
    state0 = {k: GIVEN_STATE[k] for k in STATE[name]}
    config = dict(CUSTOM[name], **{k: np.copy(v) for k, v in state0.items()})
    got, config = run(name, 3, config)
    expected, state = hand_trajectory(name, CUSTOM[name], 3, state0=state0)
    assert_trajectory(name, got, expected, f"continuing from state {sorted(state0)}")
    assert_state(name, config, state, "continuing from a given state")


def test_nesterov_equals_the_slides_form_on_a_quadratic():
    """phi = theta - gamma v. The slides: v_t = gamma v + alpha grad(theta - gamma v);
    theta <- theta - v_t. The reference's phi-trajectory must map onto that theta-trajectory."""
    a = np.array([0.5, 2.0, 4.0, 9.0])
    alpha, gamma, curvature = 0.05, 0.8, a.tolist()
    theta_hand, v_hand = [1.0, -1.5, 0.7, 0.2], [0.0] * 4
    phi, config = np.array(theta_hand), {"learning_rate": alpha, "momentum": gamma}
    for step in range(1, 11):
        for i in range(4):
            lookahead = theta_hand[i] - gamma * v_hand[i]
            v_hand[i] = gamma * v_hand[i] + alpha * curvature[i] * lookahead
            theta_hand[i] = theta_hand[i] - v_hand[i]
        phi, config = optim.nesterov(phi, a * phi, config)
        assert_close(config["velocity"], v_hand, f"nesterov step {step}: velocity")
        assert_close(phi + gamma * config["velocity"], theta_hand,
                     f"nesterov step {step}: theta = phi + gamma*v")


def test_adam_increments_t_before_use():
    w, g = np.array([0.5, -1.0, 2.0]), np.array([0.2, -3.0, 1e-3])
    w1, config = optim.adam(w, g)
    assert config["t"] == 1, f"adam: t after one step is {config['t']!r}, expected 1"
    # At t = 1, m_hat = g and v_hat = g**2 exactly: the step is alpha * g / (|g| + eps).
    assert_close(w1, w - 1e-3 * g / (np.abs(g) + 1e-8), "adam first step from t=0: w")
    assert_close(config["m"], 0.1 * g, "adam first step: raw m")
    assert_close(config["v"], 0.001 * g * g, "adam first step: raw v")
    _, config = optim.adam(w1, g, config)
    assert config["t"] == 2, f"adam: t after two steps is {config['t']!r}, expected 2"


@pytest.mark.parametrize("name", NAMES)
def test_float32_keeps_float32_result_and_state(name):
    hp = CUSTOM[name]
    got, config = run(name, 5, dict(hp), dtype=np.float32)
    expected, state = hand_trajectory(name, hp, 5)
    for k, w in enumerate(got):
        assert w.dtype == np.float32, f"{name}: w after step {k + 1} is {w.dtype}, expected float32"
    for key in STATE[name]:
        if key != "t":
            assert config[key].dtype == np.float32, \
                f"{name}: state {key!r} is {config[key].dtype}, expected float32 like w"
    assert_trajectory(name, got, expected, "in float32", rtol=1e-4)
    assert_state(name, config, state, "in float32", rtol=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_inputs_not_modified(name):
    step = getattr(optim, name)
    w = np.array([[0.5, -1.0], [2.0, 0.0]])
    dw = np.array([[0.1, 0.3], [-0.2, 0.0]])
    w_copy, dw_copy = w.copy(), dw.copy()
    config = None
    for k in range(3):
        _, config = step(w, dw, config)
        assert np.array_equal(w, w_copy), f"{name} step {k + 1} modified w: {w.tolist()}"
        assert np.array_equal(dw, dw_copy), f"{name} step {k + 1} modified dw: {dw.tolist()}"


@pytest.mark.parametrize("name", NAMES)
def test_config_none_gives_fresh_state(name):
    step = getattr(optim, name)
    w, dw = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    first, config = step(w, dw)
    assert isinstance(config, dict), f"{name}: config is {type(config).__name__}, expected dict"
    again, _ = step(w, dw, None)
    assert_close(again, first, f"{name}: a second call with config=None (fresh state)")
    assert_close(first, hand_first_step(name, w, dw), f"{name}(w, dw) with config=None")

