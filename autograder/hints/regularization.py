"""Known bugs of ``regularization.py``: penalties with the slides' constants mixed up."""
from __future__ import annotations

from functools import partial

import numpy as np

from autograder.hints.declare import Variant, bug

MODULE = "regularization"


def _scale(case):
    return case.params["lam"] / case.params.get("n", 1)


def l2_no_two(ref, case):
    w = np.asarray(case.params["w"], dtype=np.float64)
    return {"penalty": _scale(case) * (w * w).sum(), "dw": _scale(case) * w}


def l2_half(ref, case):
    w = np.asarray(case.params["w"], dtype=np.float64)
    return {"penalty": 0.5 * _scale(case) * (w * w).sum(), "dw": _scale(case) * w}


def ignores_n(ref, case, function):
    params = dict(case.params, n=1)
    fn = getattr(ref, function)
    kwargs = {k: params[k] for k in ("l1_ratio",) if k in params}
    penalty, dw = fn(params["w"], params["lam"], n=1, **kwargs)
    return {"penalty": penalty, "dw": dw} if case.params.get("n", 1) != 1 else {}


def l1_sign_zero(ref, case):
    w = np.asarray(case.params["w"], dtype=np.float64)
    if not (w == 0).any():
        return {}
    return {"dw": _scale(case) * np.where(w >= 0, 1.0, -1.0)}


def enet_swapped(ref, case):
    r = case.params["l1_ratio"]
    p1, d1 = ref.l1_penalty(case.params["w"], case.params["lam"], case.params.get("n", 1))
    p2, d2 = ref.l2_penalty(case.params["w"], case.params["lam"], case.params.get("n", 1))
    return {"penalty": (1 - r) * p1 + r * p2, "dw": (1 - r) * d1 + r * d2} if r != 0.5 else {}


BUGS: dict[str, list[Variant]] = {
    "l2_penalty": [bug("l2_no_two", l2_no_two), bug("l2_half", l2_half),
                   bug("l2_ignores_n", partial(ignores_n, function="l2_penalty"))],
    "l1_penalty": [bug("l1_sign_zero", l1_sign_zero),
                   bug("l1_ignores_n", partial(ignores_n, function="l1_penalty"))],
    "elastic_net_penalty": [bug("enet_swapped", enet_swapped)],
    "dropout_forward": [],
}
