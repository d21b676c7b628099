"""Checks of ``layers.py`` (assignment 02): every function, forward and backward.

Grids cover stride 1-3, pad 0-2, H != W, HH != WW, C and F > 1, batch size 1, overlapping and
rectangular pools, exact ties and exact zeros, logits of +-1e3..1e4, float32 and float64. The
names are the rubric's keys (``autograder/rubrics/02_cnn_layers.toml``).
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from autograder.checks.base import Check
from autograder.checks.declare import Table
from autograder.checks.families import BadCase, Spec, case

MODULE = "layers"

ZERO_PAD = Spec("zero_pad", ("x", "pad"), ("out",))
CONV_F = Spec("conv_forward", ("x", "w", "b"), ("out", "_"), ("stride", "pad"))
CONV_B = Spec("conv_backward", ("dout", "cache"), ("dx", "dw", "db"))
MAXP_F = Spec("max_pool_forward", ("x",), ("out", "_"), ("pool_size", "stride"))
MAXP_B = Spec("max_pool_backward", ("dout", "cache"), ("dx",))
AVGP_F = Spec("avg_pool_forward", ("x",), ("out", "_"), ("pool_size", "stride"))
AVGP_B = Spec("avg_pool_backward", ("dout", "cache"), ("dx",))
RELU_F = Spec("relu_forward", ("x",), ("out", "_"))
RELU_B = Spec("relu_backward", ("dout", "cache"), ("dx",))
AFF_F = Spec("affine_forward", ("x", "w", "b"), ("out", "_"))
AFF_B = Spec("affine_backward", ("dout", "cache"), ("dx", "dw", "db"))
SOFTMAX = Spec("softmax", ("scores",), ("probs",))
SCE = Spec("softmax_cross_entropy", ("scores", "y"), ("loss", "dscores"))


# ---------------------------------------------------------------------------
# Case generators: (rng) -> list of cases. Every array is float64 unless a dtype is asked.
# ---------------------------------------------------------------------------

def _conv_out(h, k, s, p):
    return (h + 2 * p - k) // s + 1


def _conv(rng, *, n, h, w, c, hh, ww, f, stride, pad, dtype=np.float64):
    x = rng.normal(size=(n, h, w, c)).astype(dtype)
    k = rng.normal(size=(hh, ww, c, f)).astype(dtype)
    b = rng.normal(size=(f,)).astype(dtype)
    dout = rng.normal(size=(n, _conv_out(h, hh, stride, pad), _conv_out(w, ww, stride, pad), f)).astype(dtype)
    return case(x=x, w=k, b=b, stride=stride, pad=pad, dout=dout)


def conv_basic(rng):
    return [_conv(rng, n=2, h=5, w=5, c=3, hh=3, ww=3, f=2, stride=1, pad=0)]


def conv_grid(rng):
    """stride 1-3 x pad 0-2, H != W, C and F > 1."""
    return [_conv(rng, n=2, h=7, w=9, c=3, hh=3, ww=3, f=4, stride=s, pad=p) for s in (1, 2, 3) for p in (0, 1, 2)]


def conv_stride(rng):
    return [_conv(rng, n=2, h=9, w=8, c=2, hh=3, ww=3, f=3, stride=s, pad=0) for s in (2, 3)]


def conv_pad(rng):
    return [_conv(rng, n=2, h=5, w=6, c=2, hh=3, ww=3, f=3, stride=1, pad=p) for p in (1, 2)] + \
        [_conv(rng, n=1, h=4, w=4, c=1, hh=3, ww=3, f=2, stride=2, pad=1)]


def conv_rect(rng):
    """H != W and HH != WW, batch of one, single channels, a filter as big as the input."""
    return [_conv(rng, n=1, h=6, w=8, c=2, hh=2, ww=3, f=3, stride=2, pad=1),
            _conv(rng, n=3, h=8, w=5, c=3, hh=3, ww=1, f=2, stride=1, pad=2),
            _conv(rng, n=2, h=7, w=4, c=1, hh=1, ww=4, f=1, stride=3, pad=0),
            _conv(rng, n=1, h=4, w=5, c=2, hh=4, ww=5, f=3, stride=1, pad=0)]


def conv_float32(rng):
    return [_conv(rng, n=2, h=6, w=7, c=3, hh=3, ww=2, f=4, stride=s, pad=p, dtype=np.float32)
            for s, p in ((1, 0), (2, 1))]


def conv_dtypes(rng):
    """Integer images give float64; mixed float32/float64 inputs give np.result_type: float64."""
    ints = _conv(rng, n=2, h=5, w=6, c=2, hh=3, ww=3, f=2, stride=1, pad=1)
    ints.params["x"] = rng.integers(0, 256, size=(2, 5, 6, 2)).astype(np.uint8)
    mixed = _conv(rng, n=1, h=6, w=5, c=3, hh=2, ww=3, f=2, stride=2, pad=0)
    mixed.params["x"] = mixed.params["x"].astype(np.float32)
    mixed.params["b"] = mixed.params["b"].astype(np.float32)
    return [case(**{k: v for k, v in c.params.items()}) for c in (ints, mixed)]


def relu_dtypes(rng):
    return [case(x=rng.integers(-5, 6, size=(3, 4)), dout=rng.normal(size=(3, 4))),
            case(x=rng.integers(-5, 6, size=(2, 3)).astype(np.int8), dout=rng.normal(size=(2, 3)))]


def affine_dtypes(rng):
    c = _affine(rng, shape=(3, 2, 4), m=5)
    return [case(**dict(c.params, x=c.params["x"].astype(np.float32))),
            case(**dict(c.params, x=rng.integers(0, 10, size=(3, 2, 4))))]


def conv_bad(rng):
    x = rng.normal(size=(1, 4, 4, 2))
    w, b = rng.normal(size=(3, 3, 2, 2)), np.zeros(2)
    return [
        BadCase(case(x=x, w=rng.normal(size=(5, 5, 2, 2)), b=b, stride=1, pad=0),
                "the 5x5 filter is larger than the 4x4 input", ("filter", "kernel", "w", "larger", "size")),
        BadCase(case(x=x, w=w, b=b, stride=0, pad=0), "stride must be >= 1", ("stride",)),
        BadCase(case(x=x, w=w, b=b, stride=1, pad=-1), "pad must be >= 0", ("pad",)),
        BadCase(case(x=x, w=rng.normal(size=(3, 3, 3, 2)), b=b, stride=1, pad=0),
                "x has 2 channels but w expects 3", ("channel", "w", "x", "shape", "c")),
    ]


def zero_pad_cases(rng):
    return [case(x=rng.normal(size=(2, 3, 4, 2)), pad=p) for p in (1, 2)] + \
        [case(x=rng.normal(size=(1, 2, 5, 3)), pad=0)]


def zero_pad_float32(rng):
    return [case(x=rng.normal(size=(2, 3, 2, 2)).astype(np.float32), pad=1)]


def zero_pad_bad(rng):
    return [BadCase(case(x=rng.normal(size=(1, 2, 2, 1)), pad=-1), "pad must be >= 0", ("pad",))]


def _pool(rng, *, shape, pool, stride, dtype=np.float64, ties=False):
    if ties:
        x = rng.integers(0, 3, size=shape).astype(dtype)
    else:
        x = rng.permutation(np.prod(shape)).reshape(shape).astype(dtype) / 7 - 3
    ph, pw = (pool, pool) if isinstance(pool, int) else pool
    sh, sw = (ph, pw) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    out = (shape[0], (shape[1] - ph) // sh + 1, (shape[2] - pw) // sw + 1, shape[3])
    dout = rng.normal(size=out).astype(dtype)
    params = dict(x=x, pool_size=pool, dout=dout)
    if stride is not None:
        params["stride"] = stride
    return case(**params)


def pool_basic(rng):
    return [_pool(rng, shape=(2, 6, 8, 3), pool=2, stride=None), _pool(rng, shape=(1, 4, 4, 1), pool=2, stride=2)]


def pool_overlap(rng):
    """stride < pool size: windows share elements, so gradients must accumulate (+=)."""
    return [_pool(rng, shape=(2, 7, 7, 2), pool=3, stride=2), _pool(rng, shape=(1, 5, 6, 2), pool=3, stride=1),
            _pool(rng, shape=(2, 5, 5, 1), pool=2, stride=1)]


def pool_rect(rng):
    return [_pool(rng, shape=(2, 7, 9, 2), pool=(2, 3), stride=(1, 2)),
            _pool(rng, shape=(1, 8, 5, 3), pool=(3, 2), stride=(2, 1)),
            _pool(rng, shape=(2, 5, 7, 1), pool=(2, 3), stride=None),
            _pool(rng, shape=(1, 7, 6, 2), pool=2, stride=3)]


def pool_ties(rng):
    """Exact ties: the gradient goes to the first maximum (row-major), overlapping or not."""
    flat = case(x=np.zeros((1, 4, 4, 2)), pool_size=2, dout=rng.normal(size=(1, 2, 2, 2)))
    return [flat, _pool(rng, shape=(2, 6, 6, 2), pool=2, stride=None, ties=True),
            _pool(rng, shape=(2, 7, 6, 2), pool=3, stride=2, ties=True),
            _pool(rng, shape=(1, 6, 7, 3), pool=(2, 3), stride=1, ties=True)]


def pool_float32(rng):
    return [_pool(rng, shape=(2, 6, 6, 2), pool=2, stride=None, dtype=np.float32),
            _pool(rng, shape=(1, 7, 7, 2), pool=3, stride=2, dtype=np.float32)]


def pool_bad(rng):
    x = rng.normal(size=(1, 3, 4, 1))
    return [BadCase(case(x=x, pool_size=4), "the 4x4 window is larger than the 3x4 input",
                    ("pool", "window", "size", "larger")),
            BadCase(case(x=x, pool_size=2, stride=0), "stride must be >= 1", ("stride",))]


def relu_cases(rng):
    x = rng.normal(size=(3, 4, 5, 2))
    x.flat[::7] = 0.0
    x.flat[3::11] = -0.0
    return [case(x=x, dout=rng.normal(size=x.shape)), case(x=rng.normal(size=(4, 6)), dout=rng.normal(size=(4, 6)))]


def relu_zeros(rng):
    """Exact zeros: relu'(0) = 0, so dx is 0 where x == 0."""
    x = np.array([[-1.0, 0.0, 2.0], [0.0, -0.0, 0.5]])
    return [case(x=x, dout=rng.normal(size=x.shape)),
            case(x=np.zeros((2, 3, 3, 1)), dout=rng.normal(size=(2, 3, 3, 1)))]


def relu_float32(rng):
    x = rng.normal(size=(2, 3, 3, 2)).astype(np.float32)
    return [case(x=x, dout=rng.normal(size=x.shape).astype(np.float32))]


def _affine(rng, *, shape, m, dtype=np.float64):
    d = int(np.prod(shape[1:]))
    return case(x=rng.normal(size=shape).astype(dtype), w=rng.normal(size=(d, m)).astype(dtype),
                b=rng.normal(size=(m,)).astype(dtype), dout=rng.normal(size=(shape[0], m)).astype(dtype))


def affine_basic(rng):
    return [_affine(rng, shape=(4, 5), m=3), _affine(rng, shape=(1, 7), m=2)]


def affine_nd(rng):
    """x of rank 3 and 4 (an image batch), flattened row-major to (N, D)."""
    return [_affine(rng, shape=(3, 2, 3, 4), m=5), _affine(rng, shape=(2, 4, 6), m=3)]


def affine_float32(rng):
    return [_affine(rng, shape=(3, 2, 2, 3), m=4, dtype=np.float32)]


def affine_bad(rng):
    return [BadCase(case(x=rng.normal(size=(2, 3)), w=rng.normal(size=(4, 2)), b=np.zeros(2)),
                    "x has 3 features but w has 4 rows", ("x", "w", "shape", "match", "d"))]


def scores_basic(rng):
    scores = rng.normal(scale=3, size=(5, 4))
    return [case(scores=scores, y=rng.integers(0, 4, size=5)),
            case(scores=rng.normal(size=(1, 3)), y=np.array([2]))]


def scores_large(rng):
    """Logits of +-1e3..1e4: exp overflows unless the row maximum is subtracted first."""
    scores = np.array([[1e4, -1e4, 0.0, 5e3], [-1e3, -1e3 + 1, -1e3 + 2, -2e3],
                       [1e3, 1e3, 999.0, -1e4]])
    return [case(scores=scores, y=np.array([1, 2, 0])),
            case(scores=rng.normal(scale=1e3, size=(4, 6)), y=rng.integers(0, 6, size=4))]


def scores_float32(rng):
    scores = (rng.normal(scale=3, size=(4, 5))).astype(np.float32)
    scores[0, 0] = 80.0
    return [case(scores=scores, y=rng.integers(0, 5, size=4))]


def softmax_bad(rng):
    return [BadCase(case(scores=rng.normal(size=(3, 2)), y=np.array([0, 1])),
                    "y has 2 labels for 3 rows of scores", ("y", "label", "shape"))]


# ---------------------------------------------------------------------------
# The table: every check of layers.py, in report order.
# ---------------------------------------------------------------------------

def checks() -> Iterator[Check]:
    """Yield the checks of layers.py; names are ``function.aspect``."""
    table = Table(MODULE)
    float32 = "float32 in, float32 out, values to float32 precision"
    float32_grads = "float32 gradients keep float32"
    dtypes = "integer inputs give float64; mixed float32/float64 give float64"
    unchanged, dout_unchanged = "inputs are left unchanged", "dout is left unchanged"
    errors = "bad arguments raise ValueError naming the argument"

    yield table.values("zero_pad.values", ZERO_PAD, zero_pad_cases, "pad 0-2 on every side of H and W")
    yield table.values("zero_pad.float32", ZERO_PAD, zero_pad_float32, float32, dtype=np.float32,
                       requires=("zero_pad.values",))
    yield table.no_mutation("zero_pad.no_mutation", ZERO_PAD, zero_pad_cases, unchanged, requires=("zero_pad.values",))
    yield table.raises("zero_pad.errors", ZERO_PAD, zero_pad_bad, errors, requires=("zero_pad.values",))

    first = ("conv_forward.basic",)
    yield table.values("conv_forward.basic", CONV_F, conv_basic, "stride 1, pad 0")
    yield table.values("conv_forward.grid", CONV_F, conv_grid, "stride 1-3 x pad 0-2, H != W, C, F > 1")
    yield table.values("conv_forward.rect", CONV_F, conv_rect, "HH != WW, batch of one, filter as big as the input")
    yield table.values("conv_forward.float32", CONV_F, conv_float32, float32, dtype=np.float32, requires=first)
    yield table.values("conv_forward.dtypes", CONV_F, conv_dtypes, dtypes, dtype=np.float64, requires=first)
    yield table.no_mutation("conv_forward.no_mutation", CONV_F, conv_basic, unchanged, requires=first)
    yield table.raises("conv_forward.errors", CONV_F, conv_bad, errors, requires=first)

    first, wrt = ("conv_backward.basic",), {"dx": "x", "dw": "w", "db": "b"}
    yield table.backward("conv_backward.basic", CONV_F, CONV_B, conv_basic, "stride 1, pad 0", wrt=wrt)
    yield table.backward("conv_backward.stride", CONV_F, CONV_B, conv_stride, "stride 2 and 3", wrt=wrt)
    yield table.backward("conv_backward.pad", CONV_F, CONV_B, conv_pad, "pad 1 and 2 (dx cropped back to x)", wrt=wrt)
    yield table.backward("conv_backward.rect", CONV_F, CONV_B, conv_rect, "HH != WW, H != W, batch of one", wrt=wrt)
    yield table.backward("conv_backward.grid", CONV_F, CONV_B, conv_grid, "stride 1-3 x pad 0-2", wrt=wrt)
    yield table.backward("conv_backward.float32", CONV_F, CONV_B, conv_float32, float32_grads, dtype=np.float32,
                         requires=first)
    yield table.no_mutation("conv_backward.no_mutation", CONV_B, conv_basic, dout_unchanged, backward_of=CONV_F,
                            requires=first)

    first = ("max_pool_forward.basic",)
    yield table.values("max_pool_forward.basic", MAXP_F, pool_basic, "2x2 windows, stride = pool size")
    yield table.values("max_pool_forward.overlap", MAXP_F, pool_overlap, "overlapping windows (stride < pool)")
    yield table.values("max_pool_forward.rect", MAXP_F, pool_rect, "rectangular windows and strides")
    yield table.values("max_pool_forward.float32", MAXP_F, pool_float32, float32, dtype=np.float32, requires=first)
    yield table.no_mutation("max_pool_forward.no_mutation", MAXP_F, pool_basic, unchanged, requires=first)
    yield table.raises("max_pool_forward.errors", MAXP_F, pool_bad, errors, requires=first)

    first, wrt = ("max_pool_backward.basic",), {"dx": "x"}
    yield table.backward("max_pool_backward.basic", MAXP_F, MAXP_B, pool_basic, "2x2 windows, stride = pool size",
                         wrt=wrt)
    yield table.backward("max_pool_backward.overlap", MAXP_F, MAXP_B, pool_overlap,
                         "overlapping windows accumulate (+=)", wrt=wrt)
    yield table.backward("max_pool_backward.ties", MAXP_F, MAXP_B, pool_ties,
                         "ties: the first maximum in row-major order", wrt=wrt)
    yield table.backward("max_pool_backward.rect", MAXP_F, MAXP_B, pool_rect, "rectangular windows and strides",
                         wrt=wrt)
    yield table.backward("max_pool_backward.float32", MAXP_F, MAXP_B, pool_float32, float32_grads, dtype=np.float32,
                         requires=first)
    yield table.no_mutation("max_pool_backward.no_mutation", MAXP_B, pool_basic, dout_unchanged, backward_of=MAXP_F,
                            requires=first)

    first = ("avg_pool_forward.basic",)
    yield table.values("avg_pool_forward.basic", AVGP_F, pool_basic, "2x2 windows, stride = pool size")
    yield table.values("avg_pool_forward.overlap", AVGP_F, pool_overlap, "overlapping windows")
    yield table.values("avg_pool_forward.rect", AVGP_F, pool_rect, "rectangular windows and strides")
    yield table.values("avg_pool_forward.float32", AVGP_F, pool_float32, float32, dtype=np.float32, requires=first)
    yield table.no_mutation("avg_pool_forward.no_mutation", AVGP_F, pool_basic, unchanged, requires=first)
    yield table.raises("avg_pool_forward.errors", AVGP_F, pool_bad, errors, requires=first)

    first = ("avg_pool_backward.basic",)
    yield table.backward("avg_pool_backward.basic", AVGP_F, AVGP_B, pool_basic, "2x2 windows, stride = pool size",
                         wrt=wrt)
    yield table.backward("avg_pool_backward.overlap", AVGP_F, AVGP_B, pool_overlap,
                         "overlapping windows accumulate (+=)", wrt=wrt)
    yield table.backward("avg_pool_backward.rect", AVGP_F, AVGP_B, pool_rect, "rectangular windows and strides",
                         wrt=wrt)
    yield table.backward("avg_pool_backward.float32", AVGP_F, AVGP_B, pool_float32, float32_grads, dtype=np.float32,
                         requires=first)
    yield table.no_mutation("avg_pool_backward.no_mutation", AVGP_B, pool_basic, dout_unchanged, backward_of=AVGP_F,
                            requires=first)

    first = ("relu_forward.basic",)
    yield table.values("relu_forward.basic", RELU_F, relu_cases, "values, with exact zeros and -0.0")
    yield table.values("relu_forward.float32", RELU_F, relu_float32, float32, dtype=np.float32, requires=first)
    yield table.values("relu_forward.dtypes", RELU_F, relu_dtypes, dtypes, dtype=np.float64, requires=first)
    yield table.no_mutation("relu_forward.no_mutation", RELU_F, relu_cases, unchanged, requires=first)

    first = ("relu_backward.basic",)
    yield table.backward("relu_backward.basic", RELU_F, RELU_B, relu_cases, "dx = dout where x > 0", wrt={})
    yield table.backward("relu_backward.zeros", RELU_F, RELU_B, relu_zeros, "relu'(0) = 0 at exact zeros", wrt={})
    yield table.backward("relu_backward.float32", RELU_F, RELU_B, relu_float32, float32_grads, dtype=np.float32,
                         requires=first)
    yield table.no_mutation("relu_backward.no_mutation", RELU_B, relu_cases, dout_unchanged, backward_of=RELU_F,
                            requires=first)

    first = ("affine_forward.basic",)
    yield table.values("affine_forward.basic", AFF_F, affine_basic, "x of shape (N, D)")
    yield table.values("affine_forward.nd", AFF_F, affine_nd, "x of rank 3 and 4, flattened row-major")
    yield table.values("affine_forward.float32", AFF_F, affine_float32, float32, dtype=np.float32, requires=first)
    yield table.values("affine_forward.dtypes", AFF_F, affine_dtypes, dtypes, dtype=np.float64, requires=first)
    yield table.no_mutation("affine_forward.no_mutation", AFF_F, affine_basic, unchanged, requires=first)
    yield table.raises("affine_forward.errors", AFF_F, affine_bad, errors, requires=first)

    first, wrt = ("affine_backward.basic",), {"dx": "x", "dw": "w", "db": "b"}
    yield table.backward("affine_backward.basic", AFF_F, AFF_B, affine_basic, "x of shape (N, D)", wrt=wrt)
    yield table.backward("affine_backward.nd", AFF_F, AFF_B, affine_nd, "dx keeps x's shape (N, d1, ..., dk)", wrt=wrt)
    yield table.backward("affine_backward.float32", AFF_F, AFF_B, affine_float32, float32_grads, dtype=np.float32,
                         requires=first)
    yield table.no_mutation("affine_backward.no_mutation", AFF_B, affine_basic, dout_unchanged, backward_of=AFF_F,
                            requires=first)

    first = ("softmax.basic",)
    yield table.values("softmax.basic", SOFTMAX, scores_basic, "rows sum to 1, batch of one")
    yield table.values("softmax.stable", SOFTMAX, scores_large, "logits of +-1e3..1e4 stay finite")
    yield table.values("softmax.float32", SOFTMAX, scores_float32, float32, dtype=np.float32, requires=first)
    yield table.no_mutation("softmax.no_mutation", SOFTMAX, scores_basic, unchanged, requires=first)

    first = ("softmax_cross_entropy.basic",)
    yield table.values("softmax_cross_entropy.basic", SCE, scores_basic, "loss and dscores = (probs - onehot) / N")
    yield table.values("softmax_cross_entropy.stable", SCE, scores_large, "logits of +-1e3..1e4 stay finite")
    yield table.values("softmax_cross_entropy.float32", SCE, scores_float32, float32, dtype=np.float32, requires=first)
    yield table.no_mutation("softmax_cross_entropy.no_mutation", SCE, scores_basic, unchanged, requires=first)
    yield table.raises("softmax_cross_entropy.errors", SCE, softmax_bad, errors, requires=first)
