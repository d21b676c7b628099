"""The reference solution of assignment 01 against naive loops and the slides' worked examples.

The slides' numbers: the X/O template-matching maps (values truncated to 2 decimals, as the
slides print them), their ReLU + 2x2 ceil-mode max pooling, a 6x6 max-pooling example, and the
shape arithmetic of a few classic layers (7x7 with 3x3, a 32x32x3 input, AlexNet's conv1).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.references import reference

conv = reference("01_convolution", "convolution")
layers = reference("02_cnn_layers", "layers")


def assert_equal_2dp(got, expected, what):
    """Compare after truncating to 2 decimals (np.trunc(x * 100) / 100), as the slides print."""
    got = np.trunc(np.asarray(got) * 100) / 100
    expected = np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    bad = ~np.isclose(got, expected, rtol=0, atol=1e-9)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"{what}{list(idx)} truncated to 2 decimals is {got[idx]:.2f}, the "
                             f"slides show {expected[idx]:.2f}")


def assert_close(got, expected, what, rtol=1e-12):
    got, expected = np.asarray(got), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{what}: shape is {got.shape}, expected {expected.shape}"
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    bad = np.abs(got - expected) > rtol * (np.abs(expected) + scale)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"{what}{list(idx)} is {float(got[idx]):.10g}, "
                             f"expected {float(expected[idx]):.10g}")


# ---------------------------------------------------------------------------
# correlate2d / convolve2d against a naive double loop
# ---------------------------------------------------------------------------

def naive_correlate2d(image, kernel, stride, pad):
    """The definition, one output pixel and one tap at a time, in Python floats."""
    h, w = image.shape
    hh, ww = kernel.shape
    padded = np.zeros((h + 2 * pad, w + 2 * pad))
    padded[pad:pad + h, pad:pad + w] = image
    h_out, w_out = (h + 2 * pad - hh) // stride + 1, (w + 2 * pad - ww) // stride + 1
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            total = 0.0
            for p in range(hh):
                for q in range(ww):
                    total += float(padded[i * stride + p, j * stride + q]) * float(kernel[p, q])
            out[i, j] = total
    return out


CORR_CASES = [  # image shape, kernel shape, stride, pad
    pytest.param((5, 5), (3, 3), 1, 0, id="5x5-k3x3-s1-p0"),
    pytest.param((7, 9), (2, 3), 1, 1, id="7x9-k2x3-s1-p1"),
    pytest.param((8, 6), (3, 2), 2, 0, id="8x6-k3x2-s2-p0"),
    pytest.param((9, 7), (3, 3), 2, 2, id="9x7-k3x3-s2-p2-floor"),
    pytest.param((6, 10), (4, 1), 3, 1, id="6x10-k4x1-s3-p1"),
    pytest.param((4, 5), (6, 5), 1, 1, id="kernel-covers-padded-image"),
    pytest.param((10, 7), (1, 1), 3, 0, id="1x1-kernel-s3"),
]


@pytest.mark.parametrize("image_shape, kernel_shape, stride, pad", CORR_CASES)
def test_correlate2d_matches_naive_loop(image_shape, kernel_shape, stride, pad):
    rng = np.random.default_rng(sum(image_shape) * 10 + stride)
    image, kernel = rng.standard_normal(image_shape), rng.standard_normal(kernel_shape)
    got = conv.correlate2d(image, kernel, stride=stride, pad=pad)
    assert_close(got, naive_correlate2d(image, kernel, stride, pad),
                 f"correlate2d stride={stride} pad={pad}: out")


@pytest.mark.parametrize("image_shape, kernel_shape, stride, pad", CORR_CASES)
def test_convolve2d_is_correlation_with_rotated_kernel(image_shape, kernel_shape, stride, pad):
    rng = np.random.default_rng(sum(image_shape) * 10 + stride + 1)
    image, kernel = rng.standard_normal(image_shape), rng.standard_normal(kernel_shape)
    got = conv.convolve2d(image, kernel, stride=stride, pad=pad)
    assert_close(got, naive_correlate2d(image, kernel[::-1, ::-1], stride, pad),
                 f"convolve2d stride={stride} pad={pad}: out")


@pytest.mark.parametrize("kernel_shape", [(3, 3), (2, 3), (3, 1)])
def test_delta_image_convolution_gives_kernel_correlation_gives_it_rotated(kernel_shape):
    hh, ww = kernel_shape
    kernel = np.arange(1.0, hh * ww + 1).reshape(kernel_shape)
    delta = np.zeros((2 * hh - 1, 2 * ww - 1))
    delta[hh - 1, ww - 1] = 1.0
    assert_close(conv.convolve2d(delta, kernel), kernel, "convolve2d(delta, kernel)")
    assert_close(conv.correlate2d(delta, kernel), kernel[::-1, ::-1], "correlate2d(delta, kernel)")


@pytest.mark.parametrize("fn", [conv.correlate2d, conv.convolve2d], ids=["correlate", "convolve"])
@pytest.mark.parametrize("kwargs, argument", [
    pytest.param(dict(image=np.ones((3, 4)), kernel=np.ones((4, 2))), "kernel",
                 id="kernel-too-tall"),
    pytest.param(dict(image=np.ones((3, 4)), kernel=np.ones((2, 7)), pad=1), "kernel",
                 id="kernel-too-wide-with-pad"),
    pytest.param(dict(image=np.ones((5, 5)), kernel=np.ones((3, 3)), stride=0), "stride",
                 id="stride-0"),
    pytest.param(dict(image=np.ones((5, 5)), kernel=np.ones((3, 3)), pad=-1), "pad", id="pad-neg"),
])
def test_bad_arguments_raise_value_error_naming_them(fn, kwargs, argument):
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        fn(**kwargs)


def test_padding_makes_a_large_kernel_fit():
    out = conv.correlate2d(np.ones((3, 4)), np.ones((4, 2)), pad=1)    # 3 + 2 >= 4: fits
    assert out.shape == (2, 5), \
        f"correlate2d 3x4 with 4x2, pad=1: shape {out.shape}, expected (2, 5)"


# ---------------------------------------------------------------------------
# The slides' X/O template matching
# ---------------------------------------------------------------------------

def x_image():
    """The classic 9x9 'X' of +1 pixels on a -1 background (a one-pixel -1 border)."""
    image = -np.ones((9, 9))
    for i in range(1, 8):
        image[i, i] = image[i, 8 - i] = 1.0
    return image


DIAGONAL = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
CENTER = np.array([[1, -1, 1], [-1, 1, -1], [1, -1, 1]])
ANTI_DIAGONAL = DIAGONAL[:, ::-1]

DIAGONAL_MAP = [  # the slides' map for the diagonal filter, truncated to 2 decimals
    [0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33],
    [-0.11, 1.00, -0.11, 0.33, -0.11, 0.11, -0.11],
    [0.11, -0.11, 1.00, -0.33, 0.11, -0.11, 0.55],
    [0.33, 0.33, -0.33, 0.55, -0.33, 0.33, 0.33],
    [0.55, -0.11, 0.11, -0.33, 1.00, -0.11, 0.11],
    [-0.11, 0.11, -0.11, 0.33, -0.11, 1.00, -0.11],
    [0.33, -0.11, 0.55, 0.33, 0.11, -0.11, 0.77],
]
CENTER_MAP = [
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.11, 0.33, -0.77, 1.00, -0.77, 0.33, -0.11],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33],
]
DIAGONAL_POOLED = [  # ReLU, then 2x2 max pooling, stride 2, ceil mode: 7x7 -> 4x4
    [1.00, 0.33, 0.55, 0.33],
    [0.33, 1.00, 0.33, 0.55],
    [0.55, 0.33, 1.00, 0.11],
    [0.33, 0.55, 0.11, 0.77],
]


def test_x_image_diagonal_filter_first_row():
    row = conv.template_match(x_image(), DIAGONAL)[0]
    assert_equal_2dp(row, [0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33],
                     "template_match(X, diagonal) first row")


@pytest.mark.parametrize("template, expected", [
    pytest.param(DIAGONAL, DIAGONAL_MAP, id="diagonal"),
    pytest.param(ANTI_DIAGONAL, [r[::-1] for r in DIAGONAL_MAP], id="anti-diagonal-mirrors"),
    pytest.param(CENTER, CENTER_MAP, id="center-x"),
])
def test_x_image_template_maps(template, expected):
    got = conv.template_match(x_image(), template)
    assert_equal_2dp(got, expected, "template_match(X image, filter)")
    # Multiply, add, divide by the number of pixels: every value is an integer count over 9.
    assert_close(got * 9, np.round(got * 9), "template_match * template.size")


def test_template_matching_itself_scores_one():
    assert_close(conv.template_match(x_image(), x_image()), [[1.0]], "template_match(X, X)")


def test_relu_then_ceil_mode_pooling_of_the_diagonal_map():
    feature = conv.relu(conv.template_match(x_image(), DIAGONAL))
    assert feature.min() == 0.0, "relu: negatives must become 0"
    pooled = conv.max_pool2d(feature, size=2, stride=2, ceil_mode=True)
    assert pooled.shape == (4, 4), f"ceil-mode pooling of 7x7: shape {pooled.shape}, expected 4x4"
    assert_equal_2dp(pooled, DIAGONAL_POOLED, "max_pool2d(relu(map), 2, 2, ceil_mode=True)")
    floor = conv.max_pool2d(feature, size=2, stride=2)
    assert floor.shape == (3, 3), f"floor-mode pooling of 7x7: shape {floor.shape}, expected 3x3"
    assert_equal_2dp(floor, [r[:3] for r in DIAGONAL_POOLED[:3]], "max_pool2d floor mode")


def test_relu_by_hand():
    got = conv.relu(np.array([[-2.0, 0.0, 3.5], [1e-9, -1e-9, -0.0]]))
    assert_close(got, [[0.0, 0.0, 3.5], [1e-9, 0.0, 0.0]], "relu", rtol=0)


# ---------------------------------------------------------------------------
# Max pooling: the 6x6 example, ceil mode
# ---------------------------------------------------------------------------

SIX_BY_SIX = np.array([[1, 7, 2, 5, 6, 0],
                       [3, 4, 5, 1, 2, 3],
                       [7, 2, 8, 3, -1, 5],
                       [1, 0, 4, 1, 2, 4],
                       [4, 1, 5, 2, 7, 3],
                       [2, 3, 1, 0, 6, 7]])


def test_max_pool_6x6_example():
    got = conv.max_pool2d(SIX_BY_SIX, size=2, stride=2)
    assert_close(got, [[7, 5, 6], [7, 8, 5], [4, 5, 7]], "max_pool2d(6x6, 2, 2)", rtol=0)
    assert got.dtype == np.float64, \
        f"max_pool2d of an int image: dtype {got.dtype}, expected float64"
    ceil = conv.max_pool2d(SIX_BY_SIX, size=2, stride=2, ceil_mode=True)
    assert_close(ceil, got, "max_pool2d(6x6, 2, 2, ceil_mode=True): tiles exactly, same as floor")


def naive_ceil_pool(image, size, stride, h_out, w_out):
    """Windows start at i*stride; a partial window holds only the pixels inside the image."""
    out = np.empty((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = image[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


CEIL_CASES = [  # H, W, size, stride, (H_out, W_out) by PyTorch's rule, (H_out, W_out) by floor
    pytest.param(7, 5, 2, 2, (4, 3), (3, 2), id="7x5-k2-s2"),
    pytest.param(6, 7, 2, 3, (2, 3), (2, 2), id="6x7-k2-s3-last-window-dropped-on-H"),
    pytest.param(5, 6, 1, 3, (2, 2), (2, 2), id="5x6-k1-s3-minus-one-both-axes"),
    pytest.param(8, 7, 3, 3, (3, 3), (2, 2), id="8x7-k3-s3"),
    pytest.param(6, 6, 2, 2, (3, 3), (3, 3), id="6x6-k2-s2-tiles"),
    pytest.param(5, 9, 3, 2, (2, 4), (2, 4), id="5x9-k3-s2-overlap"),
]


@pytest.mark.parametrize("h, w, size, stride, ceil_shape, floor_shape", CEIL_CASES)
def test_max_pool2d_ceil_and_floor_modes(h, w, size, stride, ceil_shape, floor_shape):
    rng = np.random.default_rng(h * 10 + w)
    image = -(rng.permutation(h * w) + 1.0).reshape(h, w)      # all negative: never pad with 0
    for ceil_mode, shape in ((True, ceil_shape), (False, floor_shape)):
        got = conv.max_pool2d(image, size=size, stride=stride, ceil_mode=ceil_mode)
        assert got.shape == shape, \
            f"max_pool2d {h}x{w}, size={size}, stride={stride}, ceil_mode={ceil_mode}: shape " \
            f"{got.shape}, expected {shape}"
        assert_close(got, naive_ceil_pool(image, size, stride, *shape),
                     f"max_pool2d {h}x{w} size={size} stride={stride} ceil_mode={ceil_mode}: out")


def test_partial_windows_take_the_max_of_their_pixels_even_if_negative():
    image = -np.arange(1.0, 50.0).reshape(7, 7)
    got = conv.max_pool2d(image, size=2, stride=2, ceil_mode=True)
    assert got[3, 3] == -49.0, f"corner window holds only image[6, 6] = -49, got {got[3, 3]}"
    assert got[0, 3] == -7.0, f"right window holds image[0:2, 6] = (-7, -14), got {got[0, 3]}"
    assert got[3, 0] == -43.0, f"bottom window holds image[6, 0:2] = (-43, -44), got {got[3, 0]}"


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_window_larger_than_image_raises(ceil_mode):
    with pytest.raises(ValueError, match=r"\bsize\b"):
        conv.max_pool2d(np.zeros((3, 4)), size=4, stride=1, ceil_mode=ceil_mode)


# ---------------------------------------------------------------------------
# Shape arithmetic
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n, f, stride, pad, size, tiles", [
    pytest.param(7, 3, 1, 0, 5, True, id="7x7-3x3-s1"),
    pytest.param(7, 3, 2, 0, 3, True, id="7x7-3x3-s2"),
    pytest.param(7, 3, 3, 0, 2, False, id="7x7-3x3-s3-does-not-fit"),
    pytest.param(32, 5, 1, 2, 32, True, id="32x32x3-ten-5x5-s1-p2"),
    pytest.param(227, 11, 4, 0, 55, True, id="alexnet-conv1"),
    pytest.param(55, 3, 2, 0, 27, True, id="alexnet-pool1"),
    pytest.param(28, 5, 1, 0, 24, True, id="lenet-conv1"),
    pytest.param(5, 5, 1, 0, 1, True, id="filter-equals-input"),
])
def test_conv_output_size_and_fits(n, f, stride, pad, size, tiles):
    assert conv.conv_output_size(n, f, stride, pad) == size, \
        f"conv_output_size({n}, {f}, stride={stride}, pad={pad}) should be {size}"
    assert conv.fits(n, f, stride, pad) is tiles, \
        f"fits({n}, {f}, stride={stride}, pad={pad}) should be {tiles}"


def test_filter_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"\bf\b"):
        conv.conv_output_size(4, 7, pad=1)
    assert conv.fits(4, 7, pad=1) is False
    assert conv.conv_output_size(4, 6, pad=1) == 1 and conv.fits(4, 6, pad=1) is True


@pytest.mark.parametrize("kwargs, argument", [
    pytest.param(dict(n=7, f=3, stride=0), "stride", id="stride-0"),
    pytest.param(dict(n=7, f=3, pad=-1), "pad", id="pad-negative"),
])
def test_conv_output_size_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        conv.conv_output_size(**kwargs)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad, out_shape", [
    pytest.param((1, 32, 32, 3), (5, 5, 3, 10), 1, 2, (1, 32, 32, 10), id="32x32x3-ten-5x5"),
    pytest.param((1, 227, 227, 3), (11, 11, 3, 96), 4, 0, (1, 55, 55, 96), id="alexnet-conv1"),
])
def test_slide_volumes_through_the_layers(x_shape, w_shape, stride, pad, out_shape):
    """The arithmetic agrees with a real conv layer: output volume and parameter count."""
    hh, _, c, f = w_shape
    out, _ = layers.conv_forward(np.zeros(x_shape), np.zeros(w_shape), np.zeros(f), stride, pad)
    assert out.shape == out_shape, f"conv_forward{x_shape} with {w_shape}: shape {out.shape}"
    assert conv.conv_output_size(x_shape[1], hh, stride, pad) == out_shape[1]
    assert conv.conv_param_count(hh, c, f) == math.prod(w_shape) + f
    if out_shape[1] == 55:                                   # AlexNet's pool1: 3x3, stride 2
        pooled, _ = layers.max_pool_forward(out, pool_size=3, stride=2)
        assert pooled.shape == (1, 27, 27, 96), f"pool1 of 55x55x96: shape {pooled.shape}"


@pytest.mark.parametrize("f, c_in, c_out, bias, count", [
    pytest.param(5, 3, 10, True, 760, id="ten-5x5x3-filters"),
    pytest.param(11, 3, 96, True, 34944, id="alexnet-conv1"),
    pytest.param(5, 1, 6, True, 156, id="lenet-conv1"),
    pytest.param(3, 64, 128, False, 73728, id="no-bias"),
])
def test_conv_param_count(f, c_in, c_out, bias, count):
    assert conv.conv_param_count(f, c_in, c_out, bias=bias) == count, \
        f"conv_param_count({f}, {c_in}, {c_out}, bias={bias}) should be {count}"


@pytest.mark.parametrize("n_in, n_out, bias, count", [
    (400, 120, True, 48120), (400, 120, False, 48000), (9216, 4096, True, 37752832),
])
def test_dense_param_count(n_in, n_out, bias, count):
    assert conv.dense_param_count(n_in, n_out, bias=bias) == count, \
        f"dense_param_count({n_in}, {n_out}, bias={bias}) should be {count}"


@pytest.mark.parametrize("f, pad", [(1, 0), (3, 1), (5, 2), (7, 3), (11, 5)])
def test_same_padding_odd(f, pad):
    assert conv.same_padding(f) == pad, f"same_padding({f}) should be {pad}"
    assert conv.conv_output_size(17, f, 1, pad) == 17, "same padding must keep the size"


@pytest.mark.parametrize("f", [2, 4, 6])
def test_same_padding_even_raises(f):
    with pytest.raises(ValueError, match=r"\bf\b"):
        conv.same_padding(f)


@pytest.mark.parametrize("layers, r", [
    pytest.param([], 1, id="no-layers"),
    pytest.param([(3, 1)], 3, id="one-3x3"),
    pytest.param([(3, 1), (3, 1)], 5, id="two-3x3"),
    pytest.param([(3, 1)] * 3, 7, id="three-3x3-like-one-7x7"),
    pytest.param([(2, 2), (3, 1)], 6, id="pool-then-conv"),
    pytest.param([(11, 4), (3, 2), (5, 1)], 51, id="alexnet-conv1-pool1-conv2"),
])
def test_receptive_field_by_hand(layers, r):
    assert conv.receptive_field(layers) == r, f"receptive_field({layers}) should be {r}"


@pytest.mark.parametrize("seed", range(5))
def test_receptive_field_against_the_backward_recursion(seed):
    """Independent derivation: walk from one output pixel down, r <- (r - 1) * s + f."""
    rng = np.random.default_rng(seed)
    layers = [(int(rng.integers(1, 8)), int(rng.integers(1, 4))) for _ in range(rng.integers(1, 7))]
    r = 1
    for f, s in reversed(layers):
        r = (r - 1) * s + f
    assert conv.receptive_field(layers) == r, f"receptive_field({layers}) should be {r}"
    expected = 1 + sum((f - 1) * math.prod(s for _, s in layers[:i]) for i, (f, _) in
                       enumerate(layers))
    assert r == expected       # the contract's formula and the recursion agree (sanity of the oracle)
