"""Benchmark: the reference conv layer (numpy) against TensorFlow-CPU, forward + backward.

For each MNIST-sized layer below, one step is ``conv_forward`` then ``conv_backward`` (dx, dw
and db) of ``solutions/02_cnn_layers/layers.py``, against ``tf.nn.conv2d`` + bias under a
``tf.GradientTape`` (compiled with ``tf.function``) giving the same three gradients. Both run
in this one process, float32, stride 1, pad 0, after a warm-up; the timed repeats are
interleaved (numpy, TF, TF, numpy, ...) so that a noisy neighbour slows both alike, and the
table reports medians and the ratio numpy / TF. The target is a ratio of at most 2.0 on every
layer (aim: below 1).

    .venv/bin/python bench/bench_conv.py [--repeats 30] [--baseline OLD_LAYERS.py]

``--baseline`` also times another copy of layers.py (e.g. the version before an
optimisation, ``git show HEAD~1:solutions/02_cnn_layers/layers.py > /tmp/old.py``), in the
same interleaved loop. The exit code is 1 when a ratio misses the target.
"""
from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")   # before TensorFlow is imported

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder.references import load_module, reference  # noqa: E402

# (name, x shape (N, H, W, C), w shape (HH, WW, C, F)); stride 1, pad 0.
LAYERS = (
    ("64x28x28x1 -> 32, 3x3", (64, 28, 28, 1), (3, 3, 1, 32)),
    ("64x13x13x32 -> 64, 3x3", (64, 13, 13, 32), (3, 3, 32, 64)),
    ("128x28x28x1 -> 32, 5x5", (128, 28, 28, 1), (5, 5, 1, 32)),
)
TARGET_RATIO = 2.0


def numpy_step(layers, x, w, b, dout):
    """One forward + backward pass of the numpy layer -> (out, dx, dw, db)."""
    out, cache = layers.conv_forward(x, w, b, stride=1, pad=0)
    dx, dw, db = layers.conv_backward(dout, cache)
    return out, dx, dw, db


def make_tf_step():
    """A compiled TF forward + backward: (x, w, b, dout) -> (out, dx, dw, db)."""
    import tensorflow as tf

    @tf.function
    def step(x, w, b, dout):
        with tf.GradientTape() as tape:
            tape.watch([x, w, b])
            out = tf.nn.conv2d(x, w, strides=1, padding="VALID") + b
        dx, dw, db = tape.gradient(out, [x, w, b], output_gradients=dout)
        return out, dx, dw, db

    def run(x, w, b, dout):
        return [t.numpy() for t in step(x, w, b, dout)]

    return tf, run


def time_interleaved(steps: dict, repeats: int, warmup: int) -> dict[str, list[float]]:
    """Call every step ``warmup`` times, then ``repeats`` rounds of each in turn; seconds.

    The order alternates between rounds (a, b, b, a, ...), so no step always runs right after
    the same other one (whose threads may still be spinning).
    """
    for _ in range(warmup):
        for step in steps.values():
            step()
    times = {name: [] for name in steps}
    for round_ in range(repeats):
        order = list(steps.items())
        for name, step in (order if round_ % 2 == 0 else order[::-1]):
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed rounds per layer (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (3)")
    parser.add_argument("--baseline", type=Path, help="another layers.py to time alongside")
    args = parser.parse_args(argv)

    layers = reference("02_cnn_layers", "layers")
    baseline = load_module(args.baseline, "_bench_baseline_layers") if args.baseline else None
    tf, tf_step = make_tf_step()
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, TensorFlow {tf.__version__}, {os.cpu_count()} CPUs, "
          f"TF intra-op threads {tf.config.threading.get_intra_op_parallelism_threads() or 'auto'}; "
          f"median of {args.repeats} interleaved repeats after {args.warmup} warm-up, float32")
    header = f"{'layer (N x H x W x C -> F, filter)':<26} {'numpy ms':>9} {'TF ms':>8} {'numpy/TF':>9}"
    if baseline is not None:
        header += f" {'baseline ms':>12} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, x_shape, w_shape in LAYERS:
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = rng.standard_normal(w_shape, dtype=np.float32) * np.float32(0.1)
        b = rng.standard_normal(w_shape[3], dtype=np.float32)
        out_shape = (x_shape[0], x_shape[1] - w_shape[0] + 1, x_shape[2] - w_shape[1] + 1, w_shape[3])
        dout = rng.standard_normal(out_shape, dtype=np.float32)
        tensors = [tf.constant(a) for a in (x, w, b, dout)]
        # The two sides must compute the same thing before their times mean anything.
        for ours, theirs, what in zip(numpy_step(layers, x, w, b, dout), tf_step(*tensors),
                                      ("out", "dx", "dw", "db")):
            scale = max(1.0, float(np.abs(theirs).max()))
            if ours.dtype != np.float32 or not np.allclose(ours, theirs, rtol=1e-4, atol=1e-4 * scale):
                print(f"{name}: numpy {what} differs from TensorFlow's; not timing a wrong layer.")
                return 2
        # partial binds this layer's arrays now (a lambda would see the loop's variables later).
        steps = {"numpy": functools.partial(numpy_step, layers, x, w, b, dout),
                 "tf": functools.partial(tf_step, *tensors)}
        if baseline is not None:
            steps["baseline"] = functools.partial(numpy_step, baseline, x, w, b, dout)
        times = time_interleaved(steps, args.repeats, args.warmup)
        ms = {key: 1e3 * statistics.median(values) for key, values in times.items()}
        ratio = ms["numpy"] / ms["tf"]
        worst = max(worst, ratio)
        line = f"{name:<26} {ms['numpy']:>9.2f} {ms['tf']:>8.2f} {ratio:>9.2f}"
        if baseline is not None:
            line += f" {ms['baseline']:>12.2f} {ms['baseline'] / ms['numpy']:>8.1f}x"
        print(line)
    met = worst <= TARGET_RATIO
    print(f"worst ratio numpy/TF {worst:.2f}: target <= {TARGET_RATIO} {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
