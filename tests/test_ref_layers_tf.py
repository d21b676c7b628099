"""The reference layers of assignment 02 against TensorFlow, the independent oracle.

Every forward output and every gradient (through ``tf.GradientTape`` on a random upstream
``dout``) is compared over a grid of strides, paddings, rectangular inputs, filters and pools,
channel and batch counts, in float32 and float64. Max-pooling ties are judged against the contract's
own rule (first maximal element in row-major order, overlapping windows accumulate), not TF's.
"""
from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from autograder.references import reference

layers = reference("02_cnn_layers", "layers")

DTYPES = [pytest.param(np.dtype(np.float32), id="float32"),
          pytest.param(np.dtype(np.float64), id="float64")]

# Relative tolerance, with an absolute floor of rtol * max|expected| so that entries that cancel
# to ~0 are judged on the scale of the whole array (a different summation order must pass).
RTOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}


def assert_close(got, expected, what: str, dtype: np.dtype | None, rtol: float | None = None,
                 oracle: str = "TensorFlow") -> None:
    """Assert ``got`` matches the oracle's ``expected``; name the worst index, got and expected.

    ``dtype``: the dtype ``got`` must have (None: not checked, then ``rtol`` must be given).
    """
    got, expected = np.asarray(got), np.asarray(expected)
    if dtype is not None:
        assert got.dtype == dtype, f"{what}: dtype is {got.dtype}, expected {dtype}"
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    rtol = RTOL[dtype] if rtol is None else rtol
    expected = expected.astype(np.float64)
    assert np.all(np.isfinite(got)), \
        f"{what}: non-finite values at {np.argwhere(~np.isfinite(got))[:3].tolist()}"
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    ratio = np.abs(got - expected) / (rtol * (np.abs(expected) + scale))
    if ratio.size and ratio.max() > 1:
        idx = tuple(int(i) for i in np.unravel_index(np.argmax(ratio), ratio.shape))
        raise AssertionError(
            f"{what}{list(idx)} is {float(got[idx]):.10g}, {oracle} gives "
            f"{float(expected[idx]):.10g} "
            f"(error {ratio.max():.3g} times the tolerance rtol={rtol:g} on scale {scale:.3g})")


def tf_grads(fn, arrays, dout):
    """``fn(*tensors)`` and the gradients of ``sum(fn(...) * dout)`` with respect to ``arrays``."""
    tensors = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        out = fn(*tensors)
        loss = tf.reduce_sum(out * tf.constant(dout))
    return out.numpy(), [g.numpy() for g in tape.gradient(loss, tensors)]


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------

def _conv_grid():
    """(N, H, W, C, HH, WW, F, stride, pad): every stride 1-3 with every pad 0-2, plus edges.

    The grid alternates two rectangular geometries, so that each stride meets both batch sizes,
    H > W and H < W, HH > WW and HH < WW.
    """
    geometries = [(1, 7, 6, 2, 3, 2, 2),     # N=1, 7x6x2 input, 3x2 filters, F=2
                  (2, 6, 8, 3, 2, 3, 4)]     # N=2, 6x8x3 input, 2x3 filters, F=4
    cases = [geometries[(stride + pad + 1) % 2] + (stride, pad)
             for stride in (1, 2, 3) for pad in (0, 1, 2)]
    cases += [(3, 5, 4, 2, 1, 1, 3, 1, 0),       # 1x1 filter
              (2, 4, 3, 2, 6, 5, 2, 1, 1),       # filter covers the padded input: 1x1 output
              (1, 9, 5, 1, 4, 2, 1, 2, 1),       # C = F = 1, trailing rows ignored (floor)
              (2, 8, 7, 2, 5, 3, 3, 3, 2),       # big pad with stride 3, neither axis tiles
              (2, 5, 4, 20, 3, 2, 3, 2, 1),      # many channels (a layout switch must not matter)
              (1, 4, 6, 33, 2, 2, 5, 1, 0)]
    return [pytest.param(c, id=f"N{c[0]}-{c[1]}x{c[2]}x{c[3]}-w{c[4]}x{c[5]}x{c[3]}x{c[6]}"
                                 f"-s{c[7]}-p{c[8]}") for c in cases]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pad", [0, 1, 2])
def test_zero_pad_matches_tf(pad, dtype):
    x = np.random.default_rng(pad).standard_normal((2, 3, 4, 2)).astype(dtype)
    expected = tf.pad(tf.constant(x), [[0, 0], [pad, pad], [pad, pad], [0, 0]]).numpy()
    assert_close(layers.zero_pad(x, pad), expected, f"zero_pad(pad={pad})", dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", _conv_grid())
def test_conv_forward_backward_matches_tf(case, dtype):
    n, h, w, c, hh, ww, f, stride, pad = case
    rng = np.random.default_rng(1000 + sum(case))
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    wt = rng.standard_normal((hh, ww, c, f)).astype(dtype)
    b = rng.standard_normal(f).astype(dtype)
    out, cache = layers.conv_forward(x, wt, b, stride=stride, pad=pad)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx, dw, db = layers.conv_backward(dout, cache)

    def conv(xt, wt_, bt):
        return tf.nn.conv2d(xt, wt_, strides=[1, stride, stride, 1],
                            padding=[[0, 0], [pad, pad], [pad, pad], [0, 0]]) + bt

    tf_out, (tf_dx, tf_dw, tf_db) = tf_grads(conv, [x, wt, b], dout)
    assert_close(out, tf_out, "conv_forward out", dtype)
    assert_close(dx, tf_dx, "conv_backward dx", dtype)
    assert_close(dw, tf_dw, "conv_backward dw", dtype)
    assert_close(db, tf_db, "conv_backward db", dtype)


@pytest.mark.parametrize("stride, pad", [(1, 0), (2, 1)])
def test_conv_non_contiguous_inputs_match_tf(stride, pad):
    """Strided views and Fortran-ordered arrays are valid inputs (students pass slices)."""
    rng = np.random.default_rng(40 + stride)
    x = rng.standard_normal((2, 14, 6, 6))[:, ::2, :, ::2]          # (2, 7, 6, 3), strided
    w = np.asfortranarray(rng.standard_normal((3, 2, 3, 4)))
    b = rng.standard_normal(8)[::2]
    out, cache = layers.conv_forward(x, w, b, stride=stride, pad=pad)
    dout = np.asfortranarray(rng.standard_normal(out.shape))
    dx, dw, db = layers.conv_backward(dout, cache)

    def conv(xt, wt_, bt):
        return tf.nn.conv2d(xt, wt_, strides=[1, stride, stride, 1],
                            padding=[[0, 0], [pad, pad], [pad, pad], [0, 0]]) + bt

    tf_out, tf_grads_ = tf_grads(conv, [np.ascontiguousarray(a) for a in (x, w, b)],
                                 np.ascontiguousarray(dout))
    f64 = np.dtype(np.float64)
    assert_close(out, tf_out, "conv_forward out (strided x)", f64)
    for name, got, expected in zip(("dx", "dw", "db"), (dx, dw, db), tf_grads_):
        assert_close(got, expected, f"conv_backward {name} (strided x, Fortran dout)", f64)


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------

POOL_CASES = [  # (x shape, pool_size, stride)
    pytest.param((2, 6, 8, 3), 2, None, id="2x2-stride-default"),
    pytest.param((1, 7, 7, 2), 3, 2, id="3x3-s2-overlap-N1"),
    pytest.param((2, 5, 7, 2), (2, 3), (1, 2), id="2x3-s1x2-rect-overlap"),
    pytest.param((1, 8, 5, 3), (3, 2), (2, 1), id="3x2-s2x1-rect-overlap"),
    pytest.param((2, 4, 5, 1), 2, 1, id="2x2-s1-overlap"),
    pytest.param((1, 8, 10, 2), 3, None, id="3x3-s3-floor"),
    pytest.param((3, 6, 7, 2), (2, 3), None, id="2x3-stride-default-floor"),
    pytest.param((2, 5, 3, 2), (4, 1), (1, 1), id="4x1-s1"),
]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _distinct(rng, shape, dtype):
    """Values that are pairwise distinct (spaced 0.25 apart, exact in float32): no max ties."""
    size = int(np.prod(shape))
    return ((rng.permutation(size) - size / 2) * 0.25).reshape(shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape, pool_size, stride", POOL_CASES)
def test_pool_forward_backward_matches_tf(shape, pool_size, stride, kind, dtype):
    rng = np.random.default_rng(sum(shape) + (kind == "max"))
    x = _distinct(rng, shape, dtype) if kind == "max" else rng.standard_normal(shape).astype(dtype)
    forward = layers.max_pool_forward if kind == "max" else layers.avg_pool_forward
    backward = layers.max_pool_backward if kind == "max" else layers.avg_pool_backward
    out, cache = forward(x, pool_size=pool_size, stride=stride)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx = backward(dout, cache)

    ksize = _pair(pool_size)
    strides = ksize if stride is None else _pair(stride)
    tf_pool = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    tf_out, (tf_dx,) = tf_grads(
        lambda xt: tf_pool(xt, ksize=list(ksize), strides=list(strides), padding="VALID"),
        [x], dout)
    assert_close(out, tf_out, f"{kind}_pool_forward out", dtype)
    assert_close(dx, tf_dx, f"{kind}_pool_backward dx", dtype)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_non_contiguous_inputs_match_tf(kind):
    rng = np.random.default_rng(50)
    base = _distinct(rng, (2, 12, 7, 4), np.float64)
    x = base[:, ::2, :, 1::2]                                      # (2, 6, 7, 2), strided
    forward = layers.max_pool_forward if kind == "max" else layers.avg_pool_forward
    backward = layers.max_pool_backward if kind == "max" else layers.avg_pool_backward
    out, cache = forward(x, pool_size=(3, 2), stride=(1, 2))
    dout = np.asfortranarray(rng.standard_normal(out.shape))
    dx = backward(dout, cache)
    tf_pool = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    tf_out, (tf_dx,) = tf_grads(
        lambda xt: tf_pool(xt, ksize=[3, 2], strides=[1, 2], padding="VALID"),
        [np.ascontiguousarray(x)], np.ascontiguousarray(dout))
    assert_close(out, tf_out, f"{kind}_pool_forward out (strided x)", np.dtype(np.float64))
    assert_close(dx, tf_dx, f"{kind}_pool_backward dx (Fortran dout)", np.dtype(np.float64))


# Max-pool ties, judged by the contract's rule (docs/contract.md §1): the first maximal element of each
# window in row-major order gets the gradient; overlapping windows accumulate. Hand-built (image, pool,
# stride, dout, expected dx), one channel, one example.
TIE_CASES = [
    pytest.param([[1, 1, 1, 1]] * 4, 2, None, [[1, 2], [3, 4]],
                 [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]],
                 id="all-equal-windows-top-left-wins"),
    pytest.param([[0, 3], [3, 1]], 2, None, [[5]], [[0, 5], [0, 0]],
                 id="row-major-not-column-major"),
    pytest.param([[1, 2, 1], [2, 9, 2], [1, 2, 1]], 2, 1, [[1, 10], [100, 1000]],
                 [[0, 0, 0], [0, 1111, 0], [0, 0, 0]], id="four-overlapping-windows-share-max"),
    pytest.param([[1, 2, 2], [2, 2, 1], [0, 2, 2]], 2, 1, [[1, 10], [100, 1000]],
                 [[0, 11, 0], [100, 1000, 0], [0, 0, 0]], id="overlapping-windows-with-ties"),
    pytest.param([[1, 2, 5, 1, 5, 5, 0]], (1, 3), (1, 2), [[1, 10, 100]],
                 [[0, 0, 11, 0, 100, 0, 0]], id="rect-1x3-s1x2-tie-shared-column"),
    pytest.param([[-2.5] * 4] * 3, (2, 3), 1, [[1, 2], [3, 4]],
                 [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 0, 0]], id="rect-2x3-negative-all-equal"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("image, pool_size, stride, dout, expected", TIE_CASES)
def test_max_pool_ties_follow_spec_rule(image, pool_size, stride, dout, expected, dtype):
    x = np.array(image, dtype=dtype)[None, :, :, None]
    out, cache = layers.max_pool_forward(x, pool_size=pool_size, stride=stride)
    dx = layers.max_pool_backward(np.array(dout, dtype=dtype)[None, :, :, None], cache)
    assert out.shape[1:3] == np.shape(dout), f"out shape {out.shape}, dout {np.shape(dout)}"
    assert_close(dx[0, :, :, 0], np.array(expected, dtype=np.float64), "max_pool_backward dx",
                 dtype, oracle="the contract's tie rule (first maximum, row-major, +=)")


def _spec_max_pool_backward(x, dout, size, stride):
    """The contract's rule by loops: np.argmax of each window (first max, row-major), accumulate with +=."""
    (ph, pw), (sh, sw) = size, stride
    dx = np.zeros(x.shape)
    for n, i, j, c in np.ndindex(dout.shape):
        window = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c]
        p, q = divmod(int(np.argmax(window)), pw)
        dx[n, i * sh + p, j * sw + q, c] += dout[n, i, j, c]
    return dx


@pytest.mark.parametrize("shape, pool_size, stride", [
    pytest.param((2, 6, 6, 2), 2, None, id="2x2-s2"),
    pytest.param((1, 7, 6, 3), 3, 1, id="3x3-s1-overlap"),
    pytest.param((2, 7, 8, 1), (3, 2), (2, 1), id="3x2-s2x1-overlap"),
])
def test_max_pool_many_ties_against_spec_loops(shape, pool_size, stride):
    rng = np.random.default_rng(sum(shape))
    x = rng.integers(0, 3, shape).astype(np.float64)        # values 0, 1, 2: ties everywhere
    out, cache = layers.max_pool_forward(x, pool_size=pool_size, stride=stride)
    dout = rng.standard_normal(out.shape)
    size = _pair(pool_size)
    expected = _spec_max_pool_backward(x, dout, size, size if stride is None else _pair(stride))
    assert_close(layers.max_pool_backward(dout, cache), expected, "max_pool_backward dx",
                 np.dtype(np.float64), oracle="the contract's tie rule (np.argmax per window, +=)")


# ---------------------------------------------------------------------------
# ReLU, affine
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_matches_tf_including_zeros(dtype):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 4, 2)).astype(dtype)
    x[0, 0, :, 0] = 0.0                                  # relu'(0) = 0, as TF's ReluGrad
    out, cache = layers.relu_forward(x)
    dout = rng.standard_normal(x.shape).astype(dtype)
    tf_out, (tf_dx,) = tf_grads(tf.nn.relu, [x], dout)
    assert_close(out, tf_out, "relu_forward out", dtype)
    assert_close(layers.relu_backward(dout, cache), tf_dx, "relu_backward dx", dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x_shape, m", [
    pytest.param((1, 7), 3, id="N1-rank2"),
    pytest.param((3, 2, 3, 2), 5, id="N3-rank4"),
    pytest.param((2, 2, 1, 3, 2), 4, id="N2-rank5"),
])
def test_affine_forward_backward_matches_tf(x_shape, m, dtype):
    rng = np.random.default_rng(sum(x_shape) + m)
    d = int(np.prod(x_shape[1:]))
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal((d, m)).astype(dtype)
    b = rng.standard_normal(m).astype(dtype)
    out, cache = layers.affine_forward(x, w, b)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx, dw, db = layers.affine_backward(dout, cache)
    tf_out, (tf_dx, tf_dw, tf_db) = tf_grads(
        lambda xt, wt, bt: tf.matmul(tf.reshape(xt, [x_shape[0], -1]), wt) + bt, [x, w, b], dout)
    assert_close(out, tf_out, "affine_forward out", dtype)
    assert_close(dx, tf_dx, "affine_backward dx", dtype)
    assert_close(dw, tf_dw, "affine_backward dw", dtype)
    assert_close(db, tf_db, "affine_backward db", dtype)


# ---------------------------------------------------------------------------
# Softmax and softmax cross-entropy
# ---------------------------------------------------------------------------

def _scores(name, rng):
    """(scores, labels) for a named case; the large ones must stay finite."""
    if name == "N1":
        s = rng.standard_normal((1, 5))
    elif name == "N4":
        s = rng.standard_normal((4, 6)) * 3
    elif name == "uniform-1e3":
        s = rng.uniform(-1e3, 1e3, (5, 4))
    elif name == "uniform-1e4":
        s = rng.uniform(-1e4, 1e4, (5, 4))
    else:  # "extremes-1e4": huge gaps in one row, all-equal huge rows, the label on the minimum
        s = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1], [-1e4, 1e4, 3.0]])
        return s, np.array([1, 2, 2, 0])
    return s, rng.integers(0, s.shape[1], s.shape[0])


SCORE_CASES = ["N1", "N4", "uniform-1e3", "uniform-1e4", "extremes-1e4"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", SCORE_CASES)
def test_softmax_matches_tf(case, dtype):
    scores, _ = _scores(case, np.random.default_rng(len(case)))
    scores = scores.astype(dtype)
    probs = layers.softmax(scores)
    assert_close(probs, tf.nn.softmax(tf.constant(scores)).numpy(), "softmax probs", dtype)
    assert_close(probs.sum(axis=1), np.ones(len(scores)), "softmax row sums", dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", SCORE_CASES)
def test_softmax_cross_entropy_matches_tf(case, dtype):
    scores, y = _scores(case, np.random.default_rng(len(case)))
    scores = scores.astype(dtype)
    loss, dscores = layers.softmax_cross_entropy(scores, y)
    st = tf.constant(scores)
    with tf.GradientTape() as tape:
        tape.watch(st)
        tf_loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(y), logits=st))
    tf_dscores = tape.gradient(tf_loss, st).numpy()
    assert np.ndim(loss) == 0, f"loss must be a scalar, got shape {np.shape(loss)}"
    assert_close(np.float64(loss), tf_loss.numpy(), "softmax_cross_entropy loss", None,
                 rtol=RTOL[dtype])
    assert_close(dscores, tf_dscores, "softmax_cross_entropy dscores", dtype)
