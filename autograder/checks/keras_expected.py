"""What the Keras checks expect, computed in the grader without Keras: LeNet-5's layer table
from the valid-convolution arithmetic, and the outputs of small test models (the probe models
of :mod:`autograder.checks.keras_cnn`) in numpy from the weights the grader gave them.

A test-model ``spec`` is a list of layers ``[kind, *args]``, as ``probes.make_model`` builds
them: ``["conv", filters, kernel, activation]``, ``["pool", size]``, ``["flatten"]``,
``["dense", units, activation]``, ``["dropout", rate]``. Pure functions.
"""
from __future__ import annotations

import math

import numpy as np



def lenet5_table(input_shape, num_classes) -> list[dict]:
    """The SPEC's LeNet-5 as rows (type, output shape, parameters, activation, rate), by the
    valid-convolution arithmetic H_out = H - HH + 1 and pooling H_out = floor(H / 2)."""
    h, w, c = input_shape
    rows = []

    def conv(filters, channels):
        nonlocal h, w
        h, w = h - 4, w - 4
        rows.append({"type": "Conv2D", "output_shape": [h, w, filters],
                     "params": 5 * 5 * channels * filters + filters, "activation": "relu"})

    def pool(channels):
        nonlocal h, w
        h, w = h // 2, w // 2
        rows.append({"type": "MaxPooling2D", "output_shape": [h, w, channels], "params": 0})

    def dense(units, fan_in, activation):
        rows.append({"type": "Dense", "output_shape": [units], "params": fan_in * units + units,
                     "activation": activation})

    conv(12, c), pool(12), conv(25, 12), pool(25)
    flat = h * w * 25
    rows.append({"type": "Flatten", "output_shape": [flat], "params": 0})
    dense(180, flat, "relu")
    rows.append({"type": "Dropout", "output_shape": [180], "params": 0, "rate": 0.5})
    dense(100, 180, "relu")
    rows.append({"type": "Dropout", "output_shape": [100], "params": 0, "rate": 0.5})
    dense(num_classes, 100, "softmax")
    return rows


def weight_shapes(spec, input_shape) -> list[list[tuple]]:
    """The weight shapes of a probe model (see ``probes.make_model``), per layer."""
    h, w, c = input_shape
    flat = None
    shapes = []
    for kind, *args in spec:
        if kind == "conv":
            shapes.append([(args[1], args[1], c, args[0]), (args[0],)])
            h, w, c = h - args[1] + 1, w - args[1] + 1, args[0]
        elif kind == "pool":
            shapes.append([])
            h, w = h // args[0], w // args[0]
        elif kind == "flatten":
            shapes.append([])
            flat = h * w * c
        elif kind == "dense":
            shapes.append([(flat, args[0]), (args[0],)])
            flat = args[0]
        else:
            shapes.append([])
    return shapes


def random_weights(rng, spec, input_shape) -> list[list[np.ndarray]]:
    """He-scaled random weights and small biases for a probe model (float32)."""
    out = []
    for shapes in weight_shapes(spec, input_shape):
        if not shapes:
            out.append([])
            continue
        kernel, bias = shapes
        fan_in = math.prod(kernel[:-1])
        out.append([(rng.standard_normal(kernel) * np.sqrt(2 / fan_in)).astype(np.float32),
                    (rng.standard_normal(bias) * 0.1).astype(np.float32)])
    return out


def numpy_forward(spec, weights, x, upto: int | None = None) -> np.ndarray:
    """A probe model's output (inference mode: dropout is the identity), up to layer ``upto``
    (exclusive), in float64 numpy: valid cross-correlation, floor max pooling, NHWC flatten."""
    out = np.asarray(x, dtype=np.float64)
    for (kind, *args), layer_weights in list(zip(spec, weights))[:upto]:
        if kind == "conv":
            kernel, bias = (np.asarray(a, np.float64) for a in layer_weights)
            windows = np.lib.stride_tricks.sliding_window_view(out, kernel.shape[:2], axis=(1, 2))
            out = activate(np.einsum("nhwcij,ijcf->nhwf", windows, kernel) + bias, args[2])
        elif kind == "pool":
            k = args[0]
            n, h, w, c = out.shape
            out = out[:, :h // k * k, :w // k * k].reshape(n, h // k, k, w // k, k, c).max(axis=(2, 4))
        elif kind == "flatten":
            out = out.reshape(len(out), -1)
        elif kind == "dense":
            kernel, bias = (np.asarray(a, np.float64) for a in layer_weights)
            out = activate(out @ kernel + bias, args[1])
    return out


def activate(z, name):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return z


def layers_text(spec, trainable=None) -> str:
    """A test model as code-like text that reads the same in every language, e.g.
    ``[Conv2D(4, 3, relu), MaxPooling2D(2), Flatten(), Dense(3, softmax)]``; with ``trainable``
    (one bool per layer), frozen weighted layers show ``trainable=False``."""
    names = {"conv": "Conv2D", "pool": "MaxPooling2D", "flatten": "Flatten", "dense": "Dense",
             "dropout": "Dropout"}
    parts = []
    for index, (kind, *args) in enumerate(spec):
        arguments = [str(a) for a in args]
        if trainable is not None and not trainable[index] and kind in ("conv", "dense"):
            arguments.append("trainable=False")
        parts.append(f"{names[kind]}({', '.join(arguments)})")
    return "[" + ", ".join(parts) + "]"
