"""The one way to write a known bug: :func:`bug`, and :func:`forms` for one bug written two ways.

Each hint module's ``BUGS`` table maps a student function to its known bugs, in the order the
hints are tried and named::

    BUGS = {
        "sgd": [bug("sgd_ascent", sgd_ascent)],
        "conv_forward": [
            bug("conv_forward.no_bias", _conv_no_bias, reference=_ref_conv_forward),
            *forms("conv_forward.stride_ignored", _ref_conv_forward, _stride_one, _stride_one_cropped),
        ],
    }

A bug's ``compute(ref, case)`` gives the outputs (a dict) the buggy implementation produces on
``case``, and ``{}`` where the bug does not apply. With ``reference`` (the correct outputs, same
signature), only the outputs the bug changes on that case are kept, so a hint never fires on
outputs that are merely right. The key names the text ``hint.<key>`` of the message catalogue and
is stored in the public recordings: never rename one.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import Case, Variant

__all__ = ["Compute", "Outputs", "Variant", "bug", "forms", "identical"]

Outputs = dict[str, object]
Compute = Callable[[object, Case], Outputs]


def identical(buggy, expected) -> bool:
    """Whether a bug left this output unchanged (up to rounding)."""
    if isinstance(buggy, np.ndarray) or isinstance(expected, np.ndarray):
        a, b = np.asarray(buggy, dtype=np.float64), np.asarray(expected, dtype=np.float64)
        if a.shape != b.shape:
            return False
        scale = float(np.abs(b[np.isfinite(b)]).max()) if np.isfinite(b).any() else 0.0
        return bool(np.allclose(a, b, rtol=1e-9, atol=1e-9 * scale, equal_nan=True))
    x, y = float(buggy), float(expected)         # scalars (not a, b: those are arrays above)
    return x == y or abs(x - y) <= 1e-9 * max(abs(y), 1e-300)


def _changed(reference: Compute, compute: Compute, ref, case: Case) -> Outputs:
    """The outputs of ``compute`` that differ from the reference's on ``case``."""
    with np.errstate(all="ignore"):              # overflow is the point of some bugs
        buggy = compute(ref, case)
    if not buggy:
        return {}
    expected = reference(ref, case)
    return {n: v for n, v in buggy.items() if not identical(v, expected[n])}


def bug(key: str, compute: Compute, *, reference: Compute | None = None,
        defer_to: tuple[Compute, ...] = ()) -> Variant:
    """The known bug ``key`` whose outputs are ``compute(ref, case)``.

    ``reference``: the correct outputs; the bug then gives only the outputs it changes on a case.
    ``defer_to`` (with ``reference``): other bugs' computations; where this bug gives exactly the
    same outputs as one of them on a case (two forms of one bug, or an all-ties window where
    "every maximum" is "every element"), it stays silent so the student reads one hint, not two.
    """
    if reference is None:
        if defer_to:
            raise ValueError(f"bug {key!r}: defer_to compares changed outputs, so it needs a reference")
        return Variant(key, compute)

    def run(ref, case: Case) -> Outputs:
        buggy = _changed(reference, compute, ref, case)
        for other in defer_to:
            try:
                theirs = _changed(reference, other, ref, case)
            except Exception:  # noqa: BLE001 - the other bug does not apply to this case
                continue
            if theirs.keys() == buggy.keys() and all(identical(buggy[n], theirs[n]) for n in buggy):
                return {}
        return buggy
    return Variant(key, run)


def forms(key: str, reference: Compute, *computes: Compute) -> list[Variant]:
    """Several forms of one bug under one key; a later form defers to the earlier ones."""
    return [bug(key, c, reference=reference, defer_to=computes[:k]) for k, c in enumerate(computes)]
