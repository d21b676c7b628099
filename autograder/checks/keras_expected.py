"""What the Keras checks expect, computed in the grader without Keras: the layer tables of
LeNet-5 and of the slides' Fashion-MNIST CNN from the valid-convolution arithmetic, and the
outputs of small test models (the probe models of :mod:`autograder.checks.keras_cnn`) in numpy
from the weights the grader gave them.

A test-model ``spec`` is a list of layers ``[kind, *args]``, as ``probes.make_model`` builds
them: ``["conv", filters, kernel, activation]``, ``["pool", size]``, ``["flatten"]``,
``["dense", units, activation]``, ``["dropout", rate]``, ``["bn", momentum]``. Pure functions.

Also the arithmetic of the training-effect model that ``train`` is judged by (see
:func:`mark_images`): which images a BatchNormalization layer's moving means say were trained
on, and how many updates its moving variances count.
"""
from __future__ import annotations

import math

import numpy as np

Spec = list[list[str | int | float]]     # a test model: per layer, [kind, *args] (see above)
BN_EPSILON = 1e-3          # probes.make_model's BatchNormalization
KERAS_EPSILON = 1e-7       # Keras clips probabilities to [eps, 1 - eps] in its cross-entropy


def lenet5_table(input_shape, num_classes) -> list[dict]:
    """The LeNet-5 of docs/contract.md §6 as rows (type, output shape, parameters, activation, rate), by the
    valid-convolution arithmetic H_out = H - HH + 1 and pooling H_out = floor(H / 2)."""
    h, w, c = input_shape
    rows = []

    def conv(*, filters, channels):
        nonlocal h, w
        h, w = h - 4, w - 4
        rows.append({"type": "Conv2D", "output_shape": [h, w, filters],
                     "params": 5 * 5 * channels * filters + filters, "activation": "relu"})

    def pool(*, channels):
        nonlocal h, w
        h, w = h // 2, w // 2
        rows.append({"type": "MaxPooling2D", "output_shape": [h, w, channels], "params": 0})

    def dense(*, units, fan_in, activation):
        rows.append({"type": "Dense", "output_shape": [units], "params": fan_in * units + units,
                     "activation": activation})

    conv(filters=12, channels=c)
    pool(channels=12)
    conv(filters=25, channels=12)
    pool(channels=25)
    flat = h * w * 25
    rows.append({"type": "Flatten", "output_shape": [flat], "params": 0})
    dense(units=180, fan_in=flat, activation="relu")
    rows.append({"type": "Dropout", "output_shape": [180], "params": 0, "rate": 0.5})
    dense(units=100, fan_in=180, activation="relu")
    rows.append({"type": "Dropout", "output_shape": [100], "params": 0, "rate": 0.5})
    dense(units=num_classes, fan_in=100, activation="softmax")
    return rows


def fashion_table(input_shape, num_classes) -> list[dict]:
    """The slides' simple CNN for Fashion-MNIST (``build_fashion_cnn``) as rows: two blocks of a
    "same" 3x3 convolution (32, then 64 filters, relu; H_out = H) and a 2x2 max pooling
    (H_out = floor(H / 2)), Flatten, Dense(128, relu), Dropout(0.5), Dense(num_classes, softmax).
    On 28x28x1: 28 -> 28 -> 14 -> 14 -> 7, Flatten 3136, 421,642 parameters."""
    h, w, c = input_shape
    rows = []
    for filters in (32, 64):
        rows.append({"type": "Conv2D", "output_shape": [h, w, filters], "params": 9 * c * filters + filters,
                     "activation": "relu"})
        h, w, c = h // 2, w // 2, filters
        rows.append({"type": "MaxPooling2D", "output_shape": [h, w, c], "params": 0})
    flat = h * w * c
    rows.append({"type": "Flatten", "output_shape": [flat], "params": 0})
    rows.append({"type": "Dense", "output_shape": [128], "params": flat * 128 + 128, "activation": "relu"})
    rows.append({"type": "Dropout", "output_shape": [128], "params": 0, "rate": 0.5})
    rows.append({"type": "Dense", "output_shape": [num_classes], "params": 128 * num_classes + num_classes,
                 "activation": "softmax"})
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
        elif kind == "bn":
            shapes.append([(flat,)] * 4)
        else:
            shapes.append([])
    return shapes


def random_weights(rng, spec, input_shape) -> list[list[np.ndarray]]:
    """He-scaled random weights and small biases for a probe model (float32)."""
    out: list[list[np.ndarray]] = []
    for (kind, *_), shapes in zip(spec, weight_shapes(spec, input_shape)):
        if not shapes:
            out.append([])
            continue
        if kind == "bn":          # gamma, beta, moving mean, moving variance: Keras's defaults
            out.append([np.ones(s, np.float32) if i in (0, 3) else np.zeros(s, np.float32)
                        for i, s in enumerate(shapes)])
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
        elif kind == "bn":
            gamma, beta, mean, variance = (np.asarray(a, np.float64) for a in layer_weights)
            out = (out - mean) / np.sqrt(variance + BN_EPSILON) * gamma + beta
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
             "dropout": "Dropout", "bn": "BatchNormalization"}
    parts = []
    for index, (kind, *args) in enumerate(spec):
        arguments = [str(a) for a in args]
        if trainable is not None and not trainable[index] and kind in ("conv", "dense"):
            arguments.append("trainable=False")
        parts.append(f"{names[kind]}({', '.join(arguments)})")
    return "[" + ", ".join(parts) + "]"


def cross_entropy(probs, y) -> float:
    """Keras's sparse categorical cross-entropy of probabilities ``probs`` (N, K) for integer
    labels ``y`` (N,): the mean of -log p[i, y_i], p clipped to [1e-7, 1 - 1e-7]."""
    picked = np.clip(np.asarray(probs, np.float64)[np.arange(len(y)), y], KERAS_EPSILON, 1 - KERAS_EPSILON)
    return float(-np.mean(np.log(picked)))


# ---------------------------------------------------------------------------
# The training-effect model: train is judged by what fit leaves in the weights
# ---------------------------------------------------------------------------
# Flatten -> BatchNormalization -> Dense. In training mode BatchNormalization updates, once per
# batch, moving_mean <- m * moving_mean + (1 - m) * batch_mean (likewise the variance), whatever
# the optimizer; evaluation and prediction leave them alone. So in images whose outer rings of
# pixels the grader rewrote:
# * a *counter* pixel, zero in every image, has batch mean and variance 0 in every batch: its
#   moving variance, 1 at the start, is m ** updates after training;
# * a *marker* pixel is 1 in one image only: its moving mean leaves 0 exactly when a training
#   batch held that image, so the markers left at 0 are the images held out for validation.

MARKER_RINGS = (0, 1)      # the outer two rings of 28x28: 208 pixels, one image each
COUNTER_RING = 2           # the third ring: 92 pixels, zero in every image


def ring_pixels(ring: int, h: int = 28, w: int = 28) -> np.ndarray:
    """Flat (row-major) indices of the pixels ``ring`` steps in from the border of an h x w image."""
    rows, cols = np.indices((h, w))
    depth = np.minimum(np.minimum(rows, cols), np.minimum(h - 1 - rows, w - 1 - cols))
    return np.flatnonzero(depth.ravel() == ring)


def mark_images(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(marked copy of x, marker pixel of each image, counter pixels) for x (N, 28, 28, 1), N at
    most 208: the three outer rings are set to 0, then image i gets a 1 at its marker pixel."""
    n, h, w, c = x.shape
    markers = np.concatenate([ring_pixels(r, h, w) for r in MARKER_RINGS])
    if c != 1 or n > len(markers):
        raise ValueError(f"mark_images needs (N, H, W, 1) images with N <= {len(markers)}, got {x.shape}")
    counters = ring_pixels(COUNTER_RING, h, w)
    flat = np.array(x, dtype=np.float32).reshape(n, h * w)
    flat[:, np.concatenate([markers, counters])] = 0
    flat[np.arange(n), markers[:n]] = 1
    return flat.reshape(x.shape), markers[:n], counters


def updates_counted(variances: np.ndarray, momentum: float) -> float | None:
    """The number of batches trained on, read from the moving variances of counter pixels
    (each m ** updates); ``None`` when they disagree or are not such powers."""
    v = np.asarray(variances, np.float64)
    if v.size == 0 or not np.all((v > 0) & (v <= 1)) or np.ptp(v) > 1e-6 * v.max():
        return None
    return float(np.log(np.median(v)) / np.log(float(np.float32(momentum))))
