"""Recorded reference outputs, so the public checks run where the solutions are not.

At release time the public checks run against a :class:`Recorder` wrapped around each
reference module: every call's arguments and result are kept. Students get the recording
(``public_checks.bin`` in their assignment folder) and a :class:`Replay` answers the same calls
from it. Inputs are seeded by check name, so the calls are the same. A call the recording does
not hold (a hint's variant, say) raises ``LookupError``, and that hint is simply not offered.

The file is ``gzip(wire.encode({key: result}))`` with ``mtime=0``: plain values only, and the
same bytes for the same solutions, so a test can tell when the release is stale.
"""
from __future__ import annotations

import copy
import gzip
import hashlib
from pathlib import Path
from types import ModuleType

from autograder.sandbox import wire

FILENAME = "public_checks.bin"


def call_key(module: str, function: str, args: tuple, kwargs: dict) -> str:
    """A digest of one call: module, function and the exact bytes of its arguments."""
    payload = wire.encode((module, function, tuple(args), dict(sorted(kwargs.items()))))
    return hashlib.sha256(payload).hexdigest()


class Recorder:
    """Stands in for a reference module, calling it and recording every call."""

    def __init__(self, module: ModuleType, name: str, store: dict):
        self._module, self._name, self._store = module, name, store

    def __getattr__(self, function: str):
        target = getattr(self._module, function)
        if not callable(target):
            return target

        def call(*args, **kwargs):
            key = call_key(self._name, function, args, kwargs)    # before: calls may mutate args
            result = target(*args, **kwargs)
            self._store[key] = wire.decode(wire.encode(result))   # a snapshot, as it will replay
            return result
        return call


class Replay:
    """Stands in for a reference module, answering from a recording."""

    def __init__(self, name: str, store: dict):
        self._name, self._store = name, store

    def __getattr__(self, function: str):
        def call(*args, **kwargs):
            key = call_key(self._name, function, args, kwargs)
            if key not in self._store:
                raise LookupError(f"no recorded reference output for {self._name}.{function}")
            return copy.deepcopy(self._store[key])
        return call


def save(store: dict, path: Path) -> None:
    path.write_bytes(gzip.compress(wire.encode(dict(sorted(store.items()))), mtime=0))


def load(path: Path) -> dict:
    try:
        data = wire.decode(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, wire.WireError) as exc:
        raise ValueError(f"{path} is damaged ({exc}); get a fresh copy of the assignment") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a recording of public checks")
    return data
