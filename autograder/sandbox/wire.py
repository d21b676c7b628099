"""The wire format between the grader and the student process: plain values only.

A message is ``header_len (8 bytes) | buffer_count (8) | JSON header | (len (8) | bytes)*``.
The JSON tree holds ``None``, bools, ints, floats (``NaN``/``inf`` allowed), strings, lists and
string-keyed dicts; special nodes are single-key dicts:

* ``{"$nd": i, "dtype": "<f8", "shape": [..], "type": "ndarray"}`` an array whose bytes are
  buffer ``i`` (numeric dtypes only: bool, int, uint, float, complex);
* ``{"$tuple": [...]}`` a tuple; ``{"$opaque": "TypeName"}`` a value that is not plain (a cache:
  it stays in the child, which can pass it back by reference);
* ``{"$ref": key, "path": [..]}`` and ``{"$rng": seed}`` in requests (see worker).

This module imports only the standard library and numpy: the child loads it by path.
"""
from __future__ import annotations

import json
import math
import re
import struct

import numpy as np

_NDARRAY = np.ndarray
_TOBYTES = np.ndarray.tobytes
_NUMERIC_KINDS = frozenset("biufc")
MAX_MESSAGE = 1 << 30      # 1 GiB: larger messages are refused, never allocated
# What student modules of assignments 01-03 may not import (docs/contract.md §2), checked both
# statically (autograder.grading.submission) and at run time (the worker's import hook).
BANNED_IMPORTS = ("tensorflow", "keras", "tf_keras", "torch", "torchvision", "jax", "jaxlib",
                  "flax", "scipy", "sklearn", "solutions", "autograder", "cupy", "numba")


class WireError(ValueError):
    """A message is malformed, too large, or holds something that is not a plain value."""


# What a student's string may not carry into a report: control characters other than newline
# and tab (ANSI escapes rewrite a terminal), bidirectional overrides (they reorder what a reader
# sees) and lone surrogates (they cannot be encoded: printing them crashes).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_STRING = 10_000      # characters of one string in a reply (a quiz answer, a layer name)


def sanitize(text, limit: int = MAX_STRING, one_line: bool = False) -> str:
    """``text`` made safe to show: at most ``limit`` characters (the cut is said), unsafe
    characters replaced by U+FFFD, and with ``one_line`` newlines and tabs too."""
    if type(text) is not str:
        text = str(text) if isinstance(text, str) else "<not text>"
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text) - limit} more characters)"
    return (_UNSAFE_LINE if one_line else _UNSAFE).sub("\ufffd", text)


def _encode_node(value, buffers, depth=0, markers=False):
    if depth > 64:
        raise WireError("value nested more than 64 levels deep")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -(1 << 63) <= value < (1 << 63) else float(value)
    if kind is float:
        return value
    if kind is _NDARRAY:
        if value.dtype.kind not in _NUMERIC_KINDS or value.dtype.hasobject:
            return {"$opaque": f"ndarray of dtype {value.dtype} (not numbers)"}
        buffers.append(_TOBYTES(value, order="C"))
        return {"$nd": len(buffers) - 1, "dtype": value.dtype.str, "shape": list(value.shape),
                "type": "ndarray"}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        array = np.asarray(value)
        if array.dtype.kind in _NUMERIC_KINDS:
            buffers.append(_TOBYTES(array, order="C"))
            return {"$nd": len(buffers) - 1, "dtype": array.dtype.str, "shape": [],
                    "type": "scalar"}
    if kind is Opaque:                      # a decoded value encodes as it was first encoded
        return {"$opaque": value.type_name}
    if kind is ScalarValue:
        return _encode_node(value.value, buffers, depth + 1, markers)
    if kind is tuple:
        return {"$tuple": [_encode_node(v, buffers, depth + 1, markers) for v in value]}
    if kind is list:
        return [_encode_node(v, buffers, depth + 1, markers) for v in value]
    if kind is dict and all(type(k) is str for k in value) \
            and (markers or not any(k.startswith("$") for k in value)):
        return {k: _encode_node(v, buffers, depth + 1, markers) for k, v in value.items()}
    name = getattr(kind, "__qualname__", "object")
    return {"$opaque": name if type(name) is str else "object"}


def encode(value, markers: bool = False) -> bytes:
    """Encode a plain value; non-plain parts become ``$opaque`` markers.

    ``markers=True`` (the grader's requests only) lets ``$ref``/``$rng`` dicts through; in
    replies a student dict with ``$`` keys is opaque, so it cannot forge a node.
    """
    buffers: list[bytes] = []
    tree = _encode_node(value, buffers, markers=markers)
    header = json.dumps(tree, allow_nan=True).encode()
    parts = [struct.pack(">QQ", len(header), len(buffers)), header]
    for buf in buffers:
        parts.append(struct.pack(">Q", len(buf)))
        parts.append(buf)
    return b"".join(parts)


def _decode_node(node, buffers, depth=0, clean=False):
    if depth > 64:
        raise WireError("value nested more than 64 levels deep")
    if isinstance(node, list):
        return [_decode_node(v, buffers, depth + 1, clean) for v in node]
    if clean and type(node) is str:
        return sanitize(node)
    if not isinstance(node, dict):
        return node
    if "$nd" in node:
        index, dtype, shape = node["$nd"], np.dtype(str(node["dtype"])), node["shape"]
        if dtype.kind not in _NUMERIC_KINDS or dtype.hasobject or not isinstance(index, int) \
                or not 0 <= index < len(buffers):
            raise WireError(f"bad array node {sanitize(repr(node), 200, one_line=True)}")
        if not all(isinstance(d, int) and d >= 0 for d in shape):
            raise WireError(f"bad array shape {sanitize(repr(shape), 200, one_line=True)}")
        data = buffers[index]
        if math.prod(shape) * dtype.itemsize != len(data):
            raise WireError(f"array of shape {sanitize(repr(shape), 200, one_line=True)} and dtype "
                            f"{dtype} needs {math.prod(shape) * dtype.itemsize} bytes, got {len(data)}")
        array = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        if node.get("type") == "scalar":
            return ScalarValue(array[()])
        return array
    if "$tuple" in node:
        return tuple(_decode_node(v, buffers, depth + 1, clean) for v in node["$tuple"])
    if "$opaque" in node:
        name = str(node["$opaque"])
        return Opaque(sanitize(name, 120, one_line=True) if clean else name)
    return {(sanitize(str(k), 200, one_line=True) if clean else str(k)): _decode_node(v, buffers, depth + 1, clean)
            for k, v in node.items()}


def decode(data: bytes, clean: bool = False):
    """Decode a message produced by :func:`encode` (or a request tree).

    ``clean=True`` (what the grader does with the child's replies): every string is bounded and
    made safe to print (:func:`sanitize`), so nothing a student returns or raises can crash a
    report, flood it or rewrite the instructor's terminal.
    """
    if len(data) < 16:
        raise WireError("message shorter than its 16-byte prefix")
    header_len, count = struct.unpack(">QQ", data[:16])
    if header_len > len(data) or count > len(data):
        raise WireError("message prefix announces more bytes than it holds")
    pos = 16 + header_len
    try:
        tree = json.loads(data[16:pos].decode())
    except (ValueError, RecursionError) as exc:     # not UTF-8, not JSON, a 5000-digit integer
        raise WireError(f"header is not JSON: {str(exc)[:200]}") from None
    buffers = []
    for _ in range(count):
        if pos + 8 > len(data):
            raise WireError("message truncated in a buffer length")
        (size,) = struct.unpack(">Q", data[pos:pos + 8])
        pos += 8
        if pos + size > len(data):
            raise WireError("message truncated in a buffer")
        buffers.append(data[pos:pos + size])
        pos += size
    if pos != len(data):
        raise WireError("trailing bytes after the last buffer")
    try:
        return _decode_node(tree, buffers, clean=clean)
    except WireError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, OverflowError,
            MemoryError) as exc:
        # a node of the right kind but the wrong fields: "dtype": "junk", no "shape", ...
        raise WireError(f"malformed node ({type(exc).__name__}: {str(exc)[:200]})") from None


class Opaque:
    """A value that stayed in the child because it is not plain (e.g. a layer's cache)."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<opaque {self.type_name}>"

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.type_name == self.type_name


class ScalarValue:
    """A numpy scalar returned by student code (kept apart from 0-d arrays and Python floats)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return f"<numpy scalar {self.value!r} ({self.value.dtype})>"

    def __eq__(self, other):
        return isinstance(other, ScalarValue) and other.value.dtype == self.value.dtype \
            and (other.value == self.value or (other.value != other.value and self.value != self.value))


def read_frame(stream, limit: int = MAX_MESSAGE) -> bytes:
    """Read one length-prefixed frame (8-byte big-endian length) from a binary stream."""
    prefix = _read_exact(stream, 8)
    (size,) = struct.unpack(">Q", prefix)
    if size > limit:
        raise WireError(f"frame of {size} bytes exceeds the limit of {limit}")
    return _read_exact(stream, size)


def write_frame(stream, payload: bytes) -> None:
    """Write one length-prefixed frame and flush."""
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def _read_exact(stream, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
