"""The training task of assignment 03: the student's optimizer and L2 penalty train the numpy
CNN of ``network.py`` on an MNIST subset, to an accuracy threshold set in the rubric.

The network runs in the grader with the *reference* layers of 02 (so a bug in 02 costs nothing
here); every call into student code (each parameter's update, each penalty, the initialiser)
goes through the sandbox, with the optimizer state round-tripping as plain values. Nothing of
the reference reaches the student process.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table
from autograder.core.compare import as_scalar
from autograder.datasets import add_channel, load_mnist, to_float
from autograder.references import reference
from autograder.sandbox import Ref, Rng

MODULES = ("optim", "regularization")


class StateHandle:
    """Where a parameter's optimizer config lives: in the student process, under ``key``. The
    network passes it back like a config; only ``next_w`` crosses the process boundary."""

    def __init__(self, key: str):
        self.key = key


class StudentModule:
    """Stands in for a student module in the network: attribute access gives a function that
    runs the student's function in the sandbox. A ``numpy.random.Generator`` argument becomes a
    seed drawn from it (the child builds its own generator)."""

    def __init__(self, ctx: Ctx, module: str, sandbox):
        self._ctx, self._module, self._sandbox = ctx, module, sandbox

    def __getattr__(self, name: str):
        if self._module == "optim":
            return self._optimizer(name)

        def call(*args, **kwargs):
            args = tuple(Rng(int(a.integers(2 ** 62))) if isinstance(a, np.random.Generator) else a for a in args)
            kwargs = {k: Rng(int(v.integers(2 ** 62))) if isinstance(v, np.random.Generator) else v
                      for k, v in kwargs.items()}
            result = self._sandbox.call(self._module, name, *args, timeout=self._ctx.timeout, **kwargs)
            self._ctx.raise_for(result, name, Case({}, "during training"))
            return _validated(self._ctx, name, result.value)
        return call


    def _optimizer(self, name: str):
        handles: dict[int, StateHandle] = {}

        def update(w, dw, config):
            if isinstance(config, StateHandle):
                key, config_arg = config.key, Ref(config.key, (1,))
            else:
                key = f"train-{name}-{len(handles)}"
                handles[len(handles)] = StateHandle(key)
                config_arg = config
            result = self._sandbox.call("optim", name, w, dw, config_arg, store=key, select=(0,),
                                        timeout=self._ctx.timeout)
            self._ctx.raise_for(result, name, Case({}, "during training"))
            value = result.value
            if not isinstance(value, tuple) or len(value) != 2:
                self._ctx.fail("train.bad_value", function=name, what="a tuple (next_w, config)")
            if type(value[0]) is not np.ndarray or value[0].shape != np.shape(w) or not np.isfinite(value[0]).all():
                self._ctx.fail("train.diverged", function=name)
            return value[0], StateHandle(key)
        return update


def _validated(ctx: Ctx, name: str, value):
    """Results that the network uses must be plain: arrays, numbers, dicts, tuples of them."""
    if name in ("he_init", "xavier_init"):
        if type(value) is not np.ndarray or not np.isfinite(value).all():
            ctx.fail("train.bad_value", function=name, what="a finite numpy array")
        return value
    if not isinstance(value, tuple) or len(value) != 2:
        ctx.fail("train.bad_value", function=name, what="a tuple of two items")
    first, second = value
    if name.endswith("_penalty"):
        penalty = as_scalar(first)
        if penalty is None or type(second) is not np.ndarray or not np.isfinite(second).all():
            ctx.fail("train.bad_value", function=name, what="(penalty, dw): a number and a finite array")
        return penalty, second
    if type(first) is not np.ndarray or not np.isfinite(first).all():
        ctx.fail("train.diverged", function=name)
    if not isinstance(second, dict):
        ctx.fail("optim.config_type", function=name, got=type(second).__name__)
    return first, second


def train_to_threshold(ctx: Ctx) -> None:
    """Train with the student's optimizer and penalty; test accuracy must reach the threshold."""
    settings = ctx.settings["training"]
    network = reference("03_optimization", "network", ctx.solutions)
    layers = reference("02_cnn_layers", "layers", ctx.solutions)
    data = load_mnist()
    n_train, n_test = int(settings["train_images"]), int(settings["test_images"])
    x = add_channel(to_float(data.train.images[:n_train]))
    y = data.train.labels[:n_train].astype(np.int64)
    x_test = add_channel(to_float(data.test.images[:n_test]))
    y_test = data.test.labels[:n_test].astype(np.int64)
    optim = StudentModule(ctx, "optim", ctx.sandboxes["optim"])
    regularization = StudentModule(ctx, "regularization", ctx.sandboxes["regularization"])
    rng = np.random.default_rng(int(settings["seed"]))
    net = network.ConvNet(layers, regularization, rng, channels=tuple(settings["channels"]),
                          hidden=int(settings["hidden"]), init="he")
    optimizer = str(settings["optimizer"])
    history = network.train(net, getattr(optim, optimizer), x, y, rng=rng, optimizer=optimizer,
                            config={"learning_rate": float(settings["learning_rate"])}, reg="l2",
                            lam=float(settings["lam"]), epochs=int(settings["epochs"]),
                            batch_size=int(settings["batch_size"]), progress=False)
    _, accuracy = net.evaluate(x_test, y_test)
    threshold = float(settings["threshold"])
    if ctx.artifacts is not None:
        from autograder.pictures import plot_learning_curve

        plot_learning_curve(ctx.artifacts / "train.mnist.png", f"the training task with your {optimizer}",
                            history.step_loss, f"test accuracy {accuracy:.1%} (needed: {threshold:.0%})",
                            accuracy=accuracy, threshold=threshold)
    if not accuracy >= threshold:
        steps = int(np.ceil(n_train / int(settings["batch_size"]))) * int(settings["epochs"])
        ctx.fail("train.below", accuracy=accuracy, threshold=threshold, n=n_test, optimizer=optimizer, steps=steps)


def checks() -> Iterator[Check]:
    """Yield the training task: a check of no single function, reported with optim.py."""
    yield Table("optim").check("train.mnist", train_to_threshold,
                               "your adam + l2_penalty + he_init train a small CNN on MNIST to the threshold",
                               requires=("adam.defaults", "l2_penalty.values", "he_init.moments"), function=None)
