"""Checks of assignment 04 (``keras_cnn.py``): LeNet-5, the student's own CNN, training, and
transfer learning, in Keras.

Every Keras object the student builds stays in the student process. The checks ask the
grader's probes (:mod:`autograder.sandbox.probes`) for plain values there (a layer table,
predictions, weights, a training history, a model's configuration) and judge them here against
values computed in the grader: LeNet-5's table from the shape arithmetic of docs/contract.md §6, features and
probabilities with numpy from weights the grader chose. So no check needs the solutions or
TensorFlow in the grader, and no check trusts a number the student's code reports about itself
when it can be recomputed.

Learning is scored where the student process cannot reach: the held-out MNIST test images
never enter it (nor are they readable there: the runner hides the data folders). ``train`` is
judged by its effect on the weights of the model it trained (read back, evaluated here in
numpy), and ``build_model.learns`` re-trains a fresh copy of the architecture, rebuilt from its
configuration in a clean process that never ran student code (:mod:`autograder.sandbox.evaluator`).

Functions that take a model (``train``, ``build_transfer_model``, ``unfreeze_top``,
``extract_features``) get one built by the probe, not by the student's ``build_*``, so that a
bug in one function costs that function's points only.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial
from typing import Any, NoReturn

import numpy as np

from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table
from autograder.checks.keras_expected import (
    Spec,
    activate,
    cross_entropy,
    fashion_table,
    layers_text,
    lenet5_table,
    mark_images,
    numpy_forward,
    random_weights,
    updates_counted,
)
from autograder.core.compare import check_array
from autograder.datasets import add_channel, load_mnist, to_float
from autograder.sandbox import Ref, evaluator
from autograder.sandbox.clean_eval import clean_process

MODULE = "keras_cnn"
table = Table(MODULE)
DEFAULT_INPUT, DEFAULT_CLASSES = (28, 28, 1), 10
HE_NORMAL = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}
# Keyed by any value: the layer type a probe sends back may be anything decoded from the child.
ACTIVATION_LAYERS: dict[object, str] = {"ReLU": "relu", "Softmax": "softmax"}
SKIPPED_LAYERS = ("InputLayer",)


# Images the student process may see: training images only. The test split is held out for
# the accuracies computed in the grader and in the clean process.
PROPERTY_IMAGES = 59_000   # offset of the 64 training images the compile checks evaluate on


def mnist_subset(split: str, n: int, offset: int = 0):
    """(x (n, 28, 28, 1) float32 in [0, 1], y (n,) int64) from the vendored MNIST."""
    data = getattr(load_mnist(), split)
    return (add_channel(to_float(data.images[offset:offset + n])),
            data.labels[offset:offset + n].astype(np.int64))


# ---------------------------------------------------------------------------
# Talking to the student process
# ---------------------------------------------------------------------------

def _probe(ctx: Ctx, name: str, *args, what: str, case: Case, store: str | None = None,
           timeout: float | None = None, raised: str | None = None, too_slow: str | None = None,
           **kwargs):
    """Run a probe in the child; a failure there (the student's model raised) fails the check,
    with the message ``raised`` (default: which probe raised) or, on a time-out, ``too_slow``."""
    timeout = timeout or ctx.timeout
    result = ctx.sandbox.probe(name, *args, store=store, timeout=timeout, **kwargs)
    if result.kind == "timeout" and too_slow:
        ctx.fail(too_slow, function=what, case=case.label, timeout=timeout)
    if result.kind == "exception":
        ctx.fail(raised or "keras.probe_failed", function=what, case=case.label,
                 action=ctx.text(f"keras.action.{name}"), error_type=result.error_type, message=result.message)
    ctx.raise_for(result, what, case)
    return result.value


def built_model(ctx: Ctx, function: str, case: Case, *args, input_shape=DEFAULT_INPUT, **kwargs):
    """Call a student ``build_*``; keep the model in the child; return (key, its table)."""
    key = ctx.new_key()
    ctx.call(function, case, args, kwargs, store=key, select=())
    return key, model_table(ctx, key, function, case, input_shape=input_shape)


def model_table(ctx: Ctx, key: str, function: str, case: Case, *, input_shape=None) -> dict:
    table = _probe(ctx, "model_table", Ref(key), input_shape, what=function, case=case)
    if not isinstance(table, dict) or not table.get("is_model"):
        got = table.get("type") if isinstance(table, dict) else type(table).__name__
        ctx.fail("keras.not_model", function=function, case=case.label, got=got)
    return table


def normalised_rows(table: dict) -> list[dict]:
    """The model's layers without input layers, separate activation layers merged into the
    layer they follow (Conv2D then ReLU is Conv2D with relu)."""
    rows: list[dict] = []
    for row in table.get("layers", []):
        kind = row.get("type")
        if kind in SKIPPED_LAYERS:
            continue
        activation = ACTIVATION_LAYERS.get(kind) or (row.get("activation") if kind == "Activation" else None)
        if activation and rows and rows[-1].get("activation") in (None, "linear"):
            rows[-1] = {**rows[-1], "activation": activation, "output_shape": row.get("output_shape")}
            continue
        rows.append(row)
    return rows


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")" \
        if isinstance(shape, (list, tuple)) else str(shape)


def _describe(row: dict) -> str:
    parts = [str(row.get("type"))]
    if row.get("activation") not in (None, "linear"):
        parts.append(str(row["activation"]))
    if "rate" in row:
        parts.append(f"rate {row['rate']:g}")
    return " ".join(parts)


def compare_table(ctx: Ctx, function: str, case: Case, table: dict, expected: list[dict]) -> None:
    """The first layer that differs from ``expected`` in type, output shape, parameters,
    activation or dropout rate."""
    rows = normalised_rows(table)
    if len(rows) != len(expected) or any(r.get("type") != e["type"] for r, e in zip(rows, expected)):
        ctx.fail("keras.layers", function=function, case=case.label, count=len(rows),
                 got=" -> ".join(_describe(r) for r in rows) or "no layers", expected_count=len(expected),
                 expected=" -> ".join(_describe(e) for e in expected))
    for index, (row, exp) in enumerate(zip(rows, expected)):
        got_shape = row.get("output_shape")
        got_shape = got_shape[1:] if isinstance(got_shape, list) else got_shape
        checks = [("output_shape", _shape_text(got_shape), _shape_text(exp["output_shape"])),
                  ("params", row.get("params"), exp["params"])]
        if "activation" in exp:
            checks.append(("activation", row.get("activation") or "linear", exp["activation"]))
        if "rate" in exp:
            checks.append(("rate", row.get("rate"), exp["rate"]))
        for aspect, got, want in checks:
            what = ctx.text(f"keras.what.{aspect}")
            if got != want and not (isinstance(got, float) and isinstance(want, float) and abs(got - want) < 1e-9):
                ctx.fail("keras.layer", function=function, case=case.label, index=index,
                         layer=_describe(exp), what=what, got=got, expected=want)


def compiled_for_integer_labels(ctx: Ctx, *, key: str, function: str, case: Case, table: dict,
                                x: np.ndarray, y: np.ndarray, exact_loss: bool) -> None:
    """Compiled, with a cross-entropy on integer labels and an accuracy metric: evaluated in
    the child, then compared with the loss and accuracy of the predictions, recomputed here."""
    if not table.get("compiled"):
        ctx.fail("keras.not_compiled", function=function, case=case.label)
    probs = _probe(ctx, "predict", Ref(key), x, what=function, case=case)
    # a raise here is most often categorical_crossentropy, which wants one-hot labels
    scores = _probe(ctx, "evaluate", Ref(key), x, y, what=function, case=case, raised="keras.integer_labels")
    if not isinstance(scores, dict):
        ctx.fail("keras.no_metrics", function=function, case=case.label, got="nothing")
    accuracy = next((v for k, v in scores.items() if "acc" in str(k)), None)
    if accuracy is None:
        ctx.fail("keras.no_metrics", function=function, case=case.label, got=", ".join(map(str, scores)) or "none")
    loss = scores.get("loss")
    expected_loss = float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-7, 1))))
    expected_accuracy = float(np.mean(probs.argmax(axis=1) == y))
    if not isinstance(loss, float) or not np.isfinite(loss) or \
            (exact_loss and abs(loss - expected_loss) > 1e-3 * max(1.0, expected_loss)) or \
            (not exact_loss and loss < expected_loss * (1 - 1e-3) - 1e-4):
        ctx.fail("keras.loss", function=function, case=case.label, got=loss, expected=expected_loss)
    if abs(float(accuracy) - expected_accuracy) > 1e-6 + 1.0 / len(y) / 2:
        ctx.fail("keras.accuracy_metric", function=function, case=case.label, got=float(accuracy),
                 expected=expected_accuracy)


# ---------------------------------------------------------------------------
# build_lenet5
# ---------------------------------------------------------------------------

def lenet_layers(ctx: Ctx, *, input_shape=DEFAULT_INPUT, num_classes=DEFAULT_CLASSES, function="build_lenet5",
                 expected_table=lenet5_table) -> None:
    """``function``'s model has the layers of ``expected_table(input_shape, num_classes)``."""
    default = input_shape == DEFAULT_INPUT and num_classes == DEFAULT_CLASSES
    case = Case({}, "" if default else f"input_shape={input_shape}, num_classes={num_classes}")
    args = () if default else (input_shape, num_classes)
    key, table = built_model(ctx, function, case, *args, input_shape=input_shape)
    if table.get("input_shape") not in (None, [None, *input_shape]):
        ctx.fail("keras.input_shape", function=function, case=case.label,
                 got=_shape_text(table["input_shape"][1:]), expected=_shape_text(input_shape))
    compare_table(ctx, function, case, table, expected_table(input_shape, num_classes))


def lenet_initializers(ctx: Ctx) -> None:
    case = Case({}, "")
    _, table = built_model(ctx, "build_lenet5", case)
    for index, row in enumerate(normalised_rows(table)):
        if row.get("type") not in ("Conv2D", "Dense"):
            continue
        name, config = row.get("kernel_initializer"), row.get("initializer_config") or {}
        he = name == "he_normal" or (name == "variance_scaling" and all(
            config.get(k) == v for k, v in HE_NORMAL.items()))
        if not he:
            ctx.fail("keras.initializer", function="build_lenet5", case=case.label, index=index,
                     layer=row.get("type"), got=name)


def lenet_compiled(ctx: Ctx) -> None:
    case = Case({}, "")
    key, table = built_model(ctx, "build_lenet5", case)
    x, y = mnist_subset("train", 64, PROPERTY_IMAGES)
    compiled_for_integer_labels(ctx, key=key, function="build_lenet5", case=case, table=table, x=x, y=y,
                                exact_loss=True)


# ---------------------------------------------------------------------------
# build_model
# ---------------------------------------------------------------------------

def own_contract(ctx: Ctx, *, input_shape=DEFAULT_INPUT, num_classes=DEFAULT_CLASSES) -> None:
    """A compiled CNN: the input shape asked for, num_classes probabilities out."""
    default = input_shape == DEFAULT_INPUT and num_classes == DEFAULT_CLASSES
    case = Case({}, "" if default else f"input_shape={input_shape}, num_classes={num_classes}")
    args = () if default else (input_shape, num_classes)
    key, table = built_model(ctx, "build_model", case, *args, input_shape=input_shape)
    rows = normalised_rows(table)
    if not any(r.get("type") in ("Conv2D", "SeparableConv2D", "DepthwiseConv2D") for r in rows):
        ctx.fail("keras.no_conv", function="build_model", case=case.label)
    if table.get("input_shape") not in (None, [None, *input_shape]):
        ctx.fail("keras.input_shape", function="build_model", case=case.label,
                 got=_shape_text((table.get("input_shape") or [None])[1:]), expected=_shape_text(input_shape))
    if table.get("output_shape") != [None, num_classes]:
        ctx.fail("keras.output_shape", function="build_model", case=case.label,
                 got=_shape_text((table.get("output_shape") or [None])[1:]), expected=_shape_text([num_classes]))
    if default:
        x, y = mnist_subset("train", 64, PROPERTY_IMAGES)
    else:
        x = ctx.rng.random((32, *input_shape), dtype=np.float32)
        y = ctx.rng.integers(0, num_classes, 32)
    probs = _probe(ctx, "predict", Ref(key), x, what="build_model", case=case)
    sums = probs.sum(axis=1) if isinstance(probs, np.ndarray) and probs.ndim == 2 else None
    if sums is None or not np.all(np.abs(sums - 1) < 1e-3) or probs.min() < -1e-6:
        row = int(np.argmax(np.abs(sums - 1))) if sums is not None else 0
        ctx.fail("keras.not_probabilities", function="build_model", case=case.label, n=len(x), row=row,
                 got=float(sums[row]) if sums is not None else float("nan"))
    compiled_for_integer_labels(ctx, key=key, function="build_model", case=case, table=table, x=x, y=y,
                                exact_loss=False)


def own_budget(ctx: Ctx) -> None:
    budget = int(ctx.settings["keras"]["parameter_budget"])
    case = Case({}, "")
    _, table = built_model(ctx, "build_model", case)
    if not table.get("params", 0) <= budget:
        ctx.fail("keras.budget", function="build_model", case=case.label, got=table.get("params"), budget=budget)


def own_learns(ctx: Ctx) -> None:
    """The bounded re-training: a fresh copy of the student's net, rebuilt from its
    configuration in a clean process (never the student's weights, never the student's
    process), trained there by Keras's own ``fit`` with a fixed seed on an MNIST subset,
    reaches the rubric's accuracy on test images only the clean process and the grader see."""
    settings = ctx.settings["keras"]
    n, epochs, batch = int(settings["learn_images"]), int(settings["learn_epochs"]), int(settings["learn_batch_size"])
    threshold, timeout = float(settings["learn_threshold"]), float(settings["learn_timeout_s"])
    case = Case({}, f"fit(x {(n, *DEFAULT_INPUT)}, epochs={epochs}, batch_size={batch})")
    key, _ = built_model(ctx, "build_model", case)
    config = _probe(ctx, "model_config", Ref(key), list(DEFAULT_INPUT), what="build_model", case=case,
                    raised="keras.no_config")
    try:                        # refuse a forged configuration before starting TensorFlow for it
        evaluator.split_config(evaluator.parse_config(config))
    except evaluator.Refused as refused:
        _refused(ctx, case, refused.kind, refused.fields)
    x, y = mnist_subset("train", n)
    x_test, y_test = mnist_subset("test", int(settings["test_images"]))
    with clean_process(ctx.sandbox) as clean:
        result = clean.call("evaluator", "retrain", config, x, y, x_test, epochs=epochs, batch_size=batch,
                            seed=int(settings["seed"]), max_params=int(settings["learn_max_params"]),
                            input_shape=list(DEFAULT_INPUT), num_classes=DEFAULT_CLASSES, timeout=timeout)
    if result.kind == "timeout":
        ctx.fail("keras.too_slow", function="build_model", case=case.label, timeout=timeout)
    if result.kind != "ok" or not isinstance(result.value, dict):
        ctx.fail("keras.rebuild_failed", function="build_model", case=case.label,
                 error_type=result.error_type or result.kind, message=(result.message.splitlines() or [""])[0][:300])
    if "refused" in result.value:
        _refused(ctx, case, result.value["refused"], result.value.get("fields") or {})
    probs = result.value.get("probs")
    if not isinstance(probs, np.ndarray) or probs.shape != (len(y_test), DEFAULT_CLASSES):
        ctx.fail("keras.rebuild_failed", function="build_model", case=case.label, error_type="ValueError",
                 message=f"predictions of shape {getattr(probs, 'shape', None)}")
    accuracy = float(np.mean(probs.argmax(axis=1) == y_test))
    if not accuracy >= threshold:
        ctx.fail("keras.not_learning", function="build_model", case=case.label, accuracy=accuracy,
                 threshold=threshold, n=len(y_test))


REFUSAL_FIELDS: dict[str, dict[str, type]] = {
    "unreadable": {}, "not_compiled": {}, "class": {"name": str}, "data": {"count": int},
    "params": {"params": int, "limit": int}, "shape": {"got": str, "expected": str}, "loss": {"loss": str},
}


def _refused(ctx: Ctx, case: Case, kind, fields: dict) -> NoReturn:
    """Fail ``build_model.learns``: the configuration was not rebuilt, for reason ``kind``."""
    if kind not in REFUSAL_FIELDS:
        kind, fields = "unreadable", {}
    try:
        values = {name: make(fields[name]) for name, make in REFUSAL_FIELDS[kind].items()}
    except (KeyError, TypeError, ValueError):
        kind, values = "unreadable", {}
    ctx.fail("keras.rebuild_refused", function="build_model", case=case.label,
             reason=ctx.text(f"keras.rebuild.{kind}", **values))


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------

SMALL_CNN: Spec = [["conv", 8, 3, "relu"], ["pool", 2], ["flatten"], ["dense", 10, "softmax"]]
# The training-effect model (keras_expected.mark_images): its BatchNormalization's moving
# statistics record how many batches fit ran and on which images.
EFFECT_MODEL: Spec = [["flatten"], ["bn", 0.9], ["dense", 10, "softmax"]]
EFFECT_MOMENTUM = 0.9


def _probe_model(ctx: Ctx, *, spec, input_shape, function: str, case: Case, weights=None, trainable=None,
                 learning_rate=1e-3) -> str:
    """Build the test model ``spec`` (see keras_expected) in the child, with ``weights`` and
    ``trainable`` flags when given, compiled at ``learning_rate``; return its key there."""
    key = ctx.new_key()
    _probe(ctx, "make_model", spec, list(input_shape), weights, trainable, learning_rate,
           what=function, case=case, store=key)
    return key


def _same_shapes(got, like) -> bool:
    """``got`` is a list of lists of float arrays shaped as ``like``'s (weights per layer)."""
    return isinstance(got, list) and len(got) == len(like) and all(
        isinstance(g, list) and len(g) == len(w) and all(
            isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.shape == b.shape for a, b in zip(g, w))
        for g, w in zip(got, like))


def train_history(ctx: Ctx, *, n=200, epochs=2, batch_size=32, validation_split=None) -> None:
    """``train`` fits the model it is given with the epochs, batch size and validation split it
    is given, and returns fit's History. Judged by the effect on the weights of the model the
    History belongs to: how many batches were trained and on which images (read from the
    BatchNormalization statistics of EFFECT_MODEL); the History's own numbers count only where
    they agree with that model's loss and accuracy on the images it did not train on."""
    split = 0.1 if validation_split is None else validation_split
    label = f"model, x {(n, *DEFAULT_INPUT)}, y ({n},), epochs={epochs}, batch_size={batch_size}" + \
        (f", validation_split={validation_split}" if validation_split is not None else "")
    case = Case({}, label)
    x, y = mnist_subset("train", n)
    x, markers, counters = mark_images(x)
    initial = random_weights(ctx.rng, EFFECT_MODEL, DEFAULT_INPUT)
    _probe(ctx, "set_seed", 0, what="train", case=case)
    key = _probe_model(ctx, spec=EFFECT_MODEL, input_shape=DEFAULT_INPUT, function="train", case=case,
                       weights=initial)
    kwargs = {"epochs": epochs, "batch_size": batch_size}
    if validation_split is not None:
        kwargs["validation_split"] = validation_split
    history_key = ctx.new_key()
    ctx.call("train", case, (Ref(key), x, y), kwargs, store=history_key, select=())
    history = _probe(ctx, "history", Ref(history_key), what="train", case=case)
    if not isinstance(history, dict) or not history.get("is_history"):
        ctx.fail("keras.not_history", function="train", case=case.label,
                 got=history.get("type") if isinstance(history, dict) else type(history).__name__)
    reported = history.get("history")
    metrics: dict[str, Any] = reported if isinstance(reported, dict) else {}
    wanted = ["loss", "accuracy", "val_loss", "val_accuracy"]
    missing = [k for k in wanted if k not in metrics or not isinstance(metrics[k], list)]
    if missing:
        ctx.fail("keras.history_keys", function="train", case=case.label,
                 got=", ".join(sorted(metrics)) or "nothing", missing=", ".join(missing))
    if history.get("epochs") != epochs or any(len(metrics[k]) != epochs for k in wanted):
        ctx.fail("keras.epochs", function="train", case=case.label, got=len(metrics["loss"]), expected=epochs)
    # What fit did, read from the weights of the model the History belongs to
    weights = history.get("weights")
    if weights is None:
        ctx.fail("keras.history_no_model", function="train", case=case.label)
    if not _same_shapes(weights, initial):
        ctx.fail("keras.history_weights", function="train", case=case.label)
    gamma, beta, mean, variance = weights[1]
    updates = updates_counted(variance[counters], EFFECT_MOMENTUM)
    if updates is None or abs(updates - round(updates)) > 1e-3 or round(updates) == 0:
        ctx.fail("keras.history_weights", function="train", case=case.label)
    updates = round(updates)
    n_train = math.floor(n * (1 - split))   # Keras trains on the first floor(n (1 - split))
    steps = math.ceil(n_train / batch_size)
    trained = mean[markers] != 0
    if abs(int(trained.sum()) - n_train) > 1:    # one either way: a split rounded otherwise
        ctx.fail("keras.trained_images", function="train", case=case.label, got=int(trained.sum()), n=n,
                 expected=n_train, split=split)
    if updates != epochs * steps:
        if updates % steps == 0:
            ctx.fail("keras.epochs", function="train", case=case.label, got=updates // steps, expected=epochs)
        if updates % epochs == 0:
            ctx.fail("keras.steps", function="train", case=case.label, got=updates // epochs, expected=steps,
                     n=n_train, batch_size=batch_size, split=split)
        ctx.fail("keras.updates", function="train", case=case.label, got=updates, expected=epochs * steps,
                 epochs=epochs, steps=steps)
    # The History's last validation scores are those of this model on the images it did not train on
    held_out = np.flatnonzero(~trained)
    probs = numpy_forward(EFFECT_MODEL, weights, x[held_out])
    for what, expected, tolerance in (
            ("val_loss", cross_entropy(probs, y[held_out]), None),
            ("val_accuracy", float(np.mean(probs.argmax(axis=1) == y[held_out])), 1.5 / max(len(held_out), 1))):
        got = metrics[what][-1]
        tolerance = tolerance if tolerance is not None else 1e-3 * max(1.0, abs(expected)) + 1e-4
        if not isinstance(got, float) or not abs(got - expected) <= tolerance:
            ctx.fail("keras.history_mismatch", function="train", case=case.label, what=what,
                     got=float(got) if isinstance(got, (int, float)) else float("nan"), expected=expected)


def train_learns(ctx: Ctx) -> None:
    """A small CNN, with weights the grader chose, trained by the student's ``train``: its
    weights, read back and run here in numpy, reach the rubric's accuracy on 1000 test digits
    that never enter the student process."""
    case = Case({}, f"model, x {(2000, *DEFAULT_INPUT)}, y (2000,), epochs=2, batch_size=32")
    x, y = mnist_subset("train", 2000)
    x_test, y_test = mnist_subset("test", 1000)
    initial = random_weights(ctx.rng, SMALL_CNN, DEFAULT_INPUT)
    _probe(ctx, "set_seed", 0, what="train", case=case)
    key = _probe_model(ctx, spec=SMALL_CNN, input_shape=DEFAULT_INPUT, function="train", case=case,
                       weights=initial)
    ctx.call("train", case, (Ref(key), x, y), {"epochs": 2, "batch_size": 32}, store=ctx.new_key(), select=())
    trained = _probe(ctx, "layer_weights", Ref(key), what="train", case=case)
    accuracy = 0.0
    if _same_shapes(trained, initial):
        probs = numpy_forward(SMALL_CNN, trained, x_test)
        accuracy = float(np.mean(probs.argmax(axis=1) == y_test))
    threshold = float(ctx.settings["keras"]["train_threshold"])
    if not accuracy >= threshold:
        ctx.fail("keras.not_learning", function="train", case=case.label, accuracy=accuracy,
                 threshold=threshold, n=len(y_test))


# ---------------------------------------------------------------------------
# build_transfer_model, unfreeze_top, extract_features
# ---------------------------------------------------------------------------

BASE: Spec = [["conv", 4, 3, "relu"], ["pool", 2], ["flatten"], ["dense", 16, "relu"], ["dense", 10, "softmax"]]
BASE_INPUT = (12, 12, 1)
FEATURE_ENDS = ("Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D")


def _feature_end(rows: list[dict]) -> int | None:
    """The index of the first Flatten (or global pooling) row: the feature part ends there."""
    return next((i for i, r in enumerate(rows) if r.get("type") in FEATURE_ENDS), None)


def _classifier_forward(ctx: Ctx, *, rows: list[dict], weights, features: np.ndarray, function: str,
                        case: Case) -> np.ndarray:
    """The student's classifier (the layers after the feature part) applied, in numpy, to
    ``features``: Dense layers with their own weights and activations, Dropout as identity."""
    out = features
    for row, layer_weights in zip(rows, weights):
        if row.get("type") == "Dense" and len(layer_weights) == 2 and layer_weights[0].shape[0] == out.shape[1]:
            out = activate(out @ layer_weights[0] + layer_weights[1], row.get("activation"))
        elif row.get("type") in ("Dropout", "Activation", "ReLU", "Softmax") and not layer_weights:
            out = activate(out, row.get("activation") or ACTIVATION_LAYERS.get(row.get("type")))
        else:
            ctx.fail("keras.transfer_features", function=function, case=case.label)
    return out


def transfer(ctx: Ctx, *, freeze: bool | None = True, num_classes: int = 3) -> None:
    """The new model computes base's features (its layers up to Flatten, with their trained
    weights), then a new classifier ending in a num_classes softmax; with freeze, only the
    classifier's weights are trainable."""
    label = f"base={layers_text(BASE)}, num_classes={num_classes}" + ("" if freeze is None else f", freeze={freeze}")
    case = Case({}, label)
    weights = random_weights(ctx.rng, BASE, BASE_INPUT)
    base = _probe_model(ctx, spec=BASE, input_shape=BASE_INPUT, function="build_transfer_model", case=case,
                        weights=weights)
    key = ctx.new_key()
    kwargs = {} if freeze is None else {"freeze": freeze}
    ctx.call("build_transfer_model", case, (Ref(base), num_classes), kwargs, store=key, select=())
    table = model_table(ctx, key, "build_transfer_model", case, input_shape=BASE_INPUT)
    if table.get("output_shape") != [None, num_classes]:
        ctx.fail("keras.output_shape", function="build_transfer_model", case=case.label,
                 got=_shape_text((table.get("output_shape") or [None])[1:]), expected=_shape_text([num_classes]))
    rows = [r for r in table["layers"] if r.get("type") not in SKIPPED_LAYERS]
    head = normalised_rows(table)[-1]
    if head.get("type") != "Dense" or head.get("activation") != "softmax":
        ctx.fail("keras.head", function="build_transfer_model", case=case.label, got=_describe(head))
    if not table.get("compiled"):
        ctx.fail("keras.not_compiled", function="build_transfer_model", case=case.label)
    student_weights = _probe(ctx, "layer_weights", Ref(key), what="build_transfer_model", case=case)
    student_weights = [w for r, w in zip(table["layers"], student_weights) if r.get("type") not in SKIPPED_LAYERS]
    end = _feature_end(rows)
    reused = [w for w in student_weights[:end] if w] if end is not None else []
    base_features = [w for w in weights[:3] if w]
    if end is None or len(reused) != len(base_features) or not all(
            len(a) == len(b) and all(np.shape(u) == np.shape(v) and np.allclose(u, v, rtol=1e-6, atol=1e-7)
                                     for u, v in zip(a, b)) for a, b in zip(reused, base_features)):
        ctx.fail("keras.transfer_reuse", function="build_transfer_model", case=case.label)
    x = ctx.rng.random((16, *BASE_INPUT), dtype=np.float32)
    probs = _probe(ctx, "predict", Ref(key), x, what="build_transfer_model", case=case)
    features = numpy_forward(BASE, weights, x, upto=3)
    expected_probs = _classifier_forward(ctx, rows=rows[end + 1:], weights=student_weights[end + 1:],
                                         features=features, function="build_transfer_model", case=case)
    if check_array(probs, expected_probs, ctx.tol(np.float32), "the probabilities") is not None:
        ctx.fail("keras.transfer_features", function="build_transfer_model", case=case.label)
    classifier_params = sum(np.size(w) for layer in student_weights[end + 1:] for w in layer)
    feature_params = sum(np.size(w) for layer in base_features for w in layer)
    expected = classifier_params if freeze in (True, None) else classifier_params + feature_params
    if table.get("trainable_params") != expected:
        ctx.fail("keras.trainable_params" if freeze in (True, None) else "keras.trainable_params_unfrozen",
                 function="build_transfer_model", case=case.label, got=table.get("trainable_params"),
                 expected=expected)


FINE_TUNE: Spec = [["conv", 4, 3, "relu"], ["conv", 4, 3, "relu"], ["pool", 2], ["conv", 6, 3, "relu"],
                   ["flatten"], ["dense", 16, "relu"], ["dropout", 0.5], ["dense", 3, "softmax"]]
FINE_TUNE_INPUT = (14, 14, 1)


def unfreeze(ctx: Ctx, *, cases=((1, None),)) -> None:
    """The top n convolutions of the feature part trainable, the lower ones frozen, the
    classifier trainable; recompiled at the learning rate given (1e-4 by default)."""
    flatten = next(i for i, (kind, *_) in enumerate(FINE_TUNE) if kind == "flatten")
    convs = [i for i, (kind, *_) in enumerate(FINE_TUNE) if kind == "conv"]
    dense = [i for i, (kind, *_) in enumerate(FINE_TUNE) if kind == "dense"]
    trainable = [i > flatten for i in range(len(FINE_TUNE))]
    for n_layers, learning_rate in cases:
        case = Case({}, f"model={layers_text(FINE_TUNE, trainable)}, n_layers={n_layers}"
                    + (f", learning_rate={learning_rate:g}" if learning_rate is not None else ""))
        key = _probe_model(ctx, spec=FINE_TUNE, input_shape=FINE_TUNE_INPUT, function="unfreeze_top", case=case,
                           trainable=trainable, learning_rate=1e-3)
        kwargs = {} if learning_rate is None else {"learning_rate": learning_rate}
        ctx.call("unfreeze_top", case, (Ref(key), n_layers), kwargs, store=ctx.new_key(), select=())
        table = model_table(ctx, key, "unfreeze_top", case, input_shape=FINE_TUNE_INPUT)
        rows = [r for r in table["layers"] if r.get("type") not in SKIPPED_LAYERS]
        for position, index in enumerate(convs + dense):
            want = index in dense or position >= len(convs) - n_layers
            got = rows[index].get("trainable") if index < len(rows) else None
            if got is not want:
                ctx.fail("keras.trainable", function="unfreeze_top", case=case.label,
                         index=index, layer=rows[index].get("type") if index < len(rows) else "?",
                         got=got, expected=want, n=n_layers)
        wanted_rate = 1e-4 if learning_rate is None else learning_rate
        if not table.get("compiled") or table.get("learning_rate") is None:
            ctx.fail("keras.not_compiled", function="unfreeze_top", case=case.label)
        if abs(table["learning_rate"] - wanted_rate) > 1e-6 * wanted_rate + 1e-12:
            ctx.fail("keras.learning_rate", function="unfreeze_top", case=case.label,
                     got=table["learning_rate"], expected=wanted_rate)


DROPOUT_FEATURES = [["conv", 4, 3, "relu"], ["dropout", 0.5], ["pool", 2], ["flatten"], ["dense", 8, "relu"],
                    ["dense", 3, "softmax"]]
CONV_FEATURES = [["conv", 3, 3, "relu"], ["conv", 5, 3, "relu"], ["pool", 2], ["flatten"], ["dense", 4, "softmax"]]


def features(ctx: Ctx, *, spec=DROPOUT_FEATURES, input_shape=(8, 8, 1), n=20) -> None:
    """The outputs of the feature layers (up to Flatten), in inference mode, as (N, D)."""
    case = Case({}, f"model={layers_text(spec)}, x {(n, *input_shape)}")
    weights = random_weights(ctx.rng, spec, input_shape)
    key = _probe_model(ctx, spec=spec, input_shape=input_shape, function="extract_features", case=case,
                       weights=weights)
    x = ctx.rng.random((n, *input_shape), dtype=np.float32)
    got = ctx.call("extract_features", case, (Ref(key), x))
    flatten = next(i for i, (kind, *_) in enumerate(spec) if kind == "flatten")
    expected = numpy_forward(spec, weights, x, upto=flatten + 1)
    problem = check_array(got, expected, ctx.tol(np.float32), "features")
    if problem is not None:
        ctx.fail_problem(problem, "extract_features", case.label, extra=ctx.text("keras.features_hint"))


# ---------------------------------------------------------------------------
# The table: no check compares with the solutions (reference=False): every expected value is
# computed here, from the arithmetic of docs/contract.md §6 or from weights the grader chose (see above)
# ---------------------------------------------------------------------------

def checks() -> Iterator[Check]:
    yield table.check("build_lenet5.layers", lenet_layers, "the slides' layers, output shapes and parameters",
                      reference=False)
    yield table.check("build_lenet5.initializers", lenet_initializers, "he_normal weights",
                      requires=("build_lenet5.layers",), reference=False)
    yield table.check("build_lenet5.compiled", lenet_compiled, "compiled for integer labels, with accuracy",
                      requires=("build_lenet5.layers",), reference=False)
    yield table.check("build_lenet5.other_input", partial(lenet_layers, input_shape=(32, 32, 3), num_classes=7),
                      "input_shape and num_classes are used", reference=False)
    yield table.check("build_fashion_cnn.layers",
                      partial(lenet_layers, function="build_fashion_cnn", expected_table=fashion_table),
                      "the slides' simple CNN: layers, output shapes and parameters", reference=False)
    yield table.check("build_fashion_cnn.other_input",
                      partial(lenet_layers, input_shape=(32, 32, 3), num_classes=7, function="build_fashion_cnn",
                              expected_table=fashion_table),
                      "input_shape and num_classes are used", reference=False)
    yield table.check("build_model.contract", own_contract, "a compiled CNN: 28x28x1 in, 10 probabilities out",
                      reference=False)
    yield table.check("build_model.budget", own_budget, "within the rubric's parameter budget",
                      requires=("build_model.contract",), reference=False)
    yield table.check("build_model.other_input", partial(own_contract, input_shape=(32, 32, 3), num_classes=5),
                      "input_shape and num_classes are used", reference=False)
    yield table.check("build_model.learns", own_learns,
                      "re-trained here on an MNIST subset, it reaches the threshold",
                      requires=("build_model.contract",), reference=False)
    yield table.check("train.history", train_history, "fits with the epochs and batch size given", reference=False)
    yield table.check("train.arguments",
                      partial(train_history, n=120, epochs=3, batch_size=20, validation_split=0.25),
                      "other epochs, batch size and validation split", reference=False)
    yield table.check("train.learns", train_learns, "a small CNN trained by train learns MNIST",
                      requires=("train.history",), reference=False)
    yield table.check("build_transfer_model.frozen", transfer,
                      "base's feature layers, a new classifier, only the classifier trainable", reference=False)
    yield table.check("build_transfer_model.unfrozen", partial(transfer, freeze=False, num_classes=4),
                      "freeze=False leaves every layer trainable", reference=False)
    yield table.check("unfreeze_top.values", unfreeze, "the top convolution trainable, Adam at 1e-4",
                      reference=False)
    yield table.check("unfreeze_top.counts", partial(unfreeze, cases=((0, None), (2, None), (3, 5e-4))),
                      "0, 2 and all convolutions; a learning rate given", reference=False)
    yield table.check("extract_features.values", features, "the flattened feature maps, dropout off",
                      reference=False)
    yield table.check("extract_features.conv",
                      partial(features, spec=CONV_FEATURES, input_shape=(9, 8, 2), n=12),
                      "two convolutions, a rectangular input", reference=False)
