"""Families of checks, each a function ``(ctx, ...) -> None`` that an assignment's table binds
with ``functools.partial``: values against the reference, backward passes through the student's
own forward pass, no mutation, errors raised. Case generators take ``ctx.rng``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from autograder.checks.base import Case, CheckFailed, Ctx, expected_of, unpack
from autograder.sandbox import Ref

CaseMaker = Callable[[np.random.Generator], Sequence[Case]]


@dataclass(frozen=True)
class Spec:
    """A student function: its positional parameters, keyword parameters and outputs.

    ``outputs`` names the items of its return value (``"_"`` for an opaque cache).
    """

    name: str
    params: tuple[str, ...]
    outputs: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    def label(self, case: Case) -> Case:
        """``case`` relabelled with only the arguments this function takes."""
        names = self.params + self.keywords
        return Case(case.params, describe(**{k: case.params[k] for k in names
                                             if k in case.params and k not in ("dout", "cache")}))

    def split(self, case: Case) -> tuple[tuple, dict]:
        args = tuple(case.params[p] for p in self.params)
        kwargs = {k: case.params[k] for k in self.keywords if k in case.params}
        return args, kwargs

    @property
    def select(self) -> tuple[int, ...] | None:
        if len(self.outputs) == 1 or "_" not in self.outputs:
            return None
        return tuple(i for i, n in enumerate(self.outputs) if n != "_")


def reference_outputs(ctx: Ctx, spec: Spec, case: Case) -> dict:
    """The reference's outputs for ``case``; float inputs are promoted to float64 so the
    expected values are more accurate than what any float32 implementation can produce."""
    args, kwargs = spec.split(case)
    promoted = tuple(_promote(a) for a in args)
    return expected_of(getattr(ctx.ref, spec.name)(*promoted, **kwargs), spec.outputs)


def _promote(value):
    if isinstance(value, np.ndarray) and value.dtype == np.float32:
        return value.astype(np.float64)
    return value


def values(ctx: Ctx, spec: Spec, cases: CaseMaker, dtype=None, expected=None) -> None:
    """The student's outputs equal the reference's on every case (dtype: also required).

    ``expected(case)``: fixed expected outputs instead of the reference's (public checks).
    """
    for case in cases(ctx.rng):
        case = spec.label(case)
        args, kwargs = spec.split(case)
        value = ctx.call(spec.name, case, args, kwargs, select=spec.select)
        got = unpack(ctx, spec.name, case, value, spec.outputs)
        want = expected(case) if expected is not None else reference_outputs(ctx, spec, case)
        ctx.expect(spec.name, case, got, want, dtype=dtype)


def backward(ctx: Ctx, forward: Spec, back: Spec, cases: CaseMaker, dtype=None,
             wrt: dict[str, str] | None = None) -> None:
    """Backward outputs, computed through the student's own forward pass and its cache,
    equal the reference backward on the same inputs and upstream gradient ``dout``.

    ``wrt`` maps gradient names to forward inputs (``{"dx": "x"}``) for the numerical probe.
    """
    for case in cases(ctx.rng):
        case = forward.label(case)
        args, kwargs = forward.split(case)
        key = ctx.new_key()
        ctx.call(forward.name, case, args, kwargs, store=key, select=(0,))
        dout = case.params["dout"]
        value = ctx.call(back.name, case, (dout, Ref(key, (1,))))
        got = unpack(ctx, back.name, case, value, back.outputs)
        promoted = tuple(_promote(a) for a in args)
        ref_out = getattr(ctx.ref, forward.name)(*promoted, **kwargs)
        want = expected_of(getattr(ctx.ref, back.name)(_promote(dout), ref_out[1]), back.outputs)
        try:
            ctx.expect(back.name, case, got, want, dtype=dtype)
        except CheckFailed as failure:
            extra = _probe(ctx, forward, case, got, want, wrt or {}) if dtype is None else ""
            raise CheckFailed(failure.message + extra, failure.hints) from None


def _probe(ctx: Ctx, forward: Spec, case: Case, got: dict, want: dict, wrt: dict) -> str:
    """A central difference of the student's own forward at the worst element of the first
    wrong gradient: tells a wrong backward pass from a wrong forward pass (two calls)."""
    for name, expected in want.items():
        param = wrt.get(name)
        value = got.get(name)
        if param is None or type(value) is not np.ndarray or value.shape != expected.shape:
            continue
        err = np.abs(value.astype(np.float64) - expected)
        if not err.size or err.max() == 0:
            continue
        index = np.unravel_index(int(np.argmax(err)), err.shape)
        base = np.asarray(case.params[param], dtype=np.float64)
        h = 1e-6 * max(1.0, abs(float(base[index])))
        sums = []
        for sign in (1, -1):
            shifted = base.copy()
            shifted[index] += sign * h
            params = dict(case.params, **{param: shifted})
            args, kwargs = forward.split(Case(params, case.label))
            try:
                out = ctx.call(forward.name, case, args, kwargs, select=(0,))
            except CheckFailed:
                return ""
            out = out[0] if isinstance(out, (tuple, list)) else out
            if type(out) is not np.ndarray or out.shape != case.params["dout"].shape:
                return ""
            sums.append(float((out.astype(np.float64) * case.params["dout"]).sum()))
        numeric = (sums[0] - sums[1]) / (2 * h)
        scale = max(abs(float(expected[index])), 1e-3 * float(np.abs(expected).max()), 1e-12)
        if abs(numeric - float(expected[index])) <= 1e-3 * scale:
            return ctx.text("gradcheck.note", name=name)
        if abs(numeric - float(value[index])) <= 1e-3 * scale:
            return ctx.text("gradcheck.own", name=name)
        return ""
    return ""


def no_mutation(ctx: Ctx, spec: Spec, cases: CaseMaker, backward_of: Spec | None = None) -> None:
    """The function leaves its array arguments unchanged (for a backward pass: ``dout``)."""
    for case in cases(ctx.rng):
        if backward_of is None:
            args, kwargs = spec.split(case)
            ctx.call(spec.name, case, args, kwargs, select=spec.select, check_mutation=True,
                     arg_names=spec.params)
        else:
            args, kwargs = backward_of.split(case)
            key = ctx.new_key()
            ctx.call(backward_of.name, case, args, kwargs, store=key, select=(0,))
            ctx.call(spec.name, case, (case.params["dout"], Ref(key, (1,))), check_mutation=True,
                     arg_names=("dout", "cache"))


@dataclass(frozen=True)
class BadCase:
    """Arguments that must raise ValueError, why, and words one of which the message names."""

    case: Case
    why: str
    names: tuple[str, ...]


def raises(ctx: Ctx, spec: Spec, bad_cases: Callable[[np.random.Generator], Sequence[BadCase]]) -> None:
    """Each bad call raises ValueError whose message names the faulty argument."""
    for bad in bad_cases(ctx.rng):
        args, kwargs = spec.split(bad.case)
        result = ctx.sandbox.call(ctx.module, spec.name, *args, timeout=ctx.timeout, **kwargs)
        if result.kind == "ok":
            ctx.fail("error.not_raised", function=spec.name, case=bad.case.label, why=bad.why)
        if result.kind != "exception":
            ctx.raise_for(result, spec.name, bad.case)
        if not result.is_value_error:
            ctx.fail("error.wrong_type", function=spec.name, case=bad.case.label,
                     error_type=result.error_type, message=result.message, why=bad.why)
        text = result.message.lower()
        if bad.names and not any(n.lower() in text for n in bad.names):
            ctx.fail("error.no_name", function=spec.name, case=bad.case.label,
                     message=result.message, names=" or ".join(bad.names))


def describe(**params) -> str:
    """A case label: arrays by shape (and dtype when not float64), scalars by value."""
    parts = []
    for name, value in params.items():
        if isinstance(value, np.ndarray):
            dt = "" if value.dtype == np.float64 else f" {value.dtype}"
            parts.append(f"{name} {tuple(value.shape)}{dt}")
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def case(**params) -> Case:
    """A case whose label lists every parameter except ``dout`` (implied by the shapes)."""
    return Case(params, describe(**{k: v for k, v in params.items() if k != "dout"}))
