"""Comparing a student's values with the expected ones: validation, then tolerances.

Tolerance policy (numbers in each assignment's rubric): an element passes when
``|got - expected| <= rtol * max(|expected|, floor * max|expected|, tiny)``. That is relative
error with a floor proportional to the array's scale, so entries that are nearly zero only
because of cancellation do not demand more digits than the dtype holds. float32 results are
compared with float32 tolerances; values are always validated first (exact ``numpy.ndarray``,
numeric dtype, shape, finiteness), so nothing a submission returns can bend the comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.sandbox.wire import Opaque, ScalarValue


@dataclass(frozen=True)
class Tolerance:
    """``rtol``: relative tolerance; ``floor``: fraction of max|expected| below which errors are
    measured against that floor instead; ``tiny``: an absolute floor for all-zero arrays."""

    rtol: float
    floor: float
    tiny: float = 1e-30


@dataclass(frozen=True)
class Problem:
    """Why a value was rejected: a message key and its fields (see :mod:`messages`)."""

    key: str
    fields: dict[str, Any]


def describe_type(value: object) -> str:
    """A short type name for messages: ``ndarray``, ``float``, ``list``, ``LyingArray``..."""
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, ScalarValue):
        return f"numpy.{value.value.dtype.name}"
    return type(value).__name__


def check_array(got: object, expected: np.ndarray, tol: Tolerance, name: str,
                dtype_required: np.dtype | None = None) -> Problem | None:
    """``None`` if ``got`` is an ndarray of ``expected``'s shape whose values are within ``tol``.

    ``dtype_required``: also demand this dtype (the "dtype follows the input" rule).
    """
    if type(got) is not np.ndarray:
        return Problem("value.type", {"name": name, "got_type": describe_type(got), "expected_type": "numpy.ndarray"})
    if got.dtype.kind not in "biuf":
        return Problem("value.dtype_kind", {"name": name, "dtype": str(got.dtype)})
    if got.shape != expected.shape:
        return Problem("value.shape", {"name": name, "got": tuple(got.shape), "expected": tuple(expected.shape)})
    if dtype_required is not None and got.dtype != dtype_required:
        return Problem("value.dtype", {"name": name, "got": str(got.dtype), "expected": str(dtype_required)})
    return check_values(got, expected, tol, name)


def check_values(got: np.ndarray, expected: np.ndarray, tol: Tolerance, name: str) -> Problem | None:
    """Element-wise comparison of two arrays of one shape; reports the worst element."""
    g = got.astype(np.float64)
    e = np.asarray(expected, dtype=np.float64)
    bad_finite = np.isfinite(e) & ~np.isfinite(g)
    if bad_finite.any():
        index = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        return Problem("value.nonfinite", {"name": name, "count": int(bad_finite.sum()),
                                           "index": index, "got": float(g[index]),
                                           "expected": float(e[index]) + 0.0})
    err = relative_error(g, e, tol)
    if err.size and err.max() > tol.rtol:
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
        return Problem("value.mismatch", {"name": name, "index": index, "got": float(g[index]) + 0.0,
                                          "expected": float(e[index]) + 0.0, "err": float(err.max()),
                                          "bad": int((err > tol.rtol).sum()), "size": int(err.size)})
    return None


def relative_error(got: np.ndarray, expected: np.ndarray, tol: Tolerance) -> np.ndarray:
    """Element-wise error measured against ``max(|e|, floor * max|e|, tiny)``."""
    e = np.asarray(expected, dtype=np.float64)
    g = np.asarray(got, dtype=np.float64)
    scale = float(np.abs(e[np.isfinite(e)]).max()) if np.isfinite(e).any() else 0.0
    denom = np.maximum(np.abs(e), max(tol.floor * scale, tol.tiny))
    with np.errstate(invalid="ignore"):
        diff = np.abs(g - e)
        diff = np.where((g == e) | (np.isnan(g) & np.isnan(e)), 0.0, diff)
    return np.where(np.isfinite(diff), diff / denom, np.inf)


def close(got: object, expected: npt.ArrayLike, tol: Tolerance) -> bool:
    """Whether ``got`` matches ``expected`` (shape and values); used for hint matching."""
    if type(got) is not np.ndarray or np.shape(got) != np.shape(expected):
        return False
    if got.dtype.kind not in "biuf":
        return False
    return check_values(got, np.asarray(expected), tol, "") is None


def as_scalar(value: object) -> float | None:
    """A Python float from a float/int, a numpy scalar or a 0-d / size-1 array; else ``None``."""
    # isinstance only narrows the type for mypy: it holds whenever the exact type is int or float.
    if type(value) in (int, float) and type(value) is not bool and isinstance(value, int | float):
        return float(value)
    if isinstance(value, ScalarValue) and value.value.dtype.kind in "iuf":
        return float(value.value)
    if type(value) is np.ndarray and value.size == 1 and value.ndim <= 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()))
    return None


def check_scalar(got: object, expected: float, tol: Tolerance, name: str) -> Problem | None:
    """A scalar result (a loss, a penalty) within ``tol`` of ``expected``."""
    value = as_scalar(got)
    if value is None:
        return Problem("value.scalar_type", {"name": name, "got_type": describe_type(got)})
    return check_values(np.array(value), np.array(expected), tol, name)
