"""A small convolutional network in numpy, and its training loop (assignment 03, provided code).

This file is given to students as it is: nothing here is graded. It only wires up modules that
are passed in, so that the same network trains with any implementation of them:

* ``layers``: the layer functions of assignment 02 (``conv_forward``, ``max_pool_forward``, ...);
  the grader passes the reference ones, so that a bug in 02 costs no points in 03;
* ``regularization``: assignment 03's ``he_init`` / ``xavier_init``, ``dropout_*`` and the
  ``*_penalty`` functions;
* ``optim``: assignment 03's optimizers, ``name(w, dw, config) -> (next_w, config)``.

Images are channels-last, ``x: (N, H, W, C)``; labels are integers ``y: (N,)``. The network is

    [conv (F_i filters, FS x FS, stride 1, pad FS // 2) -> relu -> max pool 2x2] for each F_i
    -> flatten -> affine (hidden) -> relu -> [dropout] -> affine (num_classes) -> softmax

Each conv keeps H and W (odd FS, "same" padding); each pool halves them (floor), so after two
blocks a 28x28 image is 7x7. The loss is the mean softmax cross-entropy plus an optional
penalty on the weights (not the biases).

Only numpy and the standard library are imported (tqdm, for a progress bar, if installed).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

import numpy as np

Optimizer = Callable[[np.ndarray, np.ndarray, dict], tuple]


@dataclass
class History:
    """What ``train`` measured. Per epoch: the mean training loss (data loss plus penalty) and
    training accuracy over its mini-batches, the validation loss and accuracy (when validation
    data was given), and the wall time. ``step_loss`` holds the loss of every mini-batch."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)


class ConvNet:
    """[conv -> relu -> max pool] x len(channels) -> affine -> relu -> [dropout] -> affine.

    layers: the assignment-02 layer module; regularization: the assignment-03 regularization
    module (initialisers and dropout come from it); rng: a numpy.random.Generator for the
    initial weights. input_shape: (H, W, C) of one image; channels: the number of filters F
    of each conv block; filter_size: odd FS of every conv; hidden: width of the hidden affine
    layer; dropout: the drop rate before the last layer (0 for none); init: "he" or "xavier".
    Parameters are float32 by default (``dtype``), which halves the time of every layer.

    Parameter names and shapes (F_0 = C):
    ``conv{i}_w`` (FS, FS, F_{i-1}, F_i), ``conv{i}_b`` (F_i,) for i = 1..len(channels);
    ``fc1_w`` (D, hidden) with D = H' * W' * F_last, H' = H // 2**len(channels) (likewise W');
    ``fc1_b`` (hidden,), ``fc2_w`` (hidden, num_classes), ``fc2_b`` (num_classes,).
    """

    def __init__(self, layers: ModuleType, regularization: ModuleType, rng: np.random.Generator,
                 *, input_shape: tuple[int, int, int] = (28, 28, 1), num_classes: int = 10,
                 channels: tuple[int, ...] = (16, 32), filter_size: int = 3, hidden: int = 128,
                 dropout: float = 0.0, init: str = "he", dtype=np.float32):
        if filter_size % 2 != 1:
            raise ValueError(f"filter_size must be odd (same padding keeps H and W), got {filter_size}.")
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout (the drop rate) must satisfy 0 <= dropout < 1, got {dropout}.")
        if init not in ("he", "xavier"):
            raise ValueError(f"init must be 'he' or 'xavier', got {init!r}.")
        h, w, c = input_shape
        if h >> len(channels) < 1 or w >> len(channels) < 1:
            raise ValueError(f"input_shape {input_shape} is too small for {len(channels)} "
                             f"2x2 poolings; use fewer channels entries or larger images.")
        self.layers, self.regularization = layers, regularization
        self.input_shape, self.num_classes = tuple(input_shape), num_classes
        self.channels, self.filter_size, self.hidden = tuple(channels), filter_size, hidden
        self.dropout, self.dtype = dropout, np.dtype(dtype)
        initialise = regularization.he_init if init == "he" else regularization.xavier_init
        shapes = {}
        for i, f in enumerate(self.channels, start=1):
            shapes[f"conv{i}_w"], shapes[f"conv{i}_b"] = (filter_size, filter_size, c, f), (f,)
            c, h, w = f, h // 2, w // 2
        shapes["fc1_w"], shapes["fc1_b"] = (h * w * c, hidden), (hidden,)
        shapes["fc2_w"], shapes["fc2_b"] = (hidden, num_classes), (num_classes,)
        self.params: dict[str, np.ndarray] = {}
        for name, shape in shapes.items():
            value = initialise(shape, rng) if name.endswith("_w") else np.zeros(shape)
            self.params[name] = np.asarray(value, dtype=self.dtype)

    @property
    def weight_names(self) -> list[str]:
        """The parameters a penalty applies to: the weights, not the biases."""
        return [name for name in self.params if name.endswith("_w")]

    def forward(self, x: np.ndarray, *, training: bool = False,
                rng: np.random.Generator | None = None) -> tuple[np.ndarray, list]:
        """x: (N, H, W, C) -> (scores (N, num_classes), caches for ``backward``).

        ``training=True`` applies dropout, drawing its mask from ``rng``.
        """
        L, p = self.layers, self.params
        out = np.asarray(x, dtype=self.dtype)
        if out.shape[1:] != self.input_shape:
            raise ValueError(f"x must have shape (N, {', '.join(map(str, self.input_shape))}), "
                             f"got {out.shape}.")
        caches = []
        for i in range(1, len(self.channels) + 1):
            out, conv = L.conv_forward(out, p[f"conv{i}_w"], p[f"conv{i}_b"], stride=1,
                                       pad=self.filter_size // 2)
            out, relu = L.relu_forward(out)
            out, pool = L.max_pool_forward(out, pool_size=2)
            caches.append((conv, relu, pool))
        out, fc1 = L.affine_forward(out, p["fc1_w"], p["fc1_b"])
        out, relu = L.relu_forward(out)
        drop = None
        if self.dropout and training:
            out, drop = self.regularization.dropout_forward(out, self.dropout, training=True, rng=rng)
        scores, fc2 = L.affine_forward(out, p["fc2_w"], p["fc2_b"])
        caches.append((fc1, relu, drop, fc2))
        return scores, caches

    def backward(self, dscores: np.ndarray, caches: list) -> dict[str, np.ndarray]:
        """dscores: (N, num_classes), the gradient of the loss -> gradients named like params."""
        L, grads = self.layers, {}
        fc1, relu, drop, fc2 = caches[-1]
        dout, grads["fc2_w"], grads["fc2_b"] = L.affine_backward(dscores, fc2)
        if drop is not None:
            dout = self.regularization.dropout_backward(dout, drop)
        dout = L.relu_backward(dout, relu)
        dout, grads["fc1_w"], grads["fc1_b"] = L.affine_backward(dout, fc1)
        for i in range(len(self.channels), 0, -1):
            conv, relu, pool = caches[i - 1]
            dout = L.relu_backward(L.max_pool_backward(dout, pool), relu)
            dout, grads[f"conv{i}_w"], grads[f"conv{i}_b"] = L.conv_backward(dout, conv)
        return grads

    def loss(self, x: np.ndarray, y: np.ndarray, *, rng: np.random.Generator | None = None
             ) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
        """Training forward and backward on one mini-batch x: (N, H, W, C), y: (N,).

        Returns (mean cross-entropy loss, gradients named like params, scores (N, num_classes)).
        """
        scores, caches = self.forward(x, training=True, rng=rng)
        loss, dscores = self.layers.softmax_cross_entropy(scores, y)
        return float(loss), self.backward(dscores, caches), scores

    def predict(self, x: np.ndarray, batch_size: int = 250) -> np.ndarray:
        """x: (N, H, W, C) -> predicted labels (N,), in batches (no dropout)."""
        return np.concatenate([self.forward(x[i:i + batch_size])[0].argmax(axis=1)
                               for i in range(0, len(x), batch_size)])

    def evaluate(self, x: np.ndarray, y: np.ndarray, batch_size: int = 250) -> tuple[float, float]:
        """x: (N, H, W, C), y: (N,) -> (mean cross-entropy loss, accuracy), no dropout."""
        total, correct = 0.0, 0
        for i in range(0, len(x), batch_size):
            scores = self.forward(x[i:i + batch_size])[0]
            loss, _ = self.layers.softmax_cross_entropy(scores, y[i:i + batch_size])
            total += float(loss) * len(scores)
            correct += int((scores.argmax(axis=1) == y[i:i + batch_size]).sum())
        return total / len(x), correct / len(x)


def _optimizer(optim: ModuleType | Optimizer, optimizer: str) -> Optimizer:
    """The update function: ``optim`` itself if it is one, else ``optim.<optimizer>``."""
    if isinstance(optim, ModuleType):
        if not callable(getattr(optim, optimizer, None)):
            raise ValueError(f"the optim module has no optimizer {optimizer!r} "
                             f"(expected a function {optimizer}(w, dw, config)).")
        return getattr(optim, optimizer)
    if not callable(optim):
        raise ValueError(f"optim must be a module of optimizers or an optimizer function, "
                         f"got {type(optim).__name__}.")
    return optim


def train(net: ConvNet, optim: ModuleType | Optimizer, x: np.ndarray, y: np.ndarray, *,
          rng: np.random.Generator, x_val: np.ndarray | None = None,
          y_val: np.ndarray | None = None, optimizer: str = "adam", config: dict | None = None,
          reg: str | None = None, lam: float = 0.0, epochs: int = 1, batch_size: int = 64,
          max_steps: int | None = None, progress: bool = True) -> History:
    """Mini-batch training of ``net`` on x: (N, H, W, C), y: (N,) integer labels.

    optim: a module of optimizers (``optimizer`` names the one to use) or one optimizer
    function ``f(w, dw, config) -> (next_w, config)``. config: its hyper-parameters (e.g.
    ``{"learning_rate": 1e-3}``); every parameter gets its own copy, holding its own state.
    reg: None, "l1", "l2" or "elastic_net", the penalty ``regularization.<reg>_penalty(w, lam,
    n=N)`` added for every weight (not the biases), N the number of training examples.
    rng: a numpy.random.Generator for the shuffling (and the dropout masks). Every epoch
    visits the examples in a new random order; ``max_steps`` stops early after that many
    mini-batches in all. x_val, y_val: evaluated after every epoch. progress: a tqdm bar,
    when tqdm is installed. The parameters of ``net`` are updated in place. Returns a History.
    """
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)} labels.")
    if reg is not None and reg not in ("l1", "l2", "elastic_net"):
        raise ValueError(f"reg must be None, 'l1', 'l2' or 'elastic_net', got {reg!r}.")
    update = _optimizer(optim, optimizer)
    penalty = getattr(net.regularization, f"{reg}_penalty") if reg and lam else None
    configs = {name: dict(config or {}) for name in net.params}
    n = len(x)
    steps_per_epoch = math.ceil(n / batch_size)
    total = steps_per_epoch * epochs if max_steps is None else min(max_steps, steps_per_epoch * epochs)
    bar = _progress_bar(total) if progress else None
    history, step = History(), 0
    try:
        for epoch in range(epochs):
            if step >= total:
                break
            start, losses, correct, seen = time.perf_counter(), [], 0, 0
            order = rng.permutation(n)
            for i in range(0, n, batch_size):
                if step >= total:
                    break
                batch = order[i:i + batch_size]
                loss, grads, scores = net.loss(x[batch], y[batch], rng=rng)
                for name in net.params:
                    dw = grads[name]
                    if penalty is not None and name.endswith("_w"):
                        value, dpen = penalty(net.params[name], lam, n=n)
                        loss, dw = loss + float(value), dw + dpen
                    next_w, configs[name] = update(net.params[name], dw, configs[name])
                    net.params[name] = np.asarray(next_w, dtype=net.dtype)
                losses.append(loss)
                correct += int((scores.argmax(axis=1) == y[batch]).sum())
                seen += len(batch)
                step += 1
                if bar is not None:
                    bar.update(1)
                    if step % 20 == 0 or step == total:
                        bar.set_postfix(epoch=epoch + 1, loss=f"{np.mean(losses[-50:]):.3f}")
            history.step_loss.extend(losses)
            history.loss.append(float(np.mean(losses)))
            history.accuracy.append(correct / seen)
            if x_val is not None and y_val is not None:
                val_loss, val_accuracy = net.evaluate(x_val, y_val)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
            history.seconds.append(time.perf_counter() - start)
    finally:
        if bar is not None:
            bar.close()
    return history


def _progress_bar(total: int):
    """A tqdm bar over ``total`` steps, or None when tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="step", desc="training")
