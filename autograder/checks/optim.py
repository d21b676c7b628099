"""Checks of ``optim.py`` (assignment 03): seven optimizers, judged by whole trajectories.

Each check runs several steps in a row, passing back the config the student returned (so their
state carries over), and compares every step's ``next_w`` and, at the end, the stored state
with the reference's. Hyper-parameters are defaults and non-defaults; one check starts from a
given state; one uses tiny gradients with a larger epsilon, where epsilon's place matters.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial
from typing import Any, cast

import numpy as np

from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table
from autograder.core.compare import check_array, describe_type
from autograder.sandbox import Ref

MODULE = "optim"

STATE = {"sgd": (), "momentum": ("velocity",), "nesterov": ("velocity",), "adagrad": ("cache",),
         "rmsprop": ("cache",), "adadelta": ("cache", "delta"), "adam": ("m", "v", "t")}
HYPER = {
    "sgd": {"learning_rate": 0.3},
    "momentum": {"learning_rate": 0.05, "momentum": 0.7},
    "nesterov": {"learning_rate": 0.05, "momentum": 0.6},
    "adagrad": {"learning_rate": 0.2, "epsilon": 1e-4},
    "rmsprop": {"learning_rate": 0.05, "decay_rate": 0.8, "epsilon": 1e-4},
    "adadelta": {"learning_rate": 0.5, "rho": 0.7, "epsilon": 1e-3},
    "adam": {"learning_rate": 0.05, "beta1": 0.7, "beta2": 0.9, "epsilon": 1e-4},
}


def _given_state(rng, *, name: str, shape, dtype) -> dict:
    state = {}
    for key in STATE[name]:
        if key == "t":
            state[key] = 7
        elif key == "velocity":
            state[key] = rng.normal(scale=0.1, size=shape).astype(dtype)
        else:
            state[key] = rng.uniform(0.01, 0.5, size=shape).astype(dtype)
    return state


def trajectory(ctx: Ctx, name: str, hyper: bool = False, given_state: bool = False, steps: int = 5,
               shape=(3, 4), dtype=np.float64, grad_scale: float = 1.0, check_state: bool = True,
               mutation: bool = False) -> None:
    """``steps`` calls in a row; next_w at every step and the final state match the reference."""
    rng = ctx.rng
    w = rng.normal(size=shape).astype(dtype)
    grads = [(rng.normal(size=shape) * grad_scale).astype(dtype) for _ in range(steps)]
    config = dict(HYPER[name]) if hyper else {}
    if given_state:
        config.update(_given_state(rng, name=name, shape=shape, dtype=dtype))
    start = copy.deepcopy(config) if config else None
    ref_config: dict[str, Any] | None = copy.deepcopy(config) if config else None
    what = f"config={_short(start)}" if start else "config=None"
    key: str | None = None
    ref_w = w
    for t, dw in enumerate(grads, 1):
        label = f"w {shape}{'' if dtype == np.float64 else ' ' + np.dtype(dtype).name}, step {t} of {steps}, {what}"
        case = Case({"w": ref_w, "dw": dw, "config": copy.deepcopy(ref_config) or {}}, label)
        student_config = Ref(key, (1,)) if key else (copy.deepcopy(start) if start else None)
        new_key = ctx.new_key()
        value = ctx.call(name, case, (ref_w, dw, student_config), store=new_key, select=(0,),
                         check_mutation=mutation, arg_names=("w", "dw", "config"))
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            ctx.fail("value.structure", function=name, case=label, got=f"a {describe_type(value)}",
                     expected="a tuple (next_w, config)")
        expected_w, ref_config = getattr(ctx.ref, name)(ref_w.astype(np.float64) if dtype == np.float32 else ref_w,
                                                       dw.astype(np.float64) if dtype == np.float32 else dw,
                                                       ref_config)
        ctx.expect(name, case, {"next_w": value[0]}, {"next_w": expected_w},
                   dtype=dtype if dtype == np.float32 else None)
        ref_w = np.asarray(expected_w).astype(dtype)
        key = new_key
    if check_state and STATE[name]:
        # steps >= 1: the loop set key (the student's last config) and ref_config (the reference's)
        _check_state(ctx, name=name, key=cast(str, key), ref_config=cast("dict[str, Any]", ref_config), steps=steps,
                     dtype=dtype, label=label)


def _check_state(ctx: Ctx, *, name: str, key: str, ref_config: dict, steps: int, dtype, label: str) -> None:
    case = Case({}, label)
    config = _read_stored(ctx, key, case)
    if not isinstance(config, dict):
        ctx.fail("optim.config_type", function=name, got=describe_type(config))
    for state_key in STATE[name]:
        if state_key not in config:
            ctx.fail("optim.state_missing", function=name, key=state_key, keys=", ".join(sorted(config)) or "none")
        expected = ref_config[state_key]
        got = config[state_key]
        if state_key == "t":
            t = got.value.item() if hasattr(got, "value") else got
            if isinstance(t, bool) or not isinstance(t, (int, float)) or t != expected:
                ctx.fail("optim.t", function=name, got=repr(t), expected=expected, steps=steps)
            continue
        tol = ctx.tol(dtype)
        problem = check_array(got, np.asarray(expected), tol, f"config[{state_key!r}]",
                              dtype_required=np.dtype(dtype) if dtype == np.float32 else None)
        if problem is not None:
            negated = state_key == "velocity" and type(got) is np.ndarray and \
                check_array(-got, np.asarray(expected), tol, "") is None
            ctx.fail_problem(problem, name, label + " (the state after the last step)",
                             hints=["velocity_sign"] if negated else [])


def _read_stored(ctx: Ctx, key: str, case: Case):
    """The config the student's last call returned (kept in the child under ``key``)."""
    result = ctx.sandbox.call_stored(key, (1,), timeout=ctx.timeout)
    ctx.raise_for(result, "config", case)
    return result.value


def _short(config) -> str:
    parts = []
    for k, v in config.items():
        parts.append(f"{k}=<{np.shape(v)} array>" if isinstance(v, np.ndarray) else f"{k}={v!r}")
    return "{" + ", ".join(parts) + "}"


def checks() -> Iterator[Check]:
    """Yield the checks of optim.py: the same aspects of each optimizer, in report order."""
    table = Table(MODULE)
    for name in STATE:
        first = (f"{name}.defaults",)
        yield table.check(f"{name}.defaults", partial(trajectory, name=name),
                          "5 steps from config=None with the default hyper-parameters")
        yield table.check(f"{name}.hyper", partial(trajectory, name=name, hyper=True),
                          "5 steps with non-default hyper-parameters", requires=first)
        if name != "sgd":
            yield table.check(f"{name}.state", partial(trajectory, name=name, hyper=True, given_state=True),
                              "continuing from a given state (t = 7 for Adam)", requires=first)
        if name in ("momentum", "nesterov"):
            yield table.check(f"{name}.long", partial(trajectory, name=name, steps=20),
                              "20 steps: the velocity builds up", requires=first)
        elif name != "sgd":
            yield table.check(f"{name}.tiny", partial(trajectory, name=name, hyper=True, grad_scale=1e-5),
                              "tiny gradients (1e-5) with epsilon 1e-4..1e-3: where epsilon goes matters",
                              requires=first)
        yield table.check(f"{name}.float32", partial(trajectory, name=name, dtype=np.float32),
                          "float32 in, float32 out, state float32", requires=first)
        yield table.check(f"{name}.no_mutation",
                          partial(trajectory, name=name, steps=2, mutation=True, check_state=False),
                          "w and dw are left unchanged", requires=first)
