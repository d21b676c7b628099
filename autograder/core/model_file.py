"""A saved Keras model (``.keras``) from a submission, checked without Keras (assignment 04).

The file is untrusted bytes, read by :mod:`autograder.grading.submission` within its
``MAX_MODEL_BYTES``. Before any of it reaches Keras (which loads it in a clean process, see
:func:`autograder.sandbox.evaluator.predict_file`), :func:`check_model_file` makes sure, in
plain Python:

* it is a zip: a legacy HDF5 file renamed ``.keras``, a truncated zip or any other file is
  refused, and named;
* it holds Keras's three members, ``config.json``, ``metadata.json`` and ``model.weights.h5``,
  each once, and nothing else: no folder, no ``..``, no absolute path (nothing is ever
  extracted; with more members Keras would extract an ``assets`` folder to disk); stored or
  deflated, not encrypted;
* each member inflates to at most its bound, read through a bounded stream (a deflated
  ``config.json`` that would inflate to gigabytes stops at its bound plus one byte), its CRC
  checked;
* ``config.json`` is a Sequential or functional model of Keras's built-in classes: the
  allow-list and bounds of ``build_model.learns`` (:func:`evaluator.check_config`), so no
  ``Lambda``, custom or subclassed class reaches Keras;
* it takes one input of shape (28, 28, 1), any batch size;
* its parameters, counted from the input shape each weighted layer declares (its
  ``build_config``, from which Keras builds it before loading any weight), are at most the
  rubric's cap. A weighted layer that declares none would be built from the shapes Keras infers
  on loading, which this count cannot bound: such a file (a model saved before it was built) is
  refused.

Pure functions of bytes; :class:`autograder.sandbox.evaluator.Refused` says why not (``kind``
names a message ``keras.file.<kind>``).
"""
from __future__ import annotations

import io
import math
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, TypeGuard

from autograder.core.messages import safe_name
from autograder.sandbox.evaluator import MAX_TEXT, MODELS, Refused, check_config, parse_config

CONFIG, METADATA, WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
MEMBERS = (CONFIG, METADATA, WEIGHTS)
MAX_METADATA = 64 << 10          # {"keras_version": ..., "date_saved": ...}: under 100 bytes
WEIGHT_BYTES = 16                # per parameter: float32 weights and up to 3 optimizer slots
WEIGHTS_OVERHEAD = 4 << 20       # HDF5's own structure around the arrays
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_CHUNK = 1 << 20
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError,
               ValueError, KeyError)

# Layers with weights: how many parameters their config and input shape give (see _params)
_CONV = {"Conv1D", "Conv2D", "Conv3D"}
_TRANSPOSED = {"Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"}
_SEPARABLE = {"SeparableConv1D", "SeparableConv2D"}
_DEPTHWISE = {"DepthwiseConv1D", "DepthwiseConv2D"}
_NORMALISATION = {"BatchNormalization", "LayerNormalization", "GroupNormalization"}
WEIGHTED = frozenset(_CONV | _TRANSPOSED | _SEPARABLE | _DEPTHWISE | _NORMALISATION | {"Dense", "PReLU"})


@dataclass(frozen=True)
class ModelFile:
    """A model file that passed every check: its configuration (``compile_config`` left out:
    the grader loads with ``compile=False``), its parameter count, and its members' sizes."""

    config: dict[str, Any]
    params: int
    sizes: dict[str, int]


def check_model_file(data: bytes, *, max_params: int, input_shape: tuple[int, ...]) -> ModelFile:
    """``data``, the bytes of a ``.keras`` file, checked as the module docstring says; raises
    :class:`Refused` with the first problem."""
    if not data:
        raise Refused("empty")
    if any(data[at:at + 8] == HDF5_SIGNATURE for at in (0, 512, 1024, 2048)):
        raise Refused("hdf5")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:          # a zip's first bytes, but no readable end: truncated or damaged
        raise Refused("damaged" if data.startswith(b"PK\x03\x04") else "not_zip") from None
    with archive:
        infos = _members(archive)
        config = parse_config(_read(archive, infos[CONFIG], MAX_TEXT))
        parse_config(_read(archive, infos[METADATA], MAX_METADATA))   # a JSON object, bounded
        architecture = {k: v for k, v in config.items() if k != "compile_config"}
        if architecture.get("class_name") not in MODELS:
            raise Refused("class", name=safe_name(str(architecture.get("class_name"))))
        check_config(architecture)
        _check_input(architecture, input_shape)
        params = count_params(architecture)
        if params > max_params:
            raise Refused("params", params=params, limit=int(max_params))
        weights = _inflated(archive, infos[WEIGHTS], WEIGHT_BYTES * params + WEIGHTS_OVERHEAD)
    return ModelFile(architecture, params, {CONFIG: infos[CONFIG].file_size, METADATA: infos[METADATA].file_size,
                                            WEIGHTS: weights})


# ---------------------------------------------------------------------------
# The zip
# ---------------------------------------------------------------------------

def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """name -> entry of Keras's three members; Refused for any other entry, a path, a copy,
    a missing member, or an entry neither stored nor deflated."""
    infos = archive.infolist()
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or \
                (len(name) > 1 and name[1] == ":"):
            raise Refused("unsafe", name=safe_name(name))
    names = [info.filename for info in infos]
    if len(infos) != len(MEMBERS) or set(names) != set(MEMBERS):
        shown = (", ".join(safe_name(n, 60) for n in names[:6])
                 + (f" and {len(names) - 6} more" if len(names) > 6 else ""))
        raise Refused("members", got=shown or "nothing", expected=", ".join(MEMBERS))
    for info in infos:
        if info.flag_bits & 0x41:
            raise Refused("encrypted", member=info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused("method", member=info.filename)
        found[info.filename] = info
    return found


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, keep: bool) -> tuple[int, bytes]:
    """(size, bytes if ``keep``) of a member, inflated through a bounded stream: Refused when it
    holds more than ``limit`` bytes (whatever its header says) or is damaged (CRC, truncation)."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise Refused("too_large", member=info.filename, limit=int(limit))
                if keep:
                    chunks.append(chunk)
    except _ZIP_ERRORS:
        raise Refused("damaged") from None
    return size, b"".join(chunks)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    return _stream(archive, info, limit, keep=True)[1]


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    return _stream(archive, info, limit, keep=False)[0]


# ---------------------------------------------------------------------------
# The configuration: input shape and parameters
# ---------------------------------------------------------------------------

def _layers(model: dict[str, Any]) -> list[dict[str, Any]]:
    layers = (model.get("config") or {}).get("layers") if isinstance(model.get("config"), dict) else None
    if not isinstance(layers, list) or not all(isinstance(layer, dict) for layer in layers):
        raise Refused("unreadable")
    return layers


def _shape_text(shape: object) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")" \
        if isinstance(shape, list) else safe_name(str(shape), 60)


def _check_input(model: dict[str, Any], input_shape: tuple[int, ...]) -> None:
    """One input, of shape (None, *input_shape): the InputLayer(s) of the top model, or, for a
    Sequential model started without keras.Input, the shape it was built on."""
    inputs = [layer for layer in _layers(model) if layer.get("class_name") == "InputLayer"]
    config = [(layer.get("config") or {}) for layer in inputs]
    shapes = [c.get("batch_shape", c.get("batch_input_shape")) if isinstance(c, dict) else None for c in config]
    if not inputs and model.get("class_name") == "Sequential":
        shapes = [(model.get("build_config") or {}).get("input_shape")]
    expected = [None, *input_shape]
    if len(shapes) != 1:
        raise Refused("inputs", count=len(shapes))
    if shapes[0] != expected:
        got = shapes[0][1:] if isinstance(shapes[0], list) and shapes[0] and shapes[0][0] is None else shapes[0]
        raise Refused("input", got=_shape_text(got), expected=_shape_text(list(input_shape)))


def count_params(model: dict[str, Any]) -> int:
    """The parameters a (checked) model configuration declares: each weighted layer's, from its
    config and its build_config's input shape; nested models counted layer by layer."""
    total = 0
    for layer in _layers(model):
        kind = layer.get("class_name")
        if kind in MODELS:
            total += count_params(layer)
        elif kind in WEIGHTED:
            build = layer.get("build_config")
            shape = build.get("input_shape") if isinstance(build, dict) else None
            if not isinstance(shape, list) or not shape or not all(d is None or _positive(d) for d in shape) \
                    or not all(_positive(d) for d in shape[1:]):
                raise Refused("unbuilt", layer=safe_name(str((layer.get("config") or {}).get("name", kind)), 60))
            total += _params(kind, layer.get("config") or {}, shape)
    return total


def _positive(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _int(config: dict[str, Any], key: str, default: int | None = None) -> int:
    value = config.get(key, default)
    if not _positive(value):
        raise Refused("unreadable")
    return value


def _kernel(config: dict[str, Any], rank: int) -> int:
    size = config.get("kernel_size")
    sizes = [size] * rank if isinstance(size, int) else size
    if not isinstance(sizes, list) or len(sizes) != rank or not all(_positive(s) for s in sizes):
        raise Refused("unreadable")
    return math.prod(sizes)


def _params(kind: str, config: dict[str, Any], shape: list[Any]) -> int:
    """Parameters of one weighted layer of kind ``kind`` (Keras 3) built on ``shape`` (batch first)."""
    channels_first = config.get("data_format") == "channels_first"
    channels: int = shape[1] if channels_first else shape[-1]      # count_params checked: positive
    bias = 1 if config.get("use_bias", True) else 0
    rank = len(shape) - 2
    if kind == "Dense":
        units = _int(config, "units")
        return channels * units + bias * units
    if kind in _CONV:
        filters, groups = _int(config, "filters"), _int(config, "groups", 1)
        return _kernel(config, rank) * (channels // groups) * filters + bias * filters
    if kind in _TRANSPOSED:
        filters = _int(config, "filters")
        return _kernel(config, rank) * channels * filters + bias * filters
    if kind in _SEPARABLE:
        filters, multiplier = _int(config, "filters"), _int(config, "depth_multiplier", 1)
        return _kernel(config, rank) * channels * multiplier + channels * multiplier * filters + bias * filters
    if kind in _DEPTHWISE:
        multiplier = _int(config, "depth_multiplier", 1)
        return _kernel(config, rank) * channels * multiplier + bias * channels * multiplier
    if kind == "PReLU":
        shared = config.get("shared_axes") or []
        shared = [shared] if isinstance(shared, int) else shared
        return math.prod(1 if axis in shared else d for axis, d in enumerate(shape) if axis > 0)
    # normalisations: a scale and an offset per feature of their axis (BatchNormalization also
    # keeps a moving mean and variance)
    axes = config.get("axis", -1)
    axes = [axes] if isinstance(axes, int) else axes
    if not isinstance(axes, list) or not axes or not all(
            isinstance(a, int) and -len(shape) <= a < len(shape) and _positive(shape[a]) for a in axes):
        raise Refused("unreadable")
    features: int = math.prod(shape[a] for a in axes)
    per_feature = (1 if config.get("center", True) else 0) + (1 if config.get("scale", True) else 0)
    return features * (per_feature + (2 if kind == "BatchNormalization" else 0))
