"""Every backward function of the reference solutions against central-difference gradients.

float64 throughout, step h = 1e-6. The numerical gradient of ``sum(f(x) * dout)`` with respect
to one argument is compared with the analytic one; a failure names the function, the argument,
the worst index, the value received and the value expected.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder.references import reference

layers = reference("02_cnn_layers", "layers")
regularization = reference("03_optimization", "regularization")

H = 1e-6
RTOL = 1e-6     # central differences in float64 are good to ~1e-9 relative on these sizes


def numeric_grad(f, x, dout, h: float = H) -> np.ndarray:
    """Central-difference gradient of ``sum(f(x) * dout)`` with respect to ``x``.

    f: array shaped like x -> array shaped like dout (or a scalar with dout = 1.0);
    x: any shape, float64 (not modified) -> gradient shaped like x.
    """
    x = np.array(x, dtype=np.float64)            # a private copy, perturbed in place
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = np.sum(f(x) * dout)
        x[idx] = old - h
        minus = np.sum(f(x) * dout)
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def assert_grad(got, expected, what: str) -> None:
    """Relative error with a floor of RTOL * max|expected|; name the worst index on failure."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    ratio = np.abs(got - expected) / (RTOL * (np.abs(expected) + scale))
    if ratio.size and ratio.max() > 1:
        idx = tuple(int(i) for i in np.unravel_index(np.argmax(ratio), ratio.shape))
        raise AssertionError(
            f"{what}{list(idx)} is {float(got[idx]):.10g}, the numerical gradient is "
            f"{float(expected[idx]):.10g} "
            f"(error {ratio.max():.3g} times the tolerance rtol={RTOL:g} on scale {scale:.3g})")


# ---------------------------------------------------------------------------
# Layers (assignment 02)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("x_shape, w_shape, stride, pad", [
    pytest.param((2, 5, 5, 2), (3, 3, 2, 3), 1, 0, id="s1-p0-square"),
    pytest.param((1, 6, 5, 3), (3, 2, 3, 2), 2, 1, id="s2-p1-rect"),
    pytest.param((2, 7, 6, 2), (2, 3, 2, 2), 3, 2, id="s3-p2-rect-floor"),
    pytest.param((1, 4, 5, 18), (2, 3, 18, 2), 2, 1, id="s2-p1-many-channels"),
])
def test_conv_backward(x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(sum(x_shape) + stride)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[3])
    out, cache = layers.conv_forward(x, w, b, stride=stride, pad=pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = layers.conv_backward(dout, cache)
    case = f"conv_backward stride={stride} pad={pad}: "
    assert_grad(dx, numeric_grad(lambda a: layers.conv_forward(a, w, b, stride, pad)[0], x, dout),
                case + "dx")
    assert_grad(dw, numeric_grad(lambda a: layers.conv_forward(x, a, b, stride, pad)[0], w, dout),
                case + "dw")
    assert_grad(db, numeric_grad(lambda a: layers.conv_forward(x, w, a, stride, pad)[0], b, dout),
                case + "db")


POOLS = [
    pytest.param((2, 4, 6, 2), 2, None, id="2x2-stride-default"),
    pytest.param((1, 7, 7, 2), 3, 2, id="3x3-s2-overlap"),
    pytest.param((2, 5, 7, 1), (2, 3), (1, 2), id="2x3-s1x2-rect-overlap"),
]


@pytest.mark.parametrize("shape, pool_size, stride", POOLS)
def test_max_pool_backward(shape, pool_size, stride):
    rng = np.random.default_rng(sum(shape))
    size = int(np.prod(shape))
    # Distinct values 0.01 apart, far beyond h: no window has a near-tie, the max is unambiguous.
    x = (rng.permutation(size) * 0.01 + rng.uniform(0, 1e-3, size)).reshape(shape)
    out, cache = layers.max_pool_forward(x, pool_size, stride)
    dout = rng.standard_normal(out.shape)
    expected = numeric_grad(lambda a: layers.max_pool_forward(a, pool_size, stride)[0], x, dout)
    assert_grad(layers.max_pool_backward(dout, cache), expected,
                f"max_pool_backward pool_size={pool_size} stride={stride}: dx")


@pytest.mark.parametrize("shape, pool_size, stride", POOLS)
def test_avg_pool_backward(shape, pool_size, stride):
    rng = np.random.default_rng(sum(shape) + 1)
    x = rng.standard_normal(shape)
    out, cache = layers.avg_pool_forward(x, pool_size, stride)
    dout = rng.standard_normal(out.shape)
    expected = numeric_grad(lambda a: layers.avg_pool_forward(a, pool_size, stride)[0], x, dout)
    assert_grad(layers.avg_pool_backward(dout, cache), expected,
                f"avg_pool_backward pool_size={pool_size} stride={stride}: dx")


def test_relu_backward():
    rng = np.random.default_rng(3)
    shape = (2, 3, 4, 2)
    x = rng.uniform(0.1, 2.0, shape) * rng.choice([-1.0, 1.0], shape)    # away from the kink
    out, cache = layers.relu_forward(x)
    dout = rng.standard_normal(shape)
    assert_grad(layers.relu_backward(dout, cache),
                numeric_grad(lambda a: layers.relu_forward(a)[0], x, dout), "relu_backward: dx")


@pytest.mark.parametrize("x_shape, m", [
    pytest.param((3, 5), 4, id="rank2"),
    pytest.param((2, 3, 4), 3, id="rank3"),
    pytest.param((2, 2, 3, 2), 5, id="rank4"),
])
def test_affine_backward(x_shape, m):
    rng = np.random.default_rng(sum(x_shape) + m)
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((int(np.prod(x_shape[1:])), m))
    b = rng.standard_normal(m)
    out, cache = layers.affine_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = layers.affine_backward(dout, cache)
    case = f"affine_backward x{x_shape}: "
    assert_grad(dx, numeric_grad(lambda a: layers.affine_forward(a, w, b)[0], x, dout), case + "dx")
    assert_grad(dw, numeric_grad(lambda a: layers.affine_forward(x, a, b)[0], w, dout), case + "dw")
    assert_grad(db, numeric_grad(lambda a: layers.affine_forward(x, w, a)[0], b, dout), case + "db")


@pytest.mark.parametrize("n, c, scale", [
    pytest.param(1, 4, 1.0, id="N1"), pytest.param(5, 3, 1.0, id="N5"),
    pytest.param(4, 6, 5.0, id="N4-peaked"),
])
def test_softmax_cross_entropy_dscores(n, c, scale):
    rng = np.random.default_rng(n * 10 + c)
    scores = rng.standard_normal((n, c)) * scale
    y = rng.integers(0, c, n)
    _, dscores = layers.softmax_cross_entropy(scores, y)
    expected = numeric_grad(lambda s: layers.softmax_cross_entropy(s, y)[0], scores, 1.0)
    assert_grad(dscores, expected, f"softmax_cross_entropy N={n}: dscores")


# ---------------------------------------------------------------------------
# Dropout and penalties (assignment 03)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [0.0, 0.3, 0.75])
def test_dropout_backward_with_the_same_mask(rate):
    rng = np.random.default_rng(11)
    x, dout = rng.standard_normal((3, 4, 5)), rng.standard_normal((3, 4, 5))
    seed = 1234      # every forward draws its mask from a generator seeded alike: the same mask

    def forward(a):
        return regularization.dropout_forward(a, rate, rng=np.random.default_rng(seed))[0]

    _, cache = regularization.dropout_forward(x, rate, rng=np.random.default_rng(seed))
    assert_grad(regularization.dropout_backward(dout, cache), numeric_grad(forward, x, dout),
                f"dropout_backward rate={rate}: dx")


def _away_from_zero(rng, shape):
    return rng.uniform(0.05, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


@pytest.mark.parametrize("lam, n", [pytest.param(0.7, 1, id="n1"), pytest.param(2.5, 8, id="n8")])
def test_l1_penalty_dw(lam, n):
    w = _away_from_zero(np.random.default_rng(5), (4, 3))       # |w| is not smooth at 0
    _, dw = regularization.l1_penalty(w, lam, n)
    assert_grad(dw, numeric_grad(lambda a: regularization.l1_penalty(a, lam, n)[0], w, 1.0),
                f"l1_penalty lam={lam} n={n}: dw")


@pytest.mark.parametrize("lam, n", [pytest.param(0.7, 1, id="n1"), pytest.param(2.5, 8, id="n8")])
def test_l2_penalty_dw(lam, n):
    w = np.random.default_rng(6).standard_normal((2, 3, 2))
    _, dw = regularization.l2_penalty(w, lam, n)
    assert_grad(dw, numeric_grad(lambda a: regularization.l2_penalty(a, lam, n)[0], w, 1.0),
                f"l2_penalty lam={lam} n={n}: dw")


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 1.0])
def test_elastic_net_penalty_dw(l1_ratio):
    w = _away_from_zero(np.random.default_rng(7), (5, 2))
    lam, n = 1.3, 4
    _, dw = regularization.elastic_net_penalty(w, lam, l1_ratio, n)
    expected = numeric_grad(
        lambda a: regularization.elastic_net_penalty(a, lam, l1_ratio, n)[0], w, 1.0)
    assert_grad(dw, expected, f"elastic_net_penalty l1_ratio={l1_ratio}: dw")
