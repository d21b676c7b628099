"""Checks of ``layers.py`` (assignment 02): every function, forward and backward.

Grids cover stride 1-3, pad 0-2, H != W, HH != WW, C and F > 1, batch size 1, overlapping and
rectangular pools, exact ties and exact zeros, logits of +-1e3..1e4, float32 and float64. The
names are the rubric's keys (``autograder/rubrics/02_cnn_layers.toml``).
"""
from __future__ import annotations

from functools import partial
from typing import Iterator

import numpy as np

from autograder.checks import families as fam
from autograder.checks.base import Check
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


def _conv(rng, n, h, w, c, hh, ww, f, stride, pad, dtype=np.float64):
    x = rng.normal(size=(n, h, w, c)).astype(dtype)
    k = rng.normal(size=(hh, ww, c, f)).astype(dtype)
    b = rng.normal(size=(f,)).astype(dtype)
    dout = rng.normal(size=(n, _conv_out(h, hh, stride, pad), _conv_out(w, ww, stride, pad), f)).astype(dtype)
    return case(x=x, w=k, b=b, stride=stride, pad=pad, dout=dout)


def conv_basic(rng):
    return [_conv(rng, 2, 5, 5, 3, 3, 3, 2, 1, 0)]


def conv_grid(rng):
    """stride 1-3 x pad 0-2, H != W, C and F > 1."""
    return [_conv(rng, 2, 7, 9, 3, 3, 3, 4, s, p) for s in (1, 2, 3) for p in (0, 1, 2)]


def conv_stride(rng):
    return [_conv(rng, 2, 9, 8, 2, 3, 3, 3, s, 0) for s in (2, 3)]


def conv_pad(rng):
    return [_conv(rng, 2, 5, 6, 2, 3, 3, 3, 1, p) for p in (1, 2)] + [_conv(rng, 1, 4, 4, 1, 3, 3, 2, 2, 1)]


def conv_rect(rng):
    """H != W and HH != WW, batch of one, single channels, a filter as big as the input."""
    return [_conv(rng, 1, 6, 8, 2, 2, 3, 3, 2, 1), _conv(rng, 3, 8, 5, 3, 3, 1, 2, 1, 2),
            _conv(rng, 2, 7, 4, 1, 1, 4, 1, 3, 0), _conv(rng, 1, 4, 5, 2, 4, 5, 3, 1, 0)]


def conv_float32(rng):
    return [_conv(rng, 2, 6, 7, 3, 3, 2, 4, s, p, np.float32) for s, p in ((1, 0), (2, 1))]


def conv_dtypes(rng):
    """Integer images give float64; mixed float32/float64 inputs give np.result_type: float64."""
    ints = _conv(rng, 2, 5, 6, 2, 3, 3, 2, 1, 1)
    ints.params["x"] = rng.integers(0, 256, size=(2, 5, 6, 2)).astype(np.uint8)
    mixed = _conv(rng, 1, 6, 5, 3, 2, 3, 2, 2, 0)
    mixed.params["x"] = mixed.params["x"].astype(np.float32)
    mixed.params["b"] = mixed.params["b"].astype(np.float32)
    return [case(**{k: v for k, v in c.params.items()}) for c in (ints, mixed)]


def relu_dtypes(rng):
    return [case(x=rng.integers(-5, 6, size=(3, 4)), dout=rng.normal(size=(3, 4))),
            case(x=rng.integers(-5, 6, size=(2, 3)).astype(np.int8), dout=rng.normal(size=(2, 3)))]


def affine_dtypes(rng):
    c = _affine(rng, (3, 2, 4), 5)
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


def _pool(rng, shape, pool, stride, dtype=np.float64, ties=False):
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
    return [_pool(rng, (2, 6, 8, 3), 2, None), _pool(rng, (1, 4, 4, 1), 2, 2)]


def pool_overlap(rng):
    """stride < pool size: windows share elements, so gradients must accumulate (+=)."""
    return [_pool(rng, (2, 7, 7, 2), 3, 2), _pool(rng, (1, 5, 6, 2), 3, 1), _pool(rng, (2, 5, 5, 1), 2, 1)]


def pool_rect(rng):
    return [_pool(rng, (2, 7, 9, 2), (2, 3), (1, 2)), _pool(rng, (1, 8, 5, 3), (3, 2), (2, 1)),
            _pool(rng, (2, 5, 7, 1), (2, 3), None), _pool(rng, (1, 7, 6, 2), 2, 3)]


def pool_ties(rng):
    """Exact ties: the gradient goes to the first maximum (row-major), overlapping or not."""
    flat = case(x=np.zeros((1, 4, 4, 2)), pool_size=2, dout=rng.normal(size=(1, 2, 2, 2)))
    return [flat, _pool(rng, (2, 6, 6, 2), 2, None, ties=True), _pool(rng, (2, 7, 6, 2), 3, 2, ties=True),
            _pool(rng, (1, 6, 7, 3), (2, 3), 1, ties=True)]


def pool_float32(rng):
    return [_pool(rng, (2, 6, 6, 2), 2, None, np.float32), _pool(rng, (1, 7, 7, 2), 3, 2, np.float32)]


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
    return [case(x=x, dout=rng.normal(size=x.shape)), case(x=np.zeros((2, 3, 3, 1)), dout=rng.normal(size=(2, 3, 3, 1)))]


def relu_float32(rng):
    x = rng.normal(size=(2, 3, 3, 2)).astype(np.float32)
    return [case(x=x, dout=rng.normal(size=x.shape).astype(np.float32))]


def _affine(rng, in_shape, m, dtype=np.float64):
    d = int(np.prod(in_shape[1:]))
    return case(x=rng.normal(size=in_shape).astype(dtype), w=rng.normal(size=(d, m)).astype(dtype),
                b=rng.normal(size=(m,)).astype(dtype), dout=rng.normal(size=(in_shape[0], m)).astype(dtype))


def affine_basic(rng):
    return [_affine(rng, (4, 5), 3), _affine(rng, (1, 7), 2)]


def affine_nd(rng):
    """x of rank 3 and 4 (an image batch), flattened row-major to (N, D)."""
    return [_affine(rng, (3, 2, 3, 4), 5), _affine(rng, (2, 4, 6), 3)]


def affine_float32(rng):
    return [_affine(rng, (3, 2, 2, 3), 4, np.float32)]


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
    def value_checks(spec, groups, dtype_group=None):
        for aspect, maker, what in groups:
            yield Check(f"{spec.name}.{aspect}", spec.name, MODULE,
                        partial(fam.values, spec=spec, cases=maker), what, needs_reference=True)
        if dtype_group is not None:
            yield Check(f"{spec.name}.float32", spec.name, MODULE,
                        partial(fam.values, spec=spec, cases=dtype_group, dtype=np.float32),
                        "float32 in, float32 out, values to float32 precision",
                        requires=(f"{spec.name}.{groups[0][0]}",), needs_reference=True)

    def backward_checks(fwd, back, groups, dtype_group, wrt):
        for aspect, maker, what in groups:
            yield Check(f"{back.name}.{aspect}", back.name, MODULE,
                        partial(fam.backward, forward=fwd, back=back, cases=maker, wrt=wrt), what, needs_reference=True)
        yield Check(f"{back.name}.float32", back.name, MODULE,
                    partial(fam.backward, forward=fwd, back=back, cases=dtype_group, dtype=np.float32),
                    "float32 gradients keep float32", requires=(f"{back.name}.{groups[0][0]}",), needs_reference=True)
        yield Check(f"{back.name}.no_mutation", back.name, MODULE,
                    partial(fam.no_mutation, spec=back, cases=groups[0][1], backward_of=fwd),
                    "dout is left unchanged", requires=(f"{back.name}.{groups[0][0]}",), needs_reference=True)

    def dtype_check(spec, cases, first="basic"):
        return Check(f"{spec.name}.dtypes", spec.name, MODULE,
                     partial(fam.values, spec=spec, cases=cases, dtype=np.float64),
                     "integer inputs give float64; mixed float32/float64 give float64",
                     requires=(f"{spec.name}.{first}",), needs_reference=True)

    def property_checks(spec, cases, bad=None, first="basic"):
        yield Check(f"{spec.name}.no_mutation", spec.name, MODULE,
                    partial(fam.no_mutation, spec=spec, cases=cases), "inputs are left unchanged",
                    requires=(f"{spec.name}.{first}",), needs_reference=True)
        if bad is not None:
            yield Check(f"{spec.name}.errors", spec.name, MODULE, partial(fam.raises, spec=spec, bad_cases=bad),
                        "bad arguments raise ValueError naming the argument",
                        requires=(f"{spec.name}.{first}",), needs_reference=True)

    yield from value_checks(ZERO_PAD, [("values", zero_pad_cases, "pad 0-2 on every side of H and W")],
                            zero_pad_float32)
    yield from property_checks(ZERO_PAD, zero_pad_cases, zero_pad_bad, first="values")

    yield from value_checks(CONV_F, [("basic", conv_basic, "stride 1, pad 0"),
                                     ("grid", conv_grid, "stride 1-3 x pad 0-2, H != W, C, F > 1"),
                                     ("rect", conv_rect, "HH != WW, batch of one, filter as big as the input")],
                            conv_float32)
    yield dtype_check(CONV_F, conv_dtypes)
    yield from property_checks(CONV_F, conv_basic, conv_bad)

    wrt = {"dx": "x", "dw": "w", "db": "b"}
    yield from backward_checks(CONV_F, CONV_B, [("basic", conv_basic, "stride 1, pad 0"),
                                                ("stride", conv_stride, "stride 2 and 3"),
                                                ("pad", conv_pad, "pad 1 and 2 (dx cropped back to x)"),
                                                ("rect", conv_rect, "HH != WW, H != W, batch of one"),
                                                ("grid", conv_grid, "stride 1-3 x pad 0-2")],
                               conv_float32, wrt)

    yield from value_checks(MAXP_F, [("basic", pool_basic, "2x2 windows, stride = pool size"),
                                     ("overlap", pool_overlap, "overlapping windows (stride < pool)"),
                                     ("rect", pool_rect, "rectangular windows and strides")], pool_float32)
    yield from property_checks(MAXP_F, pool_basic, pool_bad)
    yield from backward_checks(MAXP_F, MAXP_B, [("basic", pool_basic, "2x2 windows, stride = pool size"),
                                                ("overlap", pool_overlap, "overlapping windows accumulate (+=)"),
                                                ("ties", pool_ties, "ties: the first maximum in row-major order"),
                                                ("rect", pool_rect, "rectangular windows and strides")],
                               pool_float32, {"dx": "x"})

    yield from value_checks(AVGP_F, [("basic", pool_basic, "2x2 windows, stride = pool size"),
                                     ("overlap", pool_overlap, "overlapping windows"),
                                     ("rect", pool_rect, "rectangular windows and strides")], pool_float32)
    yield from property_checks(AVGP_F, pool_basic, pool_bad)
    yield from backward_checks(AVGP_F, AVGP_B, [("basic", pool_basic, "2x2 windows, stride = pool size"),
                                                ("overlap", pool_overlap, "overlapping windows accumulate (+=)"),
                                                ("rect", pool_rect, "rectangular windows and strides")],
                               pool_float32, {"dx": "x"})

    yield from value_checks(RELU_F, [("basic", relu_cases, "values, with exact zeros and -0.0")], relu_float32)
    yield dtype_check(RELU_F, relu_dtypes)
    yield from property_checks(RELU_F, relu_cases)
    yield from backward_checks(RELU_F, RELU_B, [("basic", relu_cases, "dx = dout where x > 0"),
                                                ("zeros", relu_zeros, "relu'(0) = 0 at exact zeros")],
                               relu_float32, {})

    yield from value_checks(AFF_F, [("basic", affine_basic, "x of shape (N, D)"),
                                    ("nd", affine_nd, "x of rank 3 and 4, flattened row-major")], affine_float32)
    yield dtype_check(AFF_F, affine_dtypes)
    yield from property_checks(AFF_F, affine_basic, affine_bad)
    yield from backward_checks(AFF_F, AFF_B, [("basic", affine_basic, "x of shape (N, D)"),
                                              ("nd", affine_nd, "dx keeps x's shape (N, d1, ..., dk)")],
                               affine_float32, {"dx": "x", "dw": "w", "db": "b"})

    yield from value_checks(SOFTMAX, [("basic", scores_basic, "rows sum to 1, batch of one"),
                                      ("stable", scores_large, "logits of +-1e3..1e4 stay finite")], scores_float32)
    yield from property_checks(SOFTMAX, scores_basic)
    yield from value_checks(SCE, [("basic", scores_basic, "loss and dscores = (probs - onehot) / N"),
                                  ("stable", scores_large, "logits of +-1e3..1e4 stay finite")], scores_float32)
    yield from property_checks(SCE, scores_basic, softmax_bad)
