"""The grader's helpers that run inside the student process (assignment 04, Keras).

A Keras model cannot cross the wire (plain values only), and the grader process must never
load an object the student built. So the checks keep the student's model in the child and ask
these helpers for plain descriptions of it: its layer table, its compile settings, its
predictions, the weights of its layers, its training history, its configuration. The grader
then compares those plain values with what it expects, computed on its side.

Loaded by path by :mod:`worker` (``{"op": "probe"}``); imports only the standard library and
numpy at import time, Keras inside the functions. What runs in the child could, in principle,
be patched by a determined student (as the worker itself); every value is validated again in
the grader, and forging a layer table takes as much Keras as building the model. What scores
training is never an answer from here alone: accuracy is computed in the grader (or in the
clean process of :mod:`evaluator`) on held-out images that never enter this process, and a
History counts only when the weights it comes with show the training it reports.
"""
import math

import numpy as np


def _keras():
    import keras  # noqa: PLC0415 - only when a Keras check runs
    return keras


def _shape(shape):
    """A Keras shape as a plain list (None for the batch axis), or None if it has none."""
    try:
        return [None if d is None else int(d) for d in tuple(shape)]
    except (TypeError, ValueError):
        return None


def _name(obj):
    """A Keras object (activation, initializer, loss, optimizer) as a short snake-case name."""
    if obj is None:
        return None
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):                     # a serialised config
        return _name(obj.get("config", {}).get("name") or obj.get("class_name"))
    name = getattr(obj, "__name__", None) or type(obj).__name__
    out = []
    for i, ch in enumerate(name):                 # HeNormal -> he_normal
        if ch.isupper() and i and (not name[i - 1].isupper()):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


_CONFIG_KEYS = ("filters", "kernel_size", "strides", "padding", "pool_size", "units", "rate",
                "use_bias")


def _layer_row(layer):
    config = {}
    try:
        config = layer.get_config()
    except Exception:  # noqa: BLE001 - a student's custom layer may not serialise
        pass
    try:
        output_shape = _shape(layer.output.shape)
    except Exception:  # noqa: BLE001 - a layer used in no graph has no output
        output_shape = None
    activation = getattr(layer, "activation", None)
    initializer = getattr(layer, "kernel_initializer", None)
    row = {"type": type(layer).__name__, "name": str(layer.name), "output_shape": output_shape,
           "params": int(layer.count_params()) if layer.built else 0,
           "trainable": bool(layer.trainable),
           "activation": _name(activation) if activation is not None else None,
           "kernel_initializer": _name(initializer) if initializer is not None else None}
    if initializer is not None:
        try:
            init_config = initializer.get_config()
            row["initializer_config"] = {k: v for k, v in init_config.items()
                                         if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
        except Exception:  # noqa: BLE001
            pass
    for key in _CONFIG_KEYS:
        if key in config:
            value = config[key]
            row[key] = list(value) if isinstance(value, (tuple, list)) else value
    return row


def _compile_info(model):
    info = {"compiled": bool(getattr(model, "compiled", False)) and model.optimizer is not None,
            "loss": None, "metrics": [], "optimizer": None, "learning_rate": None}
    if not info["compiled"]:
        return info
    try:
        config = model.get_compile_config() or {}
    except Exception:  # noqa: BLE001
        config = {}
    loss = config.get("loss", getattr(model, "loss", None))
    info["loss"] = _name(loss)
    if isinstance(loss, dict) and "config" in loss:
        info["from_logits"] = bool(loss["config"].get("from_logits", False))
    metrics = config.get("metrics") or []
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    info["metrics"] = [_name(m) for m in metrics]
    info["optimizer"] = _name(model.optimizer)
    try:
        info["learning_rate"] = float(np.asarray(model.optimizer.learning_rate))
    except Exception:  # noqa: BLE001 - a schedule
        pass
    return info


def _leaf_layers(model, keras):
    """The layers of ``model``, with nested models (a frozen base used as one layer) expanded."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer, keras)
        else:
            yield layer


def model_table(model, input_shape=None):
    """A plain description of ``model``: type, shapes, parameters, compile settings, layers.

    A model that is not built yet is built on ``input_shape`` (one image's shape).
    """
    keras = _keras()
    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    if not model.built and input_shape is not None:
        model(np.zeros((1, *input_shape), dtype="float32"))
    table = {"is_model": True, "type": type(model).__name__}
    try:
        table["input_shape"] = _shape(model.inputs[0].shape)
    except Exception:  # noqa: BLE001
        table["input_shape"] = None
    try:
        table["output_shape"] = _shape(model.outputs[0].shape)
    except Exception:  # noqa: BLE001
        table["output_shape"] = None
    table["params"] = int(model.count_params())
    table["trainable_params"] = int(sum(math.prod(w.shape) for w in model.trainable_weights))
    table["layers"] = [_layer_row(layer) for layer in _leaf_layers(model, keras)]
    table.update(_compile_info(model))
    return table


def predict(model, x, batch_size=256):
    """``model``'s outputs on ``x`` in inference mode, as a float64 array."""
    out = model.predict(np.asarray(x, dtype="float32"), batch_size=batch_size, verbose=0)
    return np.asarray(out, dtype=np.float64)


def evaluate(model, x, y):
    """``model.evaluate`` on ``x`` and integer labels ``y``: its loss and metrics by name."""
    scores = model.evaluate(np.asarray(x, dtype="float32"), np.asarray(y), batch_size=256,
                            verbose=0, return_dict=True)
    return {str(k): float(v) for k, v in scores.items()}


def layer_weights(model):
    """The weights of every layer of ``model`` (nested models expanded, in the order of
    :func:`model_table`'s rows): a list (one per layer) of lists of arrays."""
    return [[np.asarray(w, dtype=np.float64) for w in layer.get_weights()]
            for layer in _leaf_layers(model, _keras())]


def history(value):
    """A ``keras.callbacks.History`` as plain values: its metrics per epoch, its params, and the
    weights of the model it belongs to (the one ``fit`` trained; ``None`` for a History that
    no ``fit`` filled in). The grader judges training by those weights, not by the numbers."""
    keras = _keras()
    if not isinstance(value, keras.callbacks.History):
        return {"is_history": False, "type": type(value).__name__}
    params = dict(getattr(value, "params", None) or {})
    model = getattr(value, "model", None)
    return {"is_history": True,
            "history": {str(k): [float(v) for v in vs] for k, vs in value.history.items()},
            "epochs": params.get("epochs"), "steps": params.get("steps"),
            "weights": layer_weights(model) if isinstance(model, keras.Model) else None}


def model_config(model, input_shape=None):
    """``model.to_json()`` (the architecture and compile settings, no weights) as UTF-8 bytes
    in a uint8 array (the grader bounds every string a reply holds; an array goes through
    whole), for the clean process that re-builds and re-trains it (:mod:`evaluator`). Not a
    model: ``None``."""
    keras = _keras()
    if not isinstance(model, keras.Model):
        return None
    if not model.built and input_shape is not None:
        model(np.zeros((1, *input_shape), dtype="float32"))
    return np.frombuffer(model.to_json().encode("utf-8"), dtype=np.uint8).copy()


def set_seed(seed):
    """Seed Python, numpy and the back end (``keras.utils.set_random_seed``)."""
    _keras().utils.set_random_seed(int(seed))
    return None


def make_model(spec, input_shape, weights=None, trainable=None, learning_rate=1e-3, name="probe"):
    """A compiled Sequential model from a plain ``spec``, for checks of functions that take one.

    spec: a list of layers, each ``[kind, *args]``: ``["conv", filters, kernel, activation]``,
    ``["pool", size]``, ``["flatten"]``, ``["dense", units, activation]``, ``["dropout", rate]``,
    ``["bn", momentum]`` (BatchNormalization, epsilon 1e-3).
    weights: optional, one list of arrays per layer (``[]`` for layers without weights);
    trainable: optional, one bool per layer.
    """
    keras = _keras()
    from keras import layers  # noqa: PLC0415
    made = []
    for item in spec:
        kind, args = item[0], item[1:]
        if kind == "conv":
            made.append(layers.Conv2D(args[0], args[1], activation=args[2]))
        elif kind == "pool":
            made.append(layers.MaxPooling2D(args[0]))
        elif kind == "flatten":
            made.append(layers.Flatten())
        elif kind == "dense":
            made.append(layers.Dense(args[0], activation=args[1]))
        elif kind == "dropout":
            made.append(layers.Dropout(args[0]))
        elif kind == "bn":
            made.append(layers.BatchNormalization(momentum=args[0], epsilon=1e-3))
        else:
            raise ValueError(f"unknown layer kind {kind!r}")
    model = keras.Sequential([keras.Input(shape=tuple(input_shape)), *made], name=name)
    for index, layer in enumerate(model.layers):
        if weights is not None and weights[index]:
            layer.set_weights([np.asarray(w, dtype="float32") for w in weights[index]])
        if trainable is not None:
            layer.trainable = bool(trainable[index])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
