"""The clean evaluator: re-trains a student's model from its configuration alone, in a process
that never ran student code (assignment 04, ``build_model.learns``).

The grader starts a fresh sandbox whose only module is this file
(:mod:`autograder.sandbox.clean_eval`), with the student process's limits and hidden folders,
and calls :func:`retrain` there with plain values: the model's configuration as JSON
(``model.to_json()`` read in the student process, so assume it forged), the training images
and labels, and the held-out images (never their labels: the grader scores the predictions).
Only the architecture and its compile settings (optimizer, learning rate, loss) come from the
student: the model is rebuilt from Keras's built-in classes, its weights are initialised afresh
with the grader's seed, and it is trained here by Keras's own ``fit``. So a ``build_model`` that
memorised the test set (in its weights, or read from the grader's data folders) gains nothing.

A forged configuration is refused before Keras sees it (:func:`check_config`): only the
built-in classes listed below, from Keras's own modules; no ``Lambda``, custom or subclassed
classes (nothing of the student's runs, and Keras's ``safe_mode`` refuses code again); no
embedded data (long lists of numbers, ``__numpy__`` arrays in an initializer); bounded size and
depth; and a parameter count taken before any weight is allocated (:func:`count_params`), so a
config declaring a terabyte-sized layer is refused, not built. What is left (a slow but small
net, a huge activation) is bounded by the sandbox's time and memory limits.

The student's trained model files (``mnist_cnn.keras``, ``fashion_cnn.keras``) are evaluated
here too (:func:`predict_file`): the grader sends the file's bytes, already checked without
Keras (:mod:`autograder.core.model_file`), and the test images (never their labels); this
process checks the configuration again, counts its parameters before any is allocated, loads
it with ``keras.saving.load_model(..., safe_mode=True, compile=False)`` and sends back its
outputs, from which the grader computes the accuracy.

Imports only the standard library and numpy at import time (the grader imports it for
:func:`check_config`), Keras inside the functions.
"""
from __future__ import annotations

import copy
import io
import json
import os
import tempfile
import zipfile
from typing import Any

import numpy as np

MAX_TEXT = 1 << 20          # bytes of JSON: the reference's configuration is ~14 kB
MAX_NODES = 100_000         # dicts, lists and values in it
MAX_DEPTH = 48              # nesting (a functional model's configuration is ~10 deep)
MAX_STRING = 256            # characters of one string (names, activations, paddings)
MAX_NUMBERS = 16            # numbers in one list (shapes, strides, paddings): more is data

_LAYERS = {
    "InputLayer", "Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
    "DepthwiseConv1D", "DepthwiseConv2D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "Flatten",
    "Reshape", "Permute", "Dense", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
    "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Add", "Subtract", "Multiply",
    "Average", "Maximum", "Minimum", "Concatenate", "ZeroPadding1D", "ZeroPadding2D",
    "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D",
    "UpSampling3D", "Rescaling", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "RandomContrast", "RandomCrop", "RandomBrightness",
    "Identity",
}
# module -> the classes of it a configuration may name
ALLOWED = {
    "keras.layers": frozenset(_LAYERS),
    "keras": frozenset({"Sequential", "DTypePolicy"}),
    "keras.src.models.functional": frozenset({"Functional"}),
    "keras.initializers": frozenset({
        "Constant", "Zeros", "Ones", "RandomNormal", "RandomUniform", "TruncatedNormal",
        "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform",
        "Orthogonal", "Identity", "VarianceScaling"}),
    "keras.regularizers": frozenset({"L1", "L2", "L1L2", "OrthogonalRegularizer"}),
    "keras.constraints": frozenset({"MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"}),
    "keras.optimizers": frozenset({
        "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl",
        "Lion", "Lamb", "LossScaleOptimizer"}),
    "keras.optimizers.schedules": frozenset({
        "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay",
        "CosineDecay", "CosineDecayRestarts"}),
    "keras.losses": frozenset({"SparseCategoricalCrossentropy"}),
}
_SYMBOLIC = frozenset({"__keras_tensor__", "__tuple__"})      # serialisation nodes without a module
# a function (an activation or a loss passed as a function) is looked up by name among Keras's
# own symbols only, whatever module it names ("builtins" for keras.losses.* functions)
_FUNCTION_MODULES = frozenset({"builtins", "keras.activations", "keras.losses"})
MODELS = frozenset({"Sequential", "Functional"})
LOSSES = frozenset({"sparse_categorical_crossentropy"})


class Refused(Exception):
    """The configuration is not re-built: ``kind`` names why (a message key's suffix),
    ``fields`` fill the message in."""

    def __init__(self, kind: str, **fields: Any) -> None:
        super().__init__(kind, fields)
        self.kind = kind
        self.fields = fields


# ---------------------------------------------------------------------------
# Checking a configuration (pure: also run in the grader, before starting this process)
# ---------------------------------------------------------------------------

def parse_config(data: object) -> dict[str, Any]:
    """The configuration (``model.to_json()`` as UTF-8 bytes in a 1-D uint8 array, as the probe
    sends it; or as ``bytes``) as a dict, or :class:`Refused`."""
    if isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 1:
        data = data.tobytes()
    if not isinstance(data, bytes) or len(data) > MAX_TEXT:
        raise Refused("unreadable")
    try:
        config = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise Refused("unreadable") from None
    if not isinstance(config, dict):
        raise Refused("unreadable")
    return config


def _number(value):
    return value is None or isinstance(value, (bool, int, float))


def _numbers_in(items):
    """How many numbers a list holds, counting those in nested lists (not in dicts)."""
    return sum(_numbers_in(v) if isinstance(v, list) else _number(v) for v in items)


def _check_class(node):
    name, module = node.get("class_name"), node.get("module")
    registered = node.get("registered_name")
    if not isinstance(name, str) or not (module is None or isinstance(module, str)):
        raise Refused("unreadable")
    shown = f"{module}.{name}" if module else name
    if module is None:
        ok = name in _SYMBOLIC
    elif name == "function":
        function = node.get("config")
        ok = module in _FUNCTION_MODULES and isinstance(function, str) and function.isidentifier()
    else:
        ok = name in ALLOWED.get(module, ())
    if not ok or registered not in (None, name, "function"):
        raise Refused("class", name=shown[:MAX_STRING])


def check_config(config: object, part: str = "architecture") -> None:
    """Raise :class:`Refused` unless every class ``config`` names is one of Keras's built-in
    ones allowed above and it carries no data; bounded in size and depth."""
    todo: list[tuple[object, int]] = [(config, 0)]
    nodes = 0
    while todo:
        node, depth = todo.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise Refused("unreadable")
        if isinstance(node, dict):
            if "class_name" in node:
                _check_class(node)
            todo.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            count = _numbers_in(node)
            if count > MAX_NUMBERS and (all(_number(v) for v in node) or count > 4 * MAX_NUMBERS):
                raise Refused("data", count=count)
            todo.extend((v, depth + 1) for v in node)
        elif isinstance(node, str):
            if len(node) > MAX_STRING:
                raise Refused("unreadable")
        elif not _number(node):
            raise Refused("unreadable")


def split_config(config):
    """(architecture, optimizer, loss) of a compiled model's configuration, each checked."""
    if config.get("class_name") not in MODELS:
        raise Refused("class", name=str(config.get("class_name"))[:MAX_STRING])
    architecture = {k: v for k, v in config.items() if k != "compile_config"}
    check_config(architecture)
    compiled = config.get("compile_config")
    if not isinstance(compiled, dict) or compiled.get("optimizer") is None:
        raise Refused("not_compiled")
    optimizer, loss = compiled["optimizer"], compiled.get("loss")
    check_config(optimizer)
    if not isinstance(optimizer, (str, dict)):
        raise Refused("not_compiled")
    check_config(loss)
    name = loss if isinstance(loss, str) else (
        loss.get("config") if isinstance(loss, dict) and loss.get("class_name") == "function"
        else loss.get("class_name") if isinstance(loss, dict) else None)
    if name not in LOSSES and name != "SparseCategoricalCrossentropy":
        raise Refused("loss", loss=str(name)[:MAX_STRING])
    return architecture, optimizer, loss


# ---------------------------------------------------------------------------
# Re-training (in the clean process)
# ---------------------------------------------------------------------------

def _keras():
    import keras  # noqa: PLC0415 - only in the clean process
    return keras


def _deserialize(keras, config):
    """A Keras object from a (checked) configuration, in safe mode, from a copy (Keras's
    from_config consumes what it is given)."""
    return keras.saving.deserialize_keras_object(copy.deepcopy(config), safe_mode=True)


def count_params(keras, architecture):
    """The parameters of the model ``architecture`` describes, counted from the shapes of its
    variables before any is allocated (Keras defers initialisation in a stateless scope)."""
    try:
        from keras.src.backend.common import global_state  # noqa: PLC0415
    except ImportError:                  # another Keras: the memory limit still bounds the build
        return None
    try:
        with keras.StatelessScope(initialize_variables=False):
            model = _deserialize(keras, architecture)
            return int(model.count_params())
    finally:
        global_state.set_global_attribute("uninitialized_variables", [])


def _shape(shape):
    try:
        return [None if d is None else int(d) for d in shape]
    except (TypeError, ValueError):
        return None


def retrain(config, x, y, x_test, *, epochs, batch_size, seed, max_params, input_shape,
            num_classes, batch_predict=256):
    """Rebuild the model ``config`` (see :func:`parse_config`) describes with fresh weights (seed ``seed``), compile
    it with its own optimizer and loss, fit it on ``x`` (N, H, W, C), ``y`` (N,) for ``epochs``
    in batches of ``batch_size``, and predict ``x_test`` (M, H, W, C).

    Returns ``{"probs": (M, num_classes) float64, "params": int}``, or ``{"refused": kind,
    "fields": {...}}`` when the configuration is not re-built.
    """
    try:
        architecture, optimizer, loss = split_config(parse_config(config))
        keras = _keras()
        keras.utils.set_random_seed(int(seed))
        params = count_params(keras, architecture)
        if params is not None and params > max_params:
            raise Refused("params", params=params, limit=int(max_params))
        model = _deserialize(keras, architecture)
        if not isinstance(model, keras.Model):
            raise Refused("class", name=type(model).__name__)
        want_in, want_out = [None, *input_shape], [None, int(num_classes)]
        got_in, got_out = _shape(model.input_shape), _shape(model.output_shape)
        if got_in != want_in or got_out != want_out:
            raise Refused("shape", got=f"{got_in} -> {got_out}", expected=f"{want_in} -> {want_out}")
    except Refused as refused:
        return {"refused": refused.kind, "fields": refused.fields}
    optimizer = keras.optimizers.get(optimizer) if isinstance(optimizer, str) else _deserialize(keras, optimizer)
    model.compile(optimizer=optimizer, loss=loss if isinstance(loss, str) else _deserialize(keras, loss))
    model.fit(np.asarray(x, dtype="float32"), np.asarray(y), epochs=int(epochs),
              batch_size=int(batch_size), shuffle=True, verbose=0)
    probs = model.predict(np.asarray(x_test, dtype="float32"), batch_size=batch_predict, verbose=0)
    return {"probs": np.asarray(probs, dtype=np.float64), "params": int(model.count_params())}


# ---------------------------------------------------------------------------
# A trained model file (in the clean process)
# ---------------------------------------------------------------------------

def _config_member(data):
    """The configuration in a ``.keras`` file's ``config.json`` (read through a bounded stream),
    without its ``compile_config`` (the file is loaded with ``compile=False``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("config.json") as stream:
            text = stream.read(MAX_TEXT + 1)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        raise Refused("unreadable") from None
    config = parse_config(text)
    return {k: v for k, v in config.items() if k != "compile_config"}


def _load_model(data):
    """``keras.saving.load_model(..., safe_mode=True, compile=False)`` of a ``.keras`` file's
    bytes, read from memory: the sandbox caps the size of files a process writes (its output
    limit), below the size of a trained model. Keras's loader of the zip format takes a file
    object; with another Keras, the file goes through the sandbox's private /tmp."""
    try:
        from keras.src.saving import saving_lib  # noqa: PLC0415
    except ImportError:
        folder = tempfile.mkdtemp(prefix="model-")
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        return _keras().saving.load_model(path, safe_mode=True, compile=False)
    return saving_lib.load_model(io.BytesIO(data), safe_mode=True, compile=False)


def predict_file(data, x, *, max_params, input_shape, num_classes, batch_size=500):
    """The outputs of the model saved in ``data`` (a ``.keras`` file's bytes, as a 1-D uint8
    array) on the images ``x`` (N, H, W, C) uint8, scaled to float32 in [0, 1] as the course's
    models take them, predicted ``batch_size`` images at a time.

    The configuration is checked again (:func:`check_config`) and its parameters counted
    before allocating any (:func:`count_params`), then the file is loaded by Keras in safe mode
    without compiling it; its input must be (None, *input_shape), its output (None, num_classes).

    Returns ``{"outputs": (N, num_classes) float32, "params": int}``, or ``{"refused": kind,
    "fields": {...}}``.
    """
    try:
        data = data.tobytes() if isinstance(data, np.ndarray) else bytes(data)
        architecture = _config_member(data)
        if architecture.get("class_name") not in MODELS:
            raise Refused("class", name=str(architecture.get("class_name"))[:MAX_STRING])
        check_config(architecture)
        keras = _keras()
        params = count_params(keras, architecture)
        if params is not None and params > max_params:
            raise Refused("params", params=params, limit=int(max_params))
        model = _load_model(data)
        want_in, want_out = [None, *input_shape], [None, int(num_classes)]
        got_in, got_out = _shape(model.input_shape), _shape(model.output_shape)
        if got_in != want_in:
            raise Refused("input", got=str(got_in), expected=str(want_in))
        if got_out != want_out:
            raise Refused("output", got=str(got_out), expected=str(want_out))
    except Refused as refused:
        return {"refused": refused.kind, "fields": refused.fields}
    outputs = []
    for start in range(0, len(x), int(batch_size)):
        batch = np.asarray(x[start:start + int(batch_size)], dtype="float32") / np.float32(255)
        outputs.append(np.asarray(model.predict_on_batch(batch), dtype=np.float32))
    return {"outputs": np.concatenate(outputs) if outputs else np.zeros((0, int(num_classes)), np.float32),
            "params": int(model.count_params())}
