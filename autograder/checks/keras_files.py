"""Checks of assignment 04's trained model files: ``mnist_cnn.keras`` (the student's CNN of the
lab) and ``fashion_cnn.keras`` (the slides' simple architecture trained on Fashion-MNIST),
each scored by its accuracy on the 10,000 test images of its data set.

A model file is data, not code, and it never reaches the student process. The grader checks
its bytes without Keras first (:mod:`autograder.core.model_file`: a zip of Keras's three
members within bounds, a configuration of built-in classes only, one (28, 28, 1) input, a
parameter count under the rubric's cap); then a clean process that never ran student code
(:func:`autograder.sandbox.evaluator.predict_file`) loads it with Keras in safe mode and sends
back its outputs on the test images; their labels stay here, where the accuracy is computed
by argmax (so probabilities and logits both work). Credit is linear in the accuracy between
the rubric's two thresholds.

A file that is missing, refused or fails to load costs this check only. What no check can
tell is a model that memorised the public test set instead of learning (see
docs/threat-model.md, assignment 04).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import NoReturn

import numpy as np

from autograder.checks.base import Check, CheckFailed, Ctx
from autograder.checks.declare import Table
from autograder.core.model_file import check_model_file
from autograder.datasets import DatasetError, add_channel, load_fashion_mnist, load_mnist
from autograder.sandbox.clean_eval import clean_process
from autograder.sandbox.evaluator import Refused

MODULE = "keras_cnn"              # the student process these checks stand beside (limits, hidden folders)
table = Table(MODULE)
MNIST_FILE, FASHION_FILE = "mnist_cnn.keras", "fashion_cnn.keras"
MODEL_FILES = (MNIST_FILE, FASHION_FILE)
INPUT_SHAPE, NUM_CLASSES = (28, 28, 1), 10
LOADERS = {"mnist": load_mnist, "fashion": load_fashion_mnist}

# Why a file was not loaded: the fields of each message keras.file.<kind>, and their types
# (values from the clean process are the grader's own, but are coerced all the same).
REFUSALS: dict[str, dict[str, type]] = {
    "empty": {}, "hdf5": {}, "not_zip": {}, "damaged": {}, "unreadable": {},
    "unsafe": {"name": str}, "members": {"got": str, "expected": str}, "encrypted": {"member": str},
    "method": {"member": str}, "too_large": {"member": str, "limit": int}, "class": {"name": str},
    "data": {"count": int}, "inputs": {"count": int}, "input": {"got": str, "expected": str},
    "output": {"got": str, "expected": str}, "unbuilt": {"layer": str},
    "params": {"params": int, "limit": int},
}


def credit(accuracy: float, full: float, zero: float) -> float:
    """The fraction of the points an accuracy earns: 1 from ``full`` up, 0 at ``zero`` and
    below, linear in between."""
    return float(min(max((accuracy - zero) / (full - zero), 0.0), 1.0))


def accuracy_of(outputs: np.ndarray, labels: np.ndarray) -> float:
    """The share of rows of ``outputs`` (N, K) whose largest value is at the label (N,); a row
    with a NaN or an infinity counts as wrong."""
    finite = np.isfinite(outputs).all(axis=1)
    predicted = np.where(finite, np.argmax(np.nan_to_num(outputs), axis=1), -1)
    return float(np.mean(predicted == labels))


def _refused(ctx: Ctx, file: str, kind: str, fields: dict) -> NoReturn:
    if kind not in REFUSALS:
        kind, fields = "unreadable", {}
    try:
        values = {name: make(fields[name]) for name, make in REFUSALS[kind].items()}
    except (KeyError, TypeError, ValueError):
        kind, values = "unreadable", {}
    ctx.fail("keras.file_refused", function=file, reason=ctx.text(f"keras.file.{kind}", file=file, **values))


def held_out(ctx: Ctx, file: str, data: str) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28, 1) uint8, labels (N,) int64) of the test split of ``data``."""
    try:
        split = LOADERS[data]().test
    except DatasetError as error:
        ctx.fail("keras.file.no_data", function=file, data=ctx.text(f"keras.data.{data}"),
                 error=str(error).splitlines()[0][:300])
    return add_channel(split.images), split.labels.astype(np.int64)


def model_file(ctx: Ctx, file: str) -> None:
    """The model in ``file`` scored on its data set's test images: full points from the
    rubric's ``full`` accuracy, none at ``zero`` and below, linear in between."""
    settings = ctx.settings["model_files"]
    scale = settings[file]
    data, full, zero = str(scale["data"]), float(scale["full"]), float(scale["zero"])
    max_params, timeout = int(settings["max_params"]), float(settings["timeout_s"])
    content = ctx.files.get(file)
    if content is None:
        ctx.fail("keras.file.missing", function=file, file=file)
    try:
        check_model_file(content, max_params=max_params, input_shape=INPUT_SHAPE)
    except Refused as refused:
        _refused(ctx, file, refused.kind, refused.fields)
    x, y = held_out(ctx, file, data)
    with clean_process(ctx.sandbox) as clean:
        result = clean.call("evaluator", "predict_file", np.frombuffer(content, dtype=np.uint8), x,
                            max_params=max_params, input_shape=list(INPUT_SHAPE), num_classes=NUM_CLASSES,
                            batch_size=int(settings["batch_size"]), timeout=timeout)
    if result.kind == "timeout":
        ctx.fail("keras.file.too_slow", function=file, file=file, n=len(y), timeout=timeout)
    if result.kind != "ok" or not isinstance(result.value, dict):
        ctx.fail("keras.file.load_failed", function=file, file=file, error_type=result.error_type or result.kind,
                 message=(result.message.splitlines() or [""])[0][:300])
    if "refused" in result.value:
        _refused(ctx, file, result.value["refused"], result.value.get("fields") or {})
    outputs = result.value.get("outputs")
    if not isinstance(outputs, np.ndarray) or outputs.shape != (len(y), NUM_CLASSES) or outputs.dtype.kind != "f":
        _refused(ctx, file, "output", {"got": str(getattr(outputs, "shape", type(outputs).__name__)),
                                       "expected": str((len(y), NUM_CLASSES))})
    accuracy = accuracy_of(outputs, y)
    earned = credit(accuracy, full, zero)
    if earned < 1.0:
        raise CheckFailed(ctx.text("keras.file.accuracy", function=file, file=file, accuracy=accuracy, n=len(y),
                                   data=ctx.text(f"keras.data.{data}"), full=full, zero=zero, credit=earned),
                          credit=earned)


def checks() -> Iterator[Check]:
    # A file is not a student function: ``function`` is None (as for quiz questions) and the
    # name, "mnist_cnn.accuracy", says which file (reports group by its first part). The
    # labels are the grader's own, not the solutions'.
    yield table.check("mnist_cnn.accuracy", partial(model_file, file=MNIST_FILE),
                      "your trained CNN on the 10,000 MNIST test images", reference=False, function=None)
    yield table.check("fashion_cnn.accuracy", partial(model_file, file=FASHION_FILE),
                      "the slides' CNN trained on Fashion-MNIST, on its 10,000 test images",
                      reference=False, function=None)
