"""Contract properties of every array function of docs/contract.md §3-5, in the reference solutions.

* No function modifies its array arguments: every input (for a backward function also the
  inputs of the forward call that made its cache, and ``dout``) equals its copy afterwards.
* dtype follows the input: float32 -> float32, float64 -> float64, int or bool -> float64,
  float32 mixed with float64 -> float64; results in a narrow dtype match the float64 results.
* Bad arguments raise ValueError with a message naming the argument.

One table (CASES) declares each call; the tests are generated from it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pytest

from autograder.references import reference

conv = reference("01_convolution", "convolution")
layers = reference("02_cnn_layers", "layers")
optim = reference("03_optimization", "optim")
reg = reference("03_optimization", "regularization")

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Case:
    """One call of a reference function on named array inputs.

    shapes: the float inputs and their shapes; labels: integer inputs that keep their dtype;
    call: the inputs -> the named array outputs (a backward case runs its forward first).
    """
    id: str
    shapes: dict[str, tuple[int, ...]]
    call: Callable[[Arrays], Arrays]
    labels: dict[str, np.ndarray] = field(default_factory=dict)


def _twice(backward, dout, cache):
    """Call ``backward`` twice on one cache: the cache must not be consumed or altered."""
    first, second = backward(dout, cache), backward(dout, cache)
    first_t = first if isinstance(first, tuple) else (first,)
    second_t = second if isinstance(second, tuple) else (second,)
    for k, (a, b) in enumerate(zip(first_t, second_t, strict=True)):
        assert np.array_equal(a, b), f"a second backward call on the same cache changed output {k}"
    return first


def _conv(stride, pad):
    def call(a):
        out, cache = layers.conv_forward(a["x"], a["w"], a["b"], stride=stride, pad=pad)
        dx, dw, db = _twice(layers.conv_backward, a["dout"], cache)
        return {"out": out, "dx": dx, "dw": dw, "db": db}
    return call


def _pool(forward, backward, pool_size, stride):
    def call(a):
        out, cache = forward(a["x"], pool_size=pool_size, stride=stride)
        return {"out": out, "dx": _twice(backward, a["dout"], cache)}
    return call


def _relu(a):
    out, cache = layers.relu_forward(a["x"])
    return {"out": out, "dx": _twice(layers.relu_backward, a["dout"], cache)}


def _affine(a):
    out, cache = layers.affine_forward(a["x"], a["w"], a["b"])
    dx, dw, db = _twice(layers.affine_backward, a["dout"], cache)
    return {"out": out, "dx": dx, "dw": dw, "db": db}


def _softmax_ce(a):
    loss, dscores = layers.softmax_cross_entropy(a["scores"], a["y"])
    assert np.ndim(loss) == 0 and np.isfinite(loss), f"loss must be a finite scalar, got {loss!r}"
    return {"dscores": dscores}


def _optimizer(name):
    def call(a):
        step, config, outputs, w = getattr(optim, name), None, {}, a["w"]
        for k in range(3):
            w, config = step(w, a["dw"], config)
            outputs[f"w after step {k + 1}"] = w
        outputs.update({f"config[{key!r}]": v for key, v in config.items()
                        if isinstance(v, np.ndarray)})
        return outputs
    return call


def _dropout(training):
    def call(a):
        out, cache = reg.dropout_forward(a["x"], 0.5, training=training,
                                         rng=np.random.default_rng(0))
        return {"out": out, "dx": _twice(reg.dropout_backward, a["dout"], cache)}
    return call


def _penalty(fn, **kwargs):
    return lambda a: {"dw": fn(a["w"], 0.3, n=4, **kwargs)[1]}


CASES = [
    # 01_convolution
    Case("correlate2d", {"image": (6, 7), "kernel": (3, 2)},
         lambda a: {"out": conv.correlate2d(a["image"], a["kernel"], stride=2, pad=1)}),
    Case("convolve2d", {"image": (6, 7), "kernel": (3, 2)},
         lambda a: {"out": conv.convolve2d(a["image"], a["kernel"])}),
    Case("template_match", {"image": (9, 9), "template": (3, 3)},
         lambda a: {"out": conv.template_match(a["image"], a["template"])}),
    Case("relu", {"x": (4, 5)}, lambda a: {"out": conv.relu(a["x"])}),
    Case("max_pool2d-floor", {"image": (7, 6)},
         lambda a: {"out": conv.max_pool2d(a["image"], 2, 2)}),
    Case("max_pool2d-ceil", {"image": (7, 6)},
         lambda a: {"out": conv.max_pool2d(a["image"], 3, 2, ceil_mode=True)}),
    # 02_cnn_layers
    Case("zero_pad", {"x": (2, 3, 4, 2)}, lambda a: {"out": layers.zero_pad(a["x"], 1)}),
    Case("zero_pad-0", {"x": (2, 3, 4, 2)}, lambda a: {"out": layers.zero_pad(a["x"], 0)}),
    Case("conv-s1-p0", {"x": (2, 5, 6, 3), "w": (3, 2, 3, 4), "b": (4,), "dout": (2, 3, 5, 4)},
         _conv(1, 0)),
    Case("conv-s2-p1", {"x": (2, 5, 6, 3), "w": (3, 2, 3, 4), "b": (4,), "dout": (2, 3, 4, 4)},
         _conv(2, 1)),
    Case("conv-many-channels-s1-p0",
         {"x": (1, 4, 5, 20), "w": (2, 2, 20, 3), "b": (3,), "dout": (1, 3, 4, 3)}, _conv(1, 0)),
    Case("max_pool-2x2-s1", {"x": (2, 6, 5, 2), "dout": (2, 5, 4, 2)},
         _pool(layers.max_pool_forward, layers.max_pool_backward, 2, 1)),
    Case("max_pool-3x2-default", {"x": (2, 6, 5, 2), "dout": (2, 2, 2, 2)},
         _pool(layers.max_pool_forward, layers.max_pool_backward, (3, 2), None)),
    Case("avg_pool-2x2-s1", {"x": (2, 6, 5, 2), "dout": (2, 5, 4, 2)},
         _pool(layers.avg_pool_forward, layers.avg_pool_backward, 2, 1)),
    Case("avg_pool-3x2-default", {"x": (2, 6, 5, 2), "dout": (2, 2, 2, 2)},
         _pool(layers.avg_pool_forward, layers.avg_pool_backward, (3, 2), None)),
    Case("relu_forward-backward", {"x": (2, 3, 4), "dout": (2, 3, 4)}, _relu),
    Case("affine", {"x": (3, 2, 2, 2), "w": (8, 5), "b": (5,), "dout": (3, 5)}, _affine),
    Case("softmax", {"scores": (4, 6)}, lambda a: {"probs": layers.softmax(a["scores"])}),
    Case("softmax_cross_entropy", {"scores": (4, 6)}, _softmax_ce,
         labels={"y": np.array([0, 5, 2, 2])}),
    # 03_optimization
    *[Case(name, {"w": (3, 4), "dw": (3, 4)}, _optimizer(name))
      for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")],
    Case("l1_penalty", {"w": (3, 4)}, _penalty(reg.l1_penalty)),
    Case("l2_penalty", {"w": (3, 4)}, _penalty(reg.l2_penalty)),
    Case("elastic_net_penalty", {"w": (3, 4)}, _penalty(reg.elastic_net_penalty, l1_ratio=0.3)),
    Case("dropout-training", {"x": (5, 6), "dout": (5, 6)}, _dropout(True)),
    Case("dropout-test-mode", {"x": (5, 6), "dout": (5, 6)}, _dropout(False)),
]

KINDS = ["float32", "float64", "int", "bool", "mixed"]


def spec_dtype(*dtypes) -> np.dtype:
    """The contract's rule (docs/contract.md §1): np.result_type of the inputs; int or bool -> float64."""
    dtype = np.result_type(*dtypes)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def expected_dtype(case: Case, arrays: Arrays, output: str) -> np.dtype:
    """A forward output ('out') depends on the forward inputs only; anything else on all."""
    names = [n for n in case.shapes if not (output == "out" and n == "dout")]
    return spec_dtype(*(arrays[n].dtype for n in names))


def make_inputs(case: Case, kind: str, seed: int = 0) -> Arrays:
    """The case's inputs in ``kind``: 'mixed' makes the first input float32, the rest float64."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for k, (name, shape) in enumerate(case.shapes.items()):
        values = rng.standard_normal(shape) * 2
        if kind == "int":
            arrays[name] = np.round(values).astype(np.int64)
        elif kind == "bool":
            arrays[name] = values > 0
        elif kind == "mixed":
            arrays[name] = values.astype(np.float32 if k == 0 else np.float64)
        else:
            arrays[name] = values.astype(kind)
    arrays.update({name: v.copy() for name, v in case.labels.items()})
    return arrays


def _params(kinds):
    return [pytest.param(case, kind, id=f"{case.id}-{kind}") for case in CASES for kind in kinds
            if kind != "mixed" or len(case.shapes) >= 2]


@pytest.mark.parametrize("case, kind", _params(["float64", "float32", "int", "mixed"]))
def test_no_function_modifies_its_inputs(case, kind):
    arrays = make_inputs(case, kind)
    copies = {name: v.copy() for name, v in arrays.items()}
    case.call(arrays)
    for name, before in copies.items():
        after = arrays[name]
        assert after.dtype == before.dtype and after.shape == before.shape, \
            f"{case.id}: input {name!r} changed from {before.dtype}{before.shape} to " \
            f"{after.dtype}{after.shape}"
        changed = before != after
        if changed.any():
            idx = tuple(int(i) for i in np.argwhere(changed)[0])
            raise AssertionError(f"{case.id}: input {name!r}{list(idx)} was modified from "
                                 f"{float(before[idx]):.10g} to {float(after[idx]):.10g}")


@pytest.mark.parametrize("case, kind", _params(KINDS))
def test_dtype_follows_the_input(case, kind):
    arrays = make_inputs(case, kind)
    outputs = case.call(arrays)
    for name, out in outputs.items():
        if kind == "mixed" and name.startswith("config["):
            continue      # docs/contract.md §5: the state has "w's dtype"; with w float32 and dw float64 it is open
        assert isinstance(out, np.ndarray), f"{case.id}: {name} is {type(out).__name__}"
        expected = expected_dtype(case, arrays, name)
        assert out.dtype == expected, \
            f"{case.id} with {kind} inputs: {name} is {out.dtype}, expected {expected}"
        if kind in ("float32", "float64"):
            assert out.dtype == kind, f"{case.id}: {name} is {out.dtype} for {kind} inputs"
    if kind == "float64":
        return
    # The same values in float64 must give the same results (to float32 precision for float32).
    twin = {name: (v if name in case.labels else v.astype(np.float64))
            for name, v in arrays.items()}
    reference_outputs = case.call(twin)
    for name, out in outputs.items():
        expected = reference_outputs[name]
        rtol = 1e-4 if out.dtype == np.float32 else 1e-12
        scale = float(np.abs(expected).max(initial=0.0)) or 1.0
        bad = np.abs(out - expected) > rtol * (np.abs(expected) + scale)
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise AssertionError(f"{case.id} with {kind} inputs: {name}{list(idx)} is "
                                 f"{float(out[idx]):.10g}, with the same inputs in float64 "
                                 f"{float(expected[idx]):.10g}")


# ---------------------------------------------------------------------------
# Bad arguments: ValueError naming the argument
# ---------------------------------------------------------------------------

X = np.zeros((2, 3, 3, 3))
W = np.zeros((2, 2, 3, 4))
B = np.zeros(4)

BAD_CALLS = [  # (id, call, words the message must name)
    ("conv_forward-filter-larger-than-input",
     lambda: layers.conv_forward(X, np.zeros((4, 4, 3, 4)), B), ["w"]),
    ("conv_forward-filter-wider-than-padded-input",
     lambda: layers.conv_forward(X, np.zeros((2, 6, 3, 4)), B, pad=1), ["w"]),
    ("conv_forward-stride-0", lambda: layers.conv_forward(X, W, B, stride=0), ["stride"]),
    ("conv_forward-pad-negative", lambda: layers.conv_forward(X, W, B, pad=-1), ["pad"]),
    ("conv_forward-channel-mismatch", lambda: layers.conv_forward(X, np.zeros((2, 2, 2, 4)), B),
     ["w", "x"]),
    ("conv_forward-bias-mismatch", lambda: layers.conv_forward(X, W, np.zeros(3)), ["b"]),
    ("zero_pad-pad-negative", lambda: layers.zero_pad(X, -1), ["pad"]),
    ("max_pool_forward-window-larger", lambda: layers.max_pool_forward(X, pool_size=4),
     ["pool_size"]),
    ("max_pool_forward-rect-window-larger",
     lambda: layers.max_pool_forward(X, pool_size=(2, 4)), ["pool_size"]),
    ("max_pool_forward-stride-0", lambda: layers.max_pool_forward(X, 2, stride=0), ["stride"]),
    ("max_pool_forward-pool-size-0", lambda: layers.max_pool_forward(X, pool_size=(0, 2)),
     ["pool_size"]),
    ("avg_pool_forward-window-larger", lambda: layers.avg_pool_forward(X, pool_size=(4, 2)),
     ["pool_size"]),
    ("avg_pool_forward-stride-0", lambda: layers.avg_pool_forward(X, 2, stride=(1, 0)), ["stride"]),
    ("affine_forward-D-mismatch", lambda: layers.affine_forward(X, np.zeros((26, 5)), np.zeros(5)),
     ["w", "x"]),
    ("affine_forward-bias-mismatch",
     lambda: layers.affine_forward(X, np.zeros((27, 5)), np.zeros(4)), ["b"]),
    ("softmax_cross_entropy-y-shape",
     lambda: layers.softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1])), ["y"]),
    ("softmax_cross_entropy-y-out-of-range",
     lambda: layers.softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1, 4])), ["y"]),
    ("max_pool2d-window-larger", lambda: conv.max_pool2d(np.zeros((3, 3)), size=4), ["size"]),
    ("max_pool2d-stride-0", lambda: conv.max_pool2d(np.zeros((4, 4)), 2, stride=0), ["stride"]),
    ("correlate2d-kernel-larger", lambda: conv.correlate2d(np.zeros((3, 3)), np.zeros((4, 1))),
     ["kernel"]),
    ("convolve2d-pad-negative", lambda: conv.convolve2d(np.zeros((3, 3)), np.zeros((2, 2)), pad=-1),
     ["pad"]),
    *[(f"{name}-dw-shape", partial(getattr(optim, name), np.zeros(3), np.zeros(4)), ["dw"])
      for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")],
    ("dropout_forward-rate-1", lambda: reg.dropout_forward(np.zeros(3), 1.0), ["rate"]),
]


@pytest.mark.parametrize("call, words", [pytest.param(c, w, id=i) for i, c, w in BAD_CALLS])
def test_bad_arguments_raise_value_error_naming_the_argument(call, words):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    for word in words:
        assert re.search(rf"\b{word}\b", message), \
            f"the ValueError message does not name {word!r}: {message!r}"
