"""Recorded reference outputs, so the public checks run where the solutions are not.

At release time the public checks run against a :class:`Recorder` wrapped around each
reference module: every call's arguments and result are kept. Students get the recording
(``public_checks.bin`` in their assignment folder) and a :class:`Replay` answers the same calls
from it. Inputs are seeded by check name, so the calls are the same. A call the recording does
not hold raises ``LookupError``.

The recording also holds the outputs of the known bugs (the hint library, ``autograder/hints``,
which the students' wheel leaves out) on every case a public check compares: for each case, the
outputs each buggy version gives, under a key that digests the function and the case's inputs
(:func:`bugs_key`). A failing public check compares the student's outputs with those, as a
graded run compares them with the bugs computed afresh, so the same hints are named with or
without the library. They are outputs of *buggy* versions on public inputs whose right outputs
the recording holds already: no code, nothing a student could not compute from those.

The file is ``gzip(wire.encode({key: result}))`` with ``mtime=0``: plain values only. Keys
digest the inputs, which come from seeded generators and are the same on every machine; the
recorded outputs went through BLAS, whose rounding differs between CPUs in the last bits. So
two recordings are compared by :func:`differences` (same keys, same structure, floats within a
tolerance), never by their bytes.
"""
from __future__ import annotations

import copy
import gzip
import hashlib
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from autograder.core.compare import Tolerance, relative_error
from autograder.sandbox import wire

FILENAME = "public_checks.bin"


BUGS_PREFIX = "bugs:"      # keys of the known bugs' outputs; the others are calls' digests

# The known bugs of one function on one case: index in its hint table -> (hint key, the outputs
# that buggy version gives there), in table order. Several bugs may share a key (forms of one bug).
Bugs = dict[int, tuple[str, dict[str, Any]]]


def call_key(module: str, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """A digest of one call: module, function and the exact bytes of its arguments."""
    payload = wire.encode((module, function, tuple(args), dict(sorted(kwargs.items()))))
    return hashlib.sha256(payload).hexdigest()


def bugs_key(module: str, function: str, params: dict[str, Any]) -> str:
    """The key of the known bugs' outputs on one case: module, function and the exact bytes of
    the case's inputs (float32 cases digest differently from float64 ones; a backward case
    holds the forward's inputs and ``dout``, never a cache)."""
    payload = wire.encode(("known bugs", module, function, dict(sorted(params.items()))))
    return BUGS_PREFIX + hashlib.sha256(payload).hexdigest()


def plain(value: Any) -> np.ndarray | float:
    """An output as it compares after a round trip: an array stays an array, a scalar becomes
    a float (a numpy scalar would come back as a :class:`wire.ScalarValue`)."""
    return value if type(value) is np.ndarray else float(value)


class Recorder:
    """Stands in for a reference module, calling it and recording every call."""

    def __init__(self, module: ModuleType, name: str, store: dict[str, Any]) -> None:
        self._module, self._name, self._store = module, name, store

    def __getattr__(self, function: str) -> Any:
        target = getattr(self._module, function)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            key = call_key(self._name, function, args, kwargs)    # before: calls may mutate args
            result = target(*args, **kwargs)
            self._store[key] = wire.decode(wire.encode(result))   # a snapshot, as it will replay
            return result
        return call

    @property
    def wrapped(self) -> ModuleType:
        """The reference module itself (the known bugs call it without being recorded)."""
        return self._module

    def record_bugs(self, function: str, params: dict[str, Any], bugs: Bugs) -> None:
        """Keep the known bugs' outputs on the case whose inputs are ``params`` (added to those
        kept for the same case by another check)."""
        key = bugs_key(self._name, function, params)
        merged = {index: (hint, outputs) for index, hint, outputs in self._store.get(key, {}).get("bugs", [])}
        merged.update({i: (hint, {n: plain(v) for n, v in out.items()}) for i, (hint, out) in bugs.items()})
        entry = {"function": function, "bugs": [[i, *merged[i]] for i in sorted(merged)]}
        self._store[key] = wire.decode(wire.encode(entry))


class Replay:
    """Stands in for a reference module, answering from a recording."""

    def __init__(self, name: str, store: dict[str, Any]) -> None:
        self._name, self._store = name, store

    def __getattr__(self, function: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            key = call_key(self._name, function, args, kwargs)
            if key not in self._store:
                raise LookupError(f"no recorded reference output for {self._name}.{function}")
            return copy.deepcopy(self._store[key])
        return call

    def recorded_bugs(self, function: str, params: dict[str, Any]) -> Bugs | None:
        """The known bugs' outputs on the case whose inputs are ``params``, or ``None`` when the
        recording has none for it (one made before it held bugs; a case built from the
        student's own output)."""
        entry = self._store.get(bugs_key(self._name, function, params))
        if not isinstance(entry, dict) or not isinstance(entry.get("bugs"), list):
            return None
        return {index: (hint, copy.deepcopy(outputs)) for index, hint, outputs in entry["bugs"]}


def save(store: dict[str, Any], path: Path) -> None:
    path.write_bytes(gzip.compress(wire.encode(dict(sorted(store.items()))), mtime=0))


def load(path: Path) -> dict[str, Any]:
    try:
        data = wire.decode(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, wire.WireError) as exc:
        raise ValueError(f"{path} is damaged ({exc}); get a fresh copy of the assignment") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a recording of public checks")
    return data


def differences(old: dict[str, Any], new: dict[str, Any], tolerances: dict[str, Tolerance],
                limit: int = 10) -> list[str]:
    """How recording ``new`` differs from ``old`` beyond rounding: missing or extra calls, a
    different structure, type, shape or dtype, exact values (ints, bools, strings) that differ,
    or floats outside ``tolerances`` (``"float32"``/``"float64"``, as in a rubric). Empty when
    they agree. At most ``limit`` differences are listed."""
    found: list[str] = []
    for key in sorted(set(old) ^ set(new)):
        found.append(f"call {key[:12]} only in the {'old' if key in old else 'new'} recording")
    for key in sorted(set(old) & set(new)):
        _differ(old[key], new[key], tolerances, key[:12], found)
        if len(found) >= limit:
            break
    return found[:limit]


def _differ(old: Any, new: Any, tolerances: dict[str, Tolerance], where: str, found: list[str]) -> None:
    if type(old) is not type(new):
        found.append(f"{where}: {type(old).__name__} became {type(new).__name__}")
    elif isinstance(old, (tuple, list)):
        if len(old) != len(new):
            found.append(f"{where}: {len(old)} items became {len(new)}")
        for i, (a, b) in enumerate(zip(old, new)):
            _differ(a, b, tolerances, f"{where}[{i}]", found)
    elif isinstance(old, dict):
        if sorted(old) != sorted(new):
            found.append(f"{where}: keys {sorted(old)} became {sorted(new)}")
        for k in sorted(set(old) & set(new)):
            _differ(old[k], new[k], tolerances, f"{where}[{k!r}]", found)
    elif isinstance(old, wire.ScalarValue):
        _differ(np.asarray(old.value), np.asarray(new.value), tolerances, where, found)
    elif isinstance(old, np.ndarray):
        if old.shape != new.shape or old.dtype != new.dtype:
            found.append(f"{where}: {old.dtype}{list(old.shape)} became {new.dtype}{list(new.shape)}")
        elif old.dtype.kind in "fc":
            tol = tolerances["float32" if old.dtype.itemsize <= 4 * (2 if old.dtype.kind == "c" else 1)
                             else "float64"]
            for part in ((old.real, new.real), (old.imag, new.imag)) if old.dtype.kind == "c" else ((old, new),):
                err = relative_error(part[1], part[0], tol)
                if err.size and float(err.max()) > tol.rtol:
                    found.append(f"{where}: values differ (max relative error {float(err.max()):.1e})")
                    break
        elif not np.array_equal(old, new):
            found.append(f"{where}: exact values differ")
    elif isinstance(old, float):
        _differ(np.array(old), np.array(new), tolerances, where, found)
    elif old != new:
        found.append(f"{where}: {old!r:.60} became {new!r:.60}")
