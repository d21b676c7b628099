"""Checks of ``regularization.py`` (assignment 03): penalties, dropout, initialisers.

Penalties are compared with the reference. Dropout and the initialisers are random, so they
are judged by statistics and structure, never by one exact draw: every valid mask or sample
earns full marks, and a submission must be deterministic given its ``rng`` argument.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial

import numpy as np

from autograder.checks import families as fam
from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table
from autograder.checks.families import BadCase, Spec, case
from autograder.core.compare import describe_type
from autograder.sandbox import Ref, Rng

MODULE = "regularization"
L1 = Spec("l1_penalty", ("w", "lam"), ("penalty", "dw"), ("n",))
L2 = Spec("l2_penalty", ("w", "lam"), ("penalty", "dw"), ("n",))
ENET = Spec("elastic_net_penalty", ("w", "lam"), ("penalty", "dw"), ("l1_ratio", "n"))
DROP = Spec("dropout_forward", ("x", "rate"), ("out", "_"), ("training", "rng"))


def penalty_cases(rng):
    w = rng.normal(size=(4, 5))
    w.flat[::6] = 0.0
    return [case(w=w, lam=0.1, n=1), case(w=rng.normal(size=(3, 3, 2, 4)), lam=0.01, n=50),
            case(w=rng.normal(size=(7,)), lam=2.5, n=3)]


def penalty_float32(rng):
    return [case(w=rng.normal(size=(3, 4)).astype(np.float32), lam=0.1, n=4)]


def enet_cases(rng):
    w = rng.normal(size=(4, 3))
    w[0, 0] = 0.0
    return [case(w=w, lam=0.2, l1_ratio=r, n=n) for r, n in ((0.5, 1), (0.0, 10), (1.0, 10), (0.3, 7))]


def enet_bad(rng):
    return [BadCase(case(w=np.ones(3), lam=0.1, l1_ratio=1.5, n=1), "l1_ratio must be in [0, 1]",
                    ("l1_ratio", "ratio"))]


# ---------------------------------------------------------------------------
# Dropout: statistics, structure, determinism
# ---------------------------------------------------------------------------

def _array(ctx: Ctx, value, *, name: str, function: str, label: str, shape, dtype=None) -> np.ndarray:
    if type(value) is not np.ndarray:
        ctx.fail("value.type", function=function, case=label, name=name, got_type=describe_type(value),
                 expected_type="numpy.ndarray")
    if value.shape != tuple(shape):
        ctx.fail("value.shape", function=function, case=label, name=name, got=value.shape, expected=tuple(shape))
    if dtype is not None and value.dtype != dtype:
        ctx.fail("value.dtype", function=function, case=label, name=name, got=str(value.dtype),
                 expected=str(np.dtype(dtype)))
    return value


def dropout_statistics(ctx: Ctx, dtype=np.float64) -> None:
    """Kept elements are x / (1 - rate) exactly, dropped ones exactly 0, and the kept fraction is
    1 - rate within 5 binomial standard deviations, for several rates."""
    for rate in (0.5, 0.2, 0.8):
        x = ctx.rng.uniform(0.5, 2.0, size=(200, 250)).astype(dtype)
        label = (f"dropout_forward(x {x.shape}{'' if dtype == np.float64 else ' float32'}, rate={rate}, "
                 f"rng=default_rng(7))")
        value = ctx.call("dropout_forward", Case({}, label), (x, rate), {"training": True, "rng": Rng(7)}, select=(0,))
        value = fam.unpack(ctx, "dropout_forward", Case({}, label), value, DROP.outputs)["out"]
        out = _array(ctx, value, name="out", function="dropout_forward", label=label, shape=x.shape,
                     dtype=dtype if dtype == np.float32 else None)
        scaled = x.astype(np.float64) / (1 - rate)
        kept = out != 0
        tol = 1e-12 if dtype == np.float64 else 1e-6
        wrong = kept & (np.abs(out - scaled) > tol * np.abs(scaled) + tol)
        if wrong.any():
            i = tuple(int(v) for v in np.argwhere(wrong)[0])
            hints = ctx.match_hints("dropout_forward", Case({"x": x, "rate": rate}, label), {"out": out})
            ctx.fail("dropout.scale", hints, case=label, index=list(i), got=float(out[i]), x=float(x[i]),
                     expected=float(scaled[i]), rate=rate)
        frac, n = kept.mean(), kept.size
        sigma = math.sqrt(rate * (1 - rate) / n)
        if abs(frac - (1 - rate)) > 5 * sigma:
            hints = ["dropout_keep_rate"] if abs(frac - rate) <= 5 * sigma and rate != 0.5 else []
            ctx.fail("dropout.fraction", hints, case=label, kept=frac, expected=1 - rate, rate=rate)


def dropout_determinism(ctx: Ctx) -> None:
    """The mask comes from ``rng`` only: the same seed twice gives the same output (a global
    np.random draw would not), different seeds give different masks."""
    x = ctx.rng.uniform(0.5, 2.0, size=(40, 50))
    outs = []
    for seed in (11, 11, 12):
        label = f"dropout_forward(x {x.shape}, rate=0.5, rng=default_rng({seed}))"
        value = ctx.call("dropout_forward", Case({}, label), (x, 0.5), {"training": True, "rng": Rng(seed)},
                         select=(0,))
        outs.append(_array(ctx, fam.unpack(ctx, "dropout_forward", Case({}, label), value, DROP.outputs)["out"],
                           name="out", function="dropout_forward", label=label, shape=x.shape))
    if not np.array_equal(outs[0], outs[1]):
        ctx.fail("dropout.not_deterministic")
    if np.array_equal(outs[0], outs[2]):
        ctx.fail("dropout.ignores_rng")


def dropout_test_mode(ctx: Ctx) -> None:
    """training=False returns x unchanged (no scaling), for any rate."""
    x = ctx.rng.normal(size=(6, 7))
    for rate in (0.0, 0.5, 0.9):
        c = case(x=x, rate=rate, training=False)
        value = ctx.call("dropout_forward", c, (x, rate), {"training": False}, select=(0,))
        out = fam.unpack(ctx, "dropout_forward", c, value, DROP.outputs)["out"]
        ctx.expect("dropout_forward", c, {"out": out}, {"out": x})


def dropout_rate_zero(ctx: Ctx) -> None:
    """rate=0 keeps everything: out == x."""
    x = ctx.rng.normal(size=(5, 8))
    c = case(x=x, rate=0.0, training=True)
    value = ctx.call("dropout_forward", c, (x, 0.0), {"training": True, "rng": Rng(3)}, select=(0,))
    out = fam.unpack(ctx, "dropout_forward", c, value, DROP.outputs)["out"]
    ctx.expect("dropout_forward", c, {"out": out}, {"out": x})


def dropout_bad(rng):
    x = rng.normal(size=(3, 3))
    return [BadCase(case(x=x, rate=1.0, training=True), "rate must be < 1 (rate=1 drops everything)", ("rate",)),
            BadCase(case(x=x, rate=-0.1, training=True), "rate must be >= 0", ("rate",)),
            BadCase(case(x=x, rate=1.5, training=False), "rate is checked even when training=False", ("rate",))]


def dropout_backward_consistent(ctx: Ctx, dtype=np.float64) -> None:
    """dropout_backward uses the forward pass's own mask: dx = dout * out / x, element-wise;
    in test mode dx = dout."""
    x = ctx.rng.uniform(0.5, 2.0, size=(30, 40)).astype(dtype)
    dout = ctx.rng.normal(size=x.shape).astype(dtype)
    for training in (True, False):
        label = f"dropout_backward after dropout_forward(x {x.shape}, rate=0.4, training={training})"
        c = Case({}, label)
        key = ctx.new_key()
        value = ctx.call("dropout_forward", c, (x, 0.4), {"training": training, "rng": Rng(5)}, store=key, select=(0,))
        out = _array(ctx, fam.unpack(ctx, "dropout_forward", c, value, DROP.outputs)["out"], name="out",
                     function="dropout_forward", label=label, shape=x.shape)
        dx = ctx.call("dropout_backward", c, (dout, Ref(key, (1,))))
        expected = dout.astype(np.float64) * out.astype(np.float64) / x.astype(np.float64)
        ctx.expect("dropout_backward", c, {"dx": dx}, {"dx": expected}, dtype=dtype if dtype == np.float32 else None)


def dropout_no_mutation(ctx: Ctx) -> None:
    """dropout_forward leaves x unchanged, in train and test mode (``x *= mask`` in place is the
    classic slip)."""
    x = ctx.rng.uniform(0.5, 2.0, size=(20, 30))
    for training in (True, False):
        c = Case({}, f"x {x.shape}, rate=0.5, training={training}, rng=default_rng(11)")
        ctx.call("dropout_forward", c, (x, 0.5), {"training": training, "rng": Rng(11)}, select=(0,),
                 check_mutation=True, arg_names=("x", "rate"))


def dropout_backward_no_mutation(ctx: Ctx) -> None:
    """dropout_backward leaves dout unchanged, after the student's own forward pass."""
    x = ctx.rng.uniform(0.5, 2.0, size=(20, 30))
    dout = ctx.rng.normal(size=x.shape)
    for training in (True, False):
        c = Case({}, f"dout {dout.shape}, the cache of dropout_forward(x {x.shape}, rate=0.5, "
                     f"training={training})")
        key = ctx.new_key()
        ctx.call("dropout_forward", c, (x, 0.5), {"training": training, "rng": Rng(11)}, store=key, select=(0,))
        ctx.call("dropout_backward", c, (dout, Ref(key, (1,))), check_mutation=True, arg_names=("dout", "cache"))


# ---------------------------------------------------------------------------
# Initialisers: moments, fans, determinism
# ---------------------------------------------------------------------------

def _fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return receptive * shape[-2], receptive * shape[-1]


def init_moments(ctx: Ctx, name: str) -> None:
    """Large samples have mean 0 and the formula's std (within 6 standard errors), dtype float64,
    for the Keras fans of (n,), (n_in, n_out) and conv (HH, WW, C, F) shapes."""
    for shape, gain in (((300, 400), 1.0), ((5, 5, 16, 64), 1.0), ((40000,), 1.0), ((200, 300), 2.0)):
        if name == "he_init" and gain != 1.0:
            continue
        fan_in, fan_out = _fans(shape)
        std = gain * math.sqrt(2 / (fan_in + fan_out)) if name == "xavier_init" else math.sqrt(2 / fan_in)
        kwargs = {"gain": gain} if name == "xavier_init" and gain != 1.0 else {}
        label = f"{name}({shape}, rng=default_rng(1){', gain=' + str(gain) if kwargs else ''})"
        value = ctx.call(name, Case({}, label), (shape, Rng(1)), kwargs)
        w = _array(ctx, value, name="w", function=name, label=label, shape=shape, dtype=np.float64)
        n = w.size
        mean, sample_std = float(w.mean()), float(w.std())
        if not np.isfinite(w).all() or abs(mean) > 6 * std / math.sqrt(n):
            ctx.fail("init.mean", function=name, case=label, got=mean, std=std)
        if abs(sample_std - std) > 6 * std / math.sqrt(2 * n) + 0.01 * std:
            hints = ctx.match_hints(name, Case({"shape": shape, "gain": gain, "std": sample_std}, label), {})
            ctx.fail("init.std", hints, function=name, case=label, got=sample_std, expected=std,
                     fan_in=fan_in, fan_out=fan_out)


def init_determinism(ctx: Ctx, name: str) -> None:
    """The same seed gives the same weights; another seed gives others."""
    outs = []
    for seed in (4, 4, 5):
        label = f"{name}((20, 30), rng=default_rng({seed}))"
        outs.append(_array(ctx, ctx.call(name, Case({}, label), ((20, 30), Rng(seed))), name="w", function=name,
                           label=label, shape=(20, 30)))
    if not np.array_equal(outs[0], outs[1]):
        ctx.fail("init.not_deterministic", function=name)
    if np.array_equal(outs[0], outs[2]):
        ctx.fail("init.ignores_rng", function=name)


def checks() -> Iterator[Check]:
    """Yield the checks of regularization.py, in report order."""
    table = Table(MODULE)
    for spec, cases in ((L1, penalty_cases), (L2, penalty_cases), (ENET, enet_cases)):
        first = (f"{spec.name}.values",)
        yield table.values(f"{spec.name}.values", spec, cases, "penalty and gradient, exact zeros, lam and n")
        yield table.values(f"{spec.name}.float32", spec, penalty_float32, "dw keeps float32", dtype=np.float32,
                           requires=first)
        yield table.no_mutation(f"{spec.name}.no_mutation", spec, cases, "w is left unchanged", requires=first)
    yield table.raises("elastic_net_penalty.errors", ENET, enet_bad, "l1_ratio outside [0, 1] raises ValueError",
                       requires=("elastic_net_penalty.values",))

    first = ("dropout_forward.statistics",)
    yield table.check("dropout_forward.statistics", dropout_statistics,
                      "kept fraction 1 - rate, kept values scaled by 1 / (1 - rate), dropped exactly 0")
    yield table.check("dropout_forward.deterministic", dropout_determinism, "the mask comes from rng only",
                      requires=first)
    yield table.check("dropout_forward.test_mode", dropout_test_mode, "training=False returns x")
    yield table.check("dropout_forward.rate_zero", dropout_rate_zero, "rate=0 keeps everything", requires=first)
    yield table.check("dropout_forward.float32", partial(dropout_statistics, dtype=np.float32),
                      "float32 in, float32 out", requires=first)
    yield table.raises("dropout_forward.errors", DROP, dropout_bad,
                       "rate outside [0, 1) raises ValueError, in test mode too", requires=first)
    yield table.check("dropout_forward.no_mutation", dropout_no_mutation, "x is left unchanged", requires=first)

    first = ("dropout_backward.values",)
    yield table.check("dropout_backward.values", dropout_backward_consistent,
                      "dx uses the forward pass's mask and scale; dout in test mode")
    yield table.check("dropout_backward.float32", partial(dropout_backward_consistent, dtype=np.float32),
                      "float32 gradients", requires=first)
    yield table.check("dropout_backward.no_mutation", dropout_backward_no_mutation, "dout is left unchanged",
                      requires=first)

    for name in ("xavier_init", "he_init"):
        yield table.check(f"{name}.moments", partial(init_moments, name=name),
                          "mean 0 and the formula's std, Keras fans")
        yield table.check(f"{name}.deterministic", partial(init_determinism, name=name), "deterministic given rng",
                          requires=(f"{name}.moments",))
