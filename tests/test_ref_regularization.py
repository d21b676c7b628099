"""The reference regularization of assignment 03: penalties by hand, dropout and initialisers by
their statistics and structure (never by one exact random draw).

Statistical bounds are 6 standard errors wide: a correct implementation fails one with
probability ~1e-9, while a wrong scale, rate or fan is many standard errors off.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.references import reference

reg = reference("03_optimization", "regularization")

SIGMAS = 6.0
F64_ULP = np.finfo(np.float64).eps

# ---------------------------------------------------------------------------
# Penalties, computed by hand: lam/n * sum|w|, lam/n * sum w**2 (no 1/2), sign(0) = 0.
# ---------------------------------------------------------------------------

W = np.array([[1.5, -2.0, 0.0], [0.25, -0.5, 3.0]])      # sum|w| = 7.25, sum w**2 = 15.5625


def assert_array(got, expected, what, dtype=np.float64):
    got, expected = np.asarray(got), np.asarray(expected, dtype=np.float64)
    assert got.dtype == dtype, f"{what}: dtype is {got.dtype}, expected {dtype}"
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    bad = ~np.isclose(got, expected, rtol=1e-12, atol=1e-15)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"{what}{list(idx)} is {float(got[idx]):.10g}, "
                             f"expected {float(expected[idx]):.10g}")


@pytest.mark.parametrize("lam, n, penalty, dw", [
    pytest.param(0.3, 4, 0.54375, 0.075 * np.array([[1, -1, 0], [1, -1, 1]]), id="lam0.3-n4"),
    pytest.param(0.3, 1, 2.175, 0.3 * np.array([[1, -1, 0], [1, -1, 1]]), id="lam0.3-n1"),
])
def test_l1_penalty_by_hand(lam, n, penalty, dw):
    got_penalty, got_dw = reg.l1_penalty(W, lam, n)
    assert got_penalty == pytest.approx(penalty, rel=1e-12), \
        f"l1_penalty(lam={lam}, n={n}) is {got_penalty!r}, expected {penalty} = lam/n * sum|w|"
    assert_array(got_dw, dw, f"l1_penalty(lam={lam}, n={n}) dw (sign(0) = 0)")


@pytest.mark.parametrize("lam, n, penalty, dw", [
    pytest.param(0.3, 4, 1.1671875, [[0.225, -0.3, 0.0], [0.0375, -0.075, 0.45]], id="lam0.3-n4"),
    pytest.param(0.3, 1, 4.66875, [[0.9, -1.2, 0.0], [0.15, -0.3, 1.8]], id="lam0.3-n1"),
])
def test_l2_penalty_by_hand(lam, n, penalty, dw):
    got_penalty, got_dw = reg.l2_penalty(W, lam, n)
    assert got_penalty == pytest.approx(penalty, rel=1e-12), \
        f"l2_penalty(lam={lam}, n={n}) is {got_penalty!r}, expected {penalty} = lam/n * sum w**2"
    assert_array(got_dw, dw, f"l2_penalty(lam={lam}, n={n}) dw = 2 lam/n w")


@pytest.mark.parametrize("kwargs, penalty, dw", [
    pytest.param(dict(lam=0.3, l1_ratio=0.3, n=4), 0.98015625,
                 [[0.18, -0.2325, 0.0], [0.04875, -0.075, 0.3375]], id="ratio0.3-n4"),
    pytest.param(dict(lam=0.3), 3.421875,
                 [[0.6, -0.75, 0.0], [0.225, -0.3, 1.05]], id="defaults-ratio0.5-n1"),
    pytest.param(dict(lam=0.3, l1_ratio=1.0, n=4), 0.54375,
                 0.075 * np.array([[1, -1, 0], [1, -1, 1]]), id="ratio1-is-l1"),
    pytest.param(dict(lam=0.3, l1_ratio=0.0, n=4), 1.1671875,
                 [[0.225, -0.3, 0.0], [0.0375, -0.075, 0.45]], id="ratio0-is-l2"),
])
def test_elastic_net_penalty_by_hand(kwargs, penalty, dw):
    got_penalty, got_dw = reg.elastic_net_penalty(W, **kwargs)
    assert got_penalty == pytest.approx(penalty, rel=1e-12), \
        f"elastic_net_penalty({kwargs}) is {got_penalty!r}, expected {penalty}"
    assert_array(got_dw, dw, f"elastic_net_penalty({kwargs}) dw")


def test_penalties_of_integer_weights_are_float64():
    w = np.array([[1, -2], [0, 3]])
    assert reg.l1_penalty(w, 1.0)[0] == 6.0
    assert_array(reg.l1_penalty(w, 1.0)[1], [[1, -1], [0, 1]], "l1_penalty(int w) dw")
    assert reg.l2_penalty(w, 1.0)[0] == 14.0
    assert_array(reg.l2_penalty(w, 1.0)[1], [[2, -4], [0, 6]], "l2_penalty(int w) dw")


@pytest.mark.parametrize("call, argument", [
    pytest.param(lambda: reg.l1_penalty(W, -0.1), "lam", id="l1-negative-lam"),
    pytest.param(lambda: reg.l2_penalty(W, 0.1, n=0), "n", id="l2-n-zero"),
    pytest.param(lambda: reg.elastic_net_penalty(W, 0.1, l1_ratio=1.5), "l1_ratio",
                 id="elastic-ratio-above-1"),
    pytest.param(lambda: reg.elastic_net_penalty(W, 0.1, l1_ratio=-0.5), "l1_ratio",
                 id="elastic-ratio-negative"),
])
def test_penalty_bad_arguments(call, argument):
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        call()


# ---------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------

def _nonzero(rng, shape, dtype=np.float64):
    """Values bounded away from 0, so that a dropped element is recognisable as an exact 0."""
    return (rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)).astype(dtype)


def _classify(out, x, rate):
    """(kept, dropped) masks; fail unless every element is exactly 0 or x / (1 - rate).

    "Exactly" allows the two correct roundings, x / (1 - rate) and x * (1 / (1 - rate)): 2 ulp.
    """
    scaled = x.astype(np.float64) / (1 - rate)
    eps = np.finfo(out.dtype).eps
    dropped = out == 0
    kept = np.abs(out - scaled) <= 2 * eps * np.abs(scaled)
    neither = ~(kept | dropped)
    if neither.any():
        idx = tuple(int(i) for i in np.argwhere(neither)[0])
        raise AssertionError(f"dropout rate={rate}: out{list(idx)} is {float(out[idx]):.10g}; "
                             f"expected exactly 0 or x/(1-rate) = {float(scaled[idx]):.10g} "
                             f"(x = {float(x[idx]):.10g})")
    return kept, dropped


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_statistics(rate, dtype):
    rng = np.random.default_rng(int(rate * 100))
    x = _nonzero(rng, (400, 500), dtype)
    out, _ = reg.dropout_forward(x, rate, rng=rng)
    assert out.dtype == dtype and out.shape == x.shape, f"out is {out.dtype} {out.shape}"
    kept, _ = _classify(out, x, rate)
    n = x.size
    frac, bound = kept.mean(), SIGMAS * math.sqrt(rate * (1 - rate) / n)
    assert abs(frac - (1 - rate)) <= bound, \
        f"dropout rate={rate}: kept {frac:.4f} of the elements, expected 1 - rate = {1 - rate}" \
        f" +- {bound:.4f} (is rate the *drop* probability?)"
    # Inverted dropout keeps the expectation: E[out - x] = 0, Var = x**2 * rate / (1 - rate).
    x64 = x.astype(np.float64)
    diff = (out.astype(np.float64) - x64).mean()
    bound = SIGMAS * math.sqrt((x64 ** 2).sum() * rate / (1 - rate)) / n
    assert abs(diff) <= bound, f"dropout rate={rate}: mean(out - x) is {diff:.4g}, expected 0 +- " \
                               f"{bound:.3g}: E[out] must equal x"


def test_dropout_rate_zero_keeps_everything():
    x = _nonzero(np.random.default_rng(1), (30, 20))
    out, cache = reg.dropout_forward(x, 0.0, rng=np.random.default_rng(2))
    assert np.array_equal(out, x), "dropout rate=0 must return x exactly"
    dout = np.random.default_rng(3).standard_normal(x.shape)
    assert np.array_equal(reg.dropout_backward(dout, cache), dout), "rate=0: dx must be dout"


@pytest.mark.parametrize("rate", [0.2, 0.6])
def test_dropout_backward_uses_the_forward_mask(rate):
    rng = np.random.default_rng(17)
    x, dout = _nonzero(rng, (50, 40)), rng.standard_normal((50, 40))
    out, cache = reg.dropout_forward(x, rate, rng=rng)
    kept, _ = _classify(out, x, rate)
    dx = reg.dropout_backward(dout, cache)
    expected = np.where(kept, dout / (1 - rate), 0.0)
    bad = ~np.isclose(dx, expected, rtol=4 * F64_ULP, atol=0)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"dropout_backward rate={rate}: dx{list(idx)} is {dx[idx]:.10g}, "
                             f"expected {expected[idx]:.10g} (dout/(1-rate) where the forward kept "
                             f"the element, 0 where it dropped it)")


def test_dropout_same_seed_same_output_other_seed_other_mask():
    x = _nonzero(np.random.default_rng(0), (40, 25))
    a, _ = reg.dropout_forward(x, 0.5, rng=np.random.default_rng(123))
    b, _ = reg.dropout_forward(x, 0.5, rng=np.random.default_rng(123))
    c, _ = reg.dropout_forward(x, 0.5, rng=np.random.default_rng(124))
    assert np.array_equal(a, b), "dropout: the same seed must give the same output"
    assert not np.array_equal(a == 0, c == 0), "dropout: two seeds gave the same 1000-element mask"


def test_dropout_default_rng_works():
    x = _nonzero(np.random.default_rng(0), (20, 20))
    out, _ = reg.dropout_forward(x, 0.5)
    _classify(out, x, 0.5)


@pytest.mark.parametrize("rate", [0.0, 0.5, 0.9])
def test_dropout_test_mode_returns_x_unchanged(rate):
    x = _nonzero(np.random.default_rng(4), (6, 7))
    out, cache = reg.dropout_forward(x, rate, training=False, rng=np.random.default_rng(5))
    assert out.dtype == x.dtype and np.array_equal(out, x), \
        f"dropout(training=False, rate={rate}) must return x unchanged"
    dout = np.random.default_rng(6).standard_normal(x.shape)
    assert np.array_equal(reg.dropout_backward(dout, cache), dout), \
        "dropout_backward after training=False must return dout"


@pytest.mark.parametrize("training", [True, False], ids=["training", "test-mode"])
@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_bad_rate_raises(rate, training):
    with pytest.raises(ValueError, match=r"\brate\b"):
        reg.dropout_forward(np.ones((3, 3)), rate, training=training, rng=np.random.default_rng(0))


_LEGACY = ("rand", "randn", "random", "random_sample", "ranf", "sample", "randint", "binomial",
           "uniform", "normal", "standard_normal", "choice", "permutation", "shuffle", "bytes")


def test_dropout_never_touches_the_global_random_state(monkeypatch):
    saved = np.random.get_state()
    try:
        x = _nonzero(np.random.default_rng(0), (30, 30))
        outs = []
        for k in range(3):
            np.random.random(k * 7 + 1)       # leave the global generator in a different state
            before = np.random.get_state()
            outs.append(reg.dropout_forward(x, 0.4, rng=np.random.default_rng(99))[0])
            after = np.random.get_state()
            assert _same_state(before, after), "dropout_forward drew from the global np.random"
        assert all(np.array_equal(outs[0], o) for o in outs[1:]), \
            "dropout_forward's output changed with the global np.random state"
        for name in _LEGACY:                     # any legacy global call now fails loudly
            monkeypatch.setattr(np.random, name, _forbidden(name))
        assert np.array_equal(reg.dropout_forward(x, 0.4, rng=np.random.default_rng(99))[0],
                              outs[0])
    finally:
        np.random.set_state(saved)


def _same_state(a, b):
    """Equality of two np.random.get_state() tuples (name, key array, pos, gauss flag, gauss)."""
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and a[2:] == b[2:]


def _forbidden(name):
    def call(*args, **kwargs):
        raise AssertionError(f"dropout_forward called the global np.random.{name}")
    return call


# ---------------------------------------------------------------------------
# Initialisers: Keras's fan rule, moments of large samples, determinism
# ---------------------------------------------------------------------------

INIT_SHAPES = [  # shape, fan_in, fan_out (Keras: receptive field times the last two dimensions)
    pytest.param((40000,), 40000, 40000, id="vector-n"),
    pytest.param((300, 200), 300, 200, id="dense-n_in-n_out"),
    pytest.param((5, 40, 100), 200, 500, id="conv1d-k-C-F"),
    pytest.param((3, 5, 32, 64), 480, 960, id="conv2d-HH-WW-C-F"),
]


def _assert_moments(w, std, what):
    n = w.size
    mean_bound = SIGMAS * std / math.sqrt(n)
    assert abs(w.mean()) <= mean_bound, \
        f"{what}: mean is {w.mean():.3g}, expected 0 +- {mean_bound:.3g}"
    std_bound = SIGMAS * std / math.sqrt(2 * n)            # standard error of a normal's std
    assert abs(w.std() - std) <= std_bound, \
        f"{what}: std is {w.std():.5g}, expected {std:.5g} +- {std_bound:.2g} (check the fans)"


@pytest.mark.parametrize("shape, fan_in, fan_out", INIT_SHAPES)
def test_xavier_init_moments_and_fans(shape, fan_in, fan_out):
    w = reg.xavier_init(shape, np.random.default_rng(len(shape)))
    assert w.shape == shape and w.dtype == np.float64, f"xavier_init: {w.shape} {w.dtype}"
    _assert_moments(w, math.sqrt(2 / (fan_in + fan_out)), f"xavier_init{shape}")


@pytest.mark.parametrize("gain", [0.5, math.sqrt(2), 2.5])
def test_xavier_init_gain(gain):
    w = reg.xavier_init((300, 200), np.random.default_rng(8), gain=gain)
    _assert_moments(w, gain * math.sqrt(2 / 500), f"xavier_init((300, 200), gain={gain})")


@pytest.mark.parametrize("shape, fan_in, fan_out", INIT_SHAPES)
def test_he_init_moments_and_fans(shape, fan_in, fan_out):
    w = reg.he_init(shape, np.random.default_rng(len(shape) + 10))
    assert w.shape == shape and w.dtype == np.float64, f"he_init: {w.shape} {w.dtype}"
    _assert_moments(w, math.sqrt(2 / fan_in), f"he_init{shape}")


@pytest.mark.parametrize("init", [reg.xavier_init, reg.he_init], ids=["xavier", "he"])
def test_init_is_deterministic_given_rng(init):
    a = init((3, 3, 4, 8), np.random.default_rng(42))
    b = init((3, 3, 4, 8), np.random.default_rng(42))
    c = init((3, 3, 4, 8), np.random.default_rng(43))
    assert np.array_equal(a, b), f"{init.__name__}: the same seed must give the same weights"
    assert not np.array_equal(a, c), f"{init.__name__}: two seeds gave the same weights"
