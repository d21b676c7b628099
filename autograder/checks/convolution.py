"""Checks of ``convolution.py`` (assignment 01): image correlation and convolution, template
matching, ReLU, max pooling with floor and ceil modes, and the shape arithmetic.

The slides' worked examples are fixed cases with their published numbers (the X/O maps whose
first row is 0.77 -0.11 0.11 0.33 0.55 ...); the rest are seeded random grids. Each check calls
one student function on inputs the grader builds itself (never another student function's
output), and its ``requires`` name only checks of that function: a bug costs its own function's
points only. Arguments stay within the signatures of docs/contract.md §3 (``f`` an int, sizes as ints).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import numpy as np

from autograder.checks import families as fam
from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table
from autograder.checks.families import BadCase, Spec, case
from autograder.core.compare import describe_type
from autograder.sandbox.wire import ScalarValue

MODULE = "convolution"

CORR = Spec("correlate2d", ("image", "kernel"), ("out",), ("stride", "pad"))
CONV = Spec("convolve2d", ("image", "kernel"), ("out",), ("stride", "pad"))
TMPL = Spec("template_match", ("image", "template"), ("out",))
RELU = Spec("relu", ("x",), ("out",))
POOL = Spec("max_pool2d", ("image",), ("out",), ("size", "stride", "ceil_mode"))
OUT_SIZE = Spec("conv_output_size", ("n", "f"), ("out",), ("stride", "pad"))
FITS = Spec("fits", ("n", "f"), ("out",), ("stride", "pad"))
SAME = Spec("same_padding", ("f",), ("out",))
CONV_PARAMS = Spec("conv_param_count", ("f", "c_in", "c_out"), ("out",), ("bias",))
DENSE_PARAMS = Spec("dense_param_count", ("n_in", "n_out"), ("out",), ("bias",))
RFIELD = Spec("receptive_field", ("layers",), ("out",))

# The slides' X (9x9, +1 on the diagonals, -1 elsewhere) and the diagonal feature.
X_IMAGE = np.where(np.eye(9, dtype=bool) | np.eye(9, dtype=bool)[::-1], 1.0, -1.0)
X_IMAGE[0, 0] = X_IMAGE[0, 8] = X_IMAGE[8, 0] = X_IMAGE[8, 8] = -1.0
DIAGONAL = np.array([[1.0, -1, -1], [-1, 1, -1], [-1, -1, 1]])
XO_FIRST_ROW = np.array([0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33])


def _image(rng, *, h, w, hh, ww, stride, pad, dtype=np.float64):
    return case(image=rng.normal(size=(h, w)).astype(dtype), kernel=rng.normal(size=(hh, ww)).astype(dtype),
                stride=stride, pad=pad)


def corr_basic(rng):
    return [_image(rng, h=6, w=6, hh=3, ww=3, stride=1, pad=0)]


def corr_grid(rng):
    return [_image(rng, h=8, w=11, hh=3, ww=3, stride=s, pad=p) for s in (1, 2, 3) for p in (0, 1, 2)]


def corr_rect(rng):
    return [_image(rng, h=5, w=9, hh=2, ww=4, stride=1, pad=0), _image(rng, h=9, w=4, hh=3, ww=1, stride=2, pad=1),
            _image(rng, h=4, w=5, hh=4, ww=5, stride=1, pad=0)]


def corr_float32(rng):
    return [_image(rng, h=7, w=8, hh=3, ww=2, stride=2, pad=1, dtype=np.float32)]


def corr_ints(rng):
    """Integer images (MNIST digits are uint8) give float64 results; so do mixed float32 and
    float64 inputs (``np.result_type``)."""
    return [case(image=rng.integers(0, 256, size=(6, 7)).astype(np.uint8),
                 kernel=np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]]), stride=1, pad=1),
            case(image=rng.normal(size=(5, 6)).astype(np.float32), kernel=rng.normal(size=(3, 2)),
                 stride=1, pad=0)]


def conv_dtypes_check(ctx: Ctx) -> None:
    """convolve2d follows the dtype rule: float32 in, float32 out; uint8 in, float64 out."""
    fam.values(ctx, CONV, corr_float32, dtype=np.float32)
    fam.values(ctx, CONV, lambda rng: corr_ints(rng)[:1], dtype=np.float64)


def tmpl_float32(rng):
    return [case(image=rng.choice([-1.0, 1.0], size=(6, 7)).astype(np.float32),
                 template=rng.choice([-1.0, 1.0], size=(3, 3)).astype(np.float32))]


def corr_bad(rng):
    img = rng.normal(size=(4, 4))
    return [BadCase(case(image=img, kernel=np.ones((5, 5)), stride=1, pad=0),
                    "a 5x5 kernel is larger than the 4x4 image", ("kernel", "larger", "size", "filter")),
            BadCase(case(image=img, kernel=np.ones((3, 3)), stride=0, pad=0), "stride must be >= 1", ("stride",)),
            BadCase(case(image=img, kernel=np.ones((3, 3)), stride=1, pad=-1), "pad must be >= 0", ("pad",))]


def tmpl_random(rng):
    return [case(image=rng.choice([-1.0, 1.0], size=(7, 8)), template=rng.choice([-1.0, 1.0], size=(3, 3))),
            case(image=rng.normal(size=(5, 6)), template=rng.normal(size=(2, 3)))]


def relu_cases(rng):
    x = rng.normal(size=(5, 6))
    x.flat[::5] = 0.0
    return [case(x=x), case(x=np.array([[-0.0, 0.0, -2.5, 3.0]]))]


def relu_float32(rng):
    """float32 in, float32 out (docs/contract.md §1: the dtype follows the input); exact zeros included."""
    x = rng.normal(size=(4, 7)).astype(np.float32)
    x.flat[::4] = 0.0
    return [case(x=x), case(x=np.array([[-0.0, 0.0, -2.5, 3.0]], dtype=np.float32))]


def relu_ints(rng):
    """Integer inputs give float64 (docs/contract.md §1: integer or bool inputs give float64)."""
    return [case(x=rng.integers(-5, 6, size=(3, 4))), case(x=rng.integers(-5, 6, size=(2, 5)).astype(np.int8))]


def pool_ints(rng):
    """A uint8 image (an MNIST digit) pools to float64."""
    return [case(image=rng.integers(0, 256, size=(6, 7)).astype(np.uint8), size=2, stride=2, ceil_mode=False)]


def _pool(rng, *, h, w, size, stride, ceil, dtype=np.float64, negative=False):
    image = rng.permutation(h * w).reshape(h, w).astype(dtype) / 3
    if negative:
        image = image - 100
    return case(image=image, size=size, stride=stride, ceil_mode=ceil)


def pool_floor(rng):
    return [_pool(rng, h=6, w=6, size=2, stride=2, ceil=False), _pool(rng, h=7, w=9, size=2, stride=2, ceil=False),
            _pool(rng, h=8, w=7, size=3, stride=2, ceil=False), _pool(rng, h=5, w=8, size=2, stride=1, ceil=False),
            _pool(rng, h=9, w=6, size=3, stride=3, ceil=False)]


def pool_ceil(rng):
    """Ceil mode: partial windows at the border count, and take the max of the pixels they hold
    (all negative here, so a padded zero would win if counted)."""
    return [_pool(rng, h=7, w=7, size=2, stride=2, ceil=True, negative=True),
            _pool(rng, h=8, w=5, size=3, stride=2, ceil=True, negative=True),
            _pool(rng, h=6, w=6, size=2, stride=2, ceil=True),
            _pool(rng, h=10, w=7, size=3, stride=3, ceil=True, negative=True),
            _pool(rng, h=5, w=5, size=2, stride=3, ceil=True, negative=True)]


def pool_float32(rng):
    return [_pool(rng, h=7, w=7, size=2, stride=2, ceil=True, dtype=np.float32),
            _pool(rng, h=6, w=8, size=2, stride=2, ceil=False, dtype=np.float32)]


def pool_bad(rng):
    return [BadCase(case(image=rng.normal(size=(3, 3)), size=4, stride=2, ceil_mode=False),
                    "the 4x4 window is larger than the 3x3 image", ("size", "window", "larger", "pool")),
            BadCase(case(image=rng.normal(size=(3, 3)), size=4, stride=2, ceil_mode=True),
                    "the 4x4 window is larger than the 3x3 image (ceil mode too)",
                    ("size", "window", "larger", "pool"))]


# ---------------------------------------------------------------------------
# The slides' worked examples (fixed expected values, no reference needed)
# ---------------------------------------------------------------------------

def _expect_first_row(ctx: Ctx, function: str, label: str, got, shape: tuple, row: np.ndarray) -> None:
    """``got`` is an array of ``shape`` whose first row, truncated to 2 decimals as the slides
    print it, is ``row``."""
    if type(got) is not np.ndarray or got.shape != shape:
        ctx.fail("value.structure", function=function, case=label,
                 got=f"{describe_type(got)} of shape {getattr(got, 'shape', None)}",
                 expected=f"a {shape[0]}x{shape[1]} numpy.ndarray")
    first = np.trunc(got[0].astype(np.float64) * 100) / 100
    if not np.allclose(first, row, atol=1e-9):
        ctx.fail("value.wrong", function=function, case=label + ", first row truncated to 2 decimals",
                 got=first.tolist(), expected=row.tolist())


def xo_example(ctx: Ctx) -> None:
    """template_match of the slides' X with the diagonal feature: 7x7, first row
    0.77 -0.11 0.11 0.33 0.55 -0.11 0.33 (truncated to 2 decimals)."""
    c = Case({"image": X_IMAGE, "template": DIAGONAL}, "the slides' 9x9 X with the 3x3 diagonal feature")
    got = ctx.call("template_match", c, (X_IMAGE, DIAGONAL))
    expected = fam.reference_outputs(ctx, TMPL, c)["out"] if ctx.ref is not None else None
    _expect_first_row(ctx, "template_match", c.label, got, (7, 7), XO_FIRST_ROW)
    if expected is not None:
        ctx.expect("template_match", c, {"out": got}, {"out": expected})


def xo_relu_map() -> np.ndarray:
    """The slides' 7x7 X/O map after relu: ``max(correlate(X, diagonal) / 9, 0)``, computed here
    (never by the student's ``template_match`` or ``relu``, so that their bugs cost no pooling
    points). Every entry is k/9 for an integer k, exactly as the slides have it."""
    windows = np.lib.stride_tricks.sliding_window_view(X_IMAGE, DIAGONAL.shape)
    return np.maximum((windows * DIAGONAL).sum(axis=(2, 3)) / DIAGONAL.size, 0.0)


def xo_pooled(ctx: Ctx) -> None:
    """2x2 stride-2 ceil-mode pooling of the X/O map after relu: 4x4, first row 1.00 0.33 0.55 0.33."""
    image = xo_relu_map()
    c = Case({"image": image}, "the slides' 7x7 X/O map after relu, pooled 2x2 stride 2 in ceil mode")
    got = ctx.call("max_pool2d", c, (image,), {"size": 2, "stride": 2, "ceil_mode": True})
    _expect_first_row(ctx, "max_pool2d", c.label, got, (4, 4), np.array([1.0, 0.33, 0.55, 0.33]))


def maxpool_slides(ctx: Ctx) -> None:
    """A 6x6 map pooled 2x2 stride 2 gives the slides' [[7, 5, 6], [7, 8, 5], [4, 5, 7]]."""
    image = np.array([[1, 7, 2, 5, 6, 1], [3, 0, 4, 1, 3, 2], [7, 1, 8, 2, 5, 0],
                      [2, 6, 3, 3, 4, 1], [4, 2, 5, 1, 1, 7], [0, 3, 1, 2, 6, 3]], dtype=np.float64)
    c = Case({"image": image}, "the slides' 6x6 example, 2x2 windows, stride 2")
    got = ctx.call("max_pool2d", c, (image,), {"size": 2, "stride": 2})
    ctx.expect("max_pool2d", c, {"out": got}, {"out": np.array([[7.0, 5, 6], [7, 8, 5], [4, 5, 7]])})


# ---------------------------------------------------------------------------
# Shape arithmetic: exact integer / boolean answers
# ---------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, ScalarValue):
        return value.value.item()
    return value


def exact(ctx: Ctx, spec: Spec, cases, kind: type) -> None:
    """Each answer equals the reference's and is an ``int`` (or ``bool`` for ``fits``)."""
    for c in cases(ctx.rng):
        args, kwargs = spec.split(c)
        got = _plain(ctx.call(spec.name, c, args, kwargs))
        want = getattr(ctx.ref, spec.name)(*args, **kwargs)
        ok_type = isinstance(got, bool) if kind is bool else (isinstance(got, int) and not isinstance(got, bool))
        if not ok_type:
            ctx.fail("value.scalar_type", function=spec.name, case=c.label, name="the result",
                     got_type=describe_type(got))
        if got != want:
            ctx.fail("value.wrong", function=spec.name, case=c.label, got=got, expected=want)


def slides_arithmetic(ctx: Ctx) -> None:
    """The slides' numbers: 7x7 with 3x3 -> 5 (stride 1), 3 (stride 2); 32 with 5x5 pad 2 -> 32;
    AlexNet conv1 227 with 11x11 stride 4 -> 55; its pool 3x3 stride 2 -> 27."""
    for (n, f, s, p), want in (((7, 3, 1, 0), 5), ((7, 3, 2, 0), 3), ((32, 5, 1, 2), 32),
                               ((227, 11, 4, 0), 55), ((55, 3, 2, 0), 27)):
        c = case(n=n, f=f, stride=s, pad=p)
        got = _plain(ctx.call("conv_output_size", c, (n, f), {"stride": s, "pad": p}))
        if got != want or isinstance(got, bool):
            ctx.fail("value.wrong", function="conv_output_size", case=c.label, got=got, expected=want)


def out_size_cases(rng):
    cases = []
    for _ in range(25):
        f = int(rng.integers(1, 12))
        p = int(rng.integers(0, 4))
        n = int(rng.integers(max(1, f - 2 * p), 300))
        cases.append(case(n=n, f=f, stride=int(rng.integers(1, 5)), pad=p))
    return cases + [case(n=7, f=3, stride=3, pad=0), case(n=5, f=5, stride=1, pad=0), case(n=1, f=3, stride=1, pad=1)]


def out_size_bad(rng):
    return [BadCase(case(n=4, f=7, stride=1, pad=1), "a 7-wide filter is larger than 4 + 2*1",
                    ("f", "filter", "larger", "size")),
            BadCase(case(n=8, f=3, stride=0, pad=0), "stride must be >= 1", ("stride",)),
            BadCase(case(n=8, f=3, stride=1, pad=-1), "pad must be >= 0", ("pad",))]


def fits_cases(rng):
    return out_size_cases(rng) + [case(n=4, f=7, stride=1, pad=1), case(n=227, f=11, stride=4, pad=0),
                                  case(n=7, f=3, stride=2, pad=0), case(n=8, f=3, stride=2, pad=0)]


def same_cases(rng):
    return [case(f=f) for f in (1, 3, 5, 7, 11, 13)]


def same_bad(rng):
    return [BadCase(case(f=4), "no symmetric padding keeps the size for an even filter", ("f", "even", "odd"))]


def conv_params_cases(rng):
    """``f`` is an int, the filter's side, as docs/contract.md §3 documents it (no ``(fh, fw)`` pair)."""
    cases = [case(f=5, c_in=3, c_out=10, bias=True), case(f=11, c_in=3, c_out=96, bias=True),
             case(f=3, c_in=64, c_out=128, bias=False)]
    return cases + [case(f=int(rng.integers(1, 8)), c_in=int(rng.integers(1, 65)), c_out=int(rng.integers(1, 129)),
                         bias=bool(rng.integers(2))) for _ in range(6)]


def dense_params_cases(rng):
    return [case(n_in=784, n_out=100, bias=True), case(n_in=400, n_out=120, bias=False)] + \
        [case(n_in=int(rng.integers(1, 5000)), n_out=int(rng.integers(1, 500)), bias=bool(rng.integers(2)))
         for _ in range(6)]


def rfield_cases(rng):
    fixed = [case(layers=[]), case(layers=[(3, 1)]), case(layers=[(3, 1), (3, 1)]),
             case(layers=[(11, 4), (3, 2), (5, 1), (3, 2)])]
    return fixed + [case(layers=[(int(rng.integers(1, 8)), int(rng.integers(1, 4)))
                                 for _ in range(int(rng.integers(2, 6)))])
                    for _ in range(5)]


def checks() -> Iterator[Check]:
    """Yield the checks of convolution.py, in report order."""
    table = Table(MODULE)
    yield table.values("correlate2d.basic", CORR, corr_basic, "a 3x3 kernel on a 6x6 image")
    yield table.values("correlate2d.grid", CORR, corr_grid, "stride 1-3 x pad 0-2, H != W")
    yield table.values("correlate2d.rect", CORR, corr_rect, "HH != WW, kernel as big as the image")
    yield table.values("correlate2d.float32", CORR, corr_float32, "float32 in, float32 out",
                       dtype=np.float32, requires=("correlate2d.basic",))
    yield table.values("correlate2d.integers", CORR, corr_ints,
                       "uint8 images (MNIST) and mixed float32/float64 inputs give float64",
                       dtype=np.float64, requires=("correlate2d.basic",))
    yield table.no_mutation("correlate2d.no_mutation", CORR, corr_grid, "inputs are left unchanged",
                            requires=("correlate2d.basic",))
    yield table.raises("correlate2d.errors", CORR, corr_bad, "bad arguments raise ValueError",
                       requires=("correlate2d.basic",))

    yield table.values("convolve2d.basic", CONV, corr_basic, "the kernel is flipped (true convolution)")
    yield table.values("convolve2d.grid", CONV, corr_grid, "stride and padding")
    yield table.values("convolve2d.rect", CONV, corr_rect, "rectangular kernels flip on both axes")
    yield table.check("convolve2d.dtypes", conv_dtypes_check, "float32 in, float32 out; uint8 in, float64 out",
                      requires=("convolve2d.basic",))
    yield table.no_mutation("convolve2d.no_mutation", CONV, corr_rect,
                            "the image and the kernel stay unchanged (no in-place flip)",
                            requires=("convolve2d.basic",))
    yield table.raises("convolve2d.errors", CONV, corr_bad, "bad arguments raise ValueError",
                       requires=("convolve2d.basic",))

    yield table.check("template_match.xo", xo_example, "the slides' X/O example: 0.77 -0.11 0.11 0.33 0.55 ...")
    yield table.values("template_match.random", TMPL, tmpl_random, "correlate and divide by the number of pixels")
    yield table.values("template_match.float32", TMPL, tmpl_float32, "float32 in, float32 out",
                       dtype=np.float32, requires=("template_match.random",))
    yield table.no_mutation("template_match.no_mutation", TMPL, tmpl_random,
                            "the image and the template stay unchanged", requires=("template_match.random",))

    yield table.values("relu.values", RELU, relu_cases, "max(x, 0) with exact zeros")
    yield table.values("relu.float32", RELU, relu_float32, "float32 in, float32 out",
                       dtype=np.float32, requires=("relu.values",))
    yield table.values("relu.integers", RELU, relu_ints, "integer in, float64 out",
                       dtype=np.float64, requires=("relu.values",))
    yield table.no_mutation("relu.no_mutation", RELU, relu_cases, "x is left unchanged", requires=("relu.values",))

    yield table.check("max_pool2d.slides", maxpool_slides, "the slides' 6x6 example", reference=False)
    yield table.values("max_pool2d.floor", POOL, pool_floor, "floor mode, strides 1-3")
    yield table.values("max_pool2d.ceil", POOL, pool_ceil,
                       "ceil mode: partial border windows, max of the pixels they hold")
    yield table.check("max_pool2d.xo", xo_pooled, "the slides' X/O map pooled to 4x4: 1.00 0.33 0.55 0.33",
                      requires=("max_pool2d.ceil",), reference=False)
    yield table.values("max_pool2d.float32", POOL, pool_float32, "float32 in, float32 out",
                       dtype=np.float32, requires=("max_pool2d.floor",))
    yield table.values("max_pool2d.integers", POOL, pool_ints, "a uint8 image pools to float64",
                       dtype=np.float64, requires=("max_pool2d.floor",))
    yield table.no_mutation("max_pool2d.no_mutation", POOL, pool_ceil, "the image is left unchanged",
                            requires=("max_pool2d.floor",))
    yield table.raises("max_pool2d.errors", POOL, pool_bad, "a window larger than the image raises ValueError",
                       requires=("max_pool2d.floor",))

    yield table.check("conv_output_size.slides", slides_arithmetic, "the slides' 5, 3, 32, 55, 27", reference=False)
    yield table.check("conv_output_size.values", partial(exact, spec=OUT_SIZE, cases=out_size_cases, kind=int),
                      "the floor rule on random sizes")
    yield table.raises("conv_output_size.errors", OUT_SIZE, out_size_bad,
                       "a filter larger than the padded input raises ValueError", requires=("conv_output_size.values",))
    yield table.check("fits.values", partial(exact, spec=FITS, cases=fits_cases, kind=bool),
                      "exact tiling, False when too large")
    yield table.check("same_padding.values", partial(exact, spec=SAME, cases=same_cases, kind=int), "(f - 1) // 2")
    yield table.raises("same_padding.errors", SAME, same_bad, "even filters raise ValueError",
                       requires=("same_padding.values",))
    yield table.check("conv_param_count.values", partial(exact, spec=CONV_PARAMS, cases=conv_params_cases, kind=int),
                      "f*f*c_in*c_out + c_out (760 and 34,944 of the slides)")
    yield table.check("dense_param_count.values", partial(exact, spec=DENSE_PARAMS, cases=dense_params_cases, kind=int),
                      "n_in*n_out + n_out")
    yield table.check("receptive_field.values", partial(exact, spec=RFIELD, cases=rfield_cases, kind=int),
                      "1 + sum (f_l - 1) * prod of earlier strides")
