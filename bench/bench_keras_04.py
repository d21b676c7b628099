"""Benchmark: the reference Keras models of assignment 04 trained on the full data sets;
test accuracy per epoch and seconds per epoch on this machine (not run by CI).

Three models of ``solutions/04_keras_cnn/keras_cnn.py``, each trained with Keras's ``fit`` on
all 60,000 training images (no validation split) in batches of 128, seed 0, and evaluated on
the 10,000 test images after every epoch:

* ``lenet5``: ``build_lenet5`` on MNIST, Adam 1e-3. Target: >= 99.0%.
* ``own``: ``build_model`` on MNIST, recompiled as the lab notebook does for its final
  training: Adam from 1e-3, the learning rate times 0.8 after each epoch
  (``ExponentialDecay(..., staircase=True)``). Target: >= 99.3% (aim 99.5%).
* ``fashion``: ``build_fashion_cnn`` (the slides' "simple architecture") on Fashion-MNIST
  (Debian's ``dataset-fashion-mnist``), Adam from 1e-3 times 0.9 after each epoch, as in the
  notebook. Target: >= 91.5% (the slides: "92%").

    nice .venv/bin/python bench/bench_keras_04.py [--models lenet5,own,fashion]
        [--epochs-lenet5 15] [--epochs-own 15] [--epochs-fashion 15] [--save DIR]

The results go to ``bench/results/keras_04.json`` (and the table to stdout); ``--save DIR``
also saves each trained model as ``DIR/<model>.keras`` (e.g. to try the grader's model-file
checks on a real trained model). The device is whatever TensorFlow finds (CPU or GPU); the
report names it. The exit code is 1 when a model misses its target after its last epoch.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"lenet5": 0.990, "own": 0.993, "fashion": 0.915}
DECAY = {"lenet5": None, "own": 0.8, "fashion": 0.9}     # learning rate times this after each epoch
BUILDERS = {"lenet5": "build_lenet5", "own": "build_model", "fashion": "build_fashion_cnn"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="lenet5,own,fashion", help="comma-separated: lenet5, own, fashion")
    for name in TARGETS:
        parser.add_argument(f"--epochs-{name}", type=int, default=15, help=f"epochs of {name} (15)")
    parser.add_argument("--batch-size", type=int, default=128, help="mini-batch size (128)")
    parser.add_argument("--seed", type=int, default=0, help="keras.utils.set_random_seed before each model")
    parser.add_argument("--save", type=Path, default=None, help="save the trained models as DIR/<model>.keras")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "keras_04.json",
                        help="where to write the results (JSON)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np
    import tensorflow as tf

    sys.path.insert(0, str(ROOT))
    from autograder.datasets import add_channel, load_fashion_mnist, load_mnist, to_float
    from autograder.references import reference

    solution = reference("04_keras_cnn", "keras_cnn")
    gpus = tf.config.list_physical_devices("GPU")
    device = ", ".join(d.name for d in gpus) or f"CPU only ({os.cpu_count()} cores)"
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}; device: {device}")

    def split(data):
        return (add_channel(to_float(data.images)), data.labels.astype(np.int64))

    results, met = {"device": device, "tensorflow": tf.__version__, "keras": keras.__version__,
                    "batch_size": args.batch_size, "models": {}}, True
    for name in args.models.split(","):
        epochs = getattr(args, f"epochs_{name}")
        data = load_fashion_mnist() if name == "fashion" else load_mnist()
        (x, y), (x_test, y_test) = split(data.train), split(data.test)
        keras.utils.set_random_seed(args.seed)
        model = getattr(solution, BUILDERS[name])()
        rows = []
        if DECAY[name] is not None:
            steps = -(-len(x) // args.batch_size)
            solution.compile_classifier(model, keras.optimizers.schedules.ExponentialDecay(
                1e-3, steps, DECAY[name], staircase=True))
        print(f"\n{name}: {BUILDERS[name]}(), {model.count_params():,} parameters, {epochs} epochs on "
              f"{len(x):,} images, batch {args.batch_size}, learning rate 1e-3"
              + (f" x {DECAY[name]} per epoch" if DECAY[name] else ""))
        for epoch in range(epochs):
            start = time.perf_counter()
            history = model.fit(x, y, epochs=epoch + 1, initial_epoch=epoch, batch_size=args.batch_size,
                                shuffle=True, verbose=0)
            seconds = time.perf_counter() - start
            start = time.perf_counter()
            probs = model.predict(x_test, batch_size=1000, verbose=0)
            predict_seconds = time.perf_counter() - start
            accuracy = float(np.mean(probs.argmax(axis=1) == y_test))
            rows.append({"epoch": epoch + 1, "loss": float(history.history["loss"][-1]),
                         "train_accuracy": float(history.history["accuracy"][-1]),
                         "test_accuracy": accuracy, "seconds": round(seconds, 1),
                         "predict_seconds": round(predict_seconds, 2)})
            print(f"  epoch {epoch + 1:>2}: loss {rows[-1]['loss']:.4f}, test accuracy {accuracy:.4f}, "
                  f"{seconds:.1f} s (predicting the test set: {predict_seconds:.1f} s)", flush=True)
        final = rows[-1]["test_accuracy"] if rows else 0.0
        ok = final >= TARGETS[name]
        met = met and ok
        results["models"][name] = {"builder": BUILDERS[name], "params": int(model.count_params()), "decay": DECAY[name],
                                   "epochs": rows, "final_test_accuracy": final,
                                   "best_test_accuracy": max((r["test_accuracy"] for r in rows), default=0.0),
                                   "target": TARGETS[name], "met": ok,
                                   "seconds_per_epoch": round(float(np.median([r["seconds"] for r in rows])), 1)
                                   if rows else None}
        print(f"{name}: test accuracy {final:.4f} after {epochs} epochs (target {TARGETS[name]:.3f}: "
              f"{'met' if ok else 'NOT met'}), median {results['models'][name]['seconds_per_epoch']} s per epoch")
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            model.save(args.save / f"{name}.keras")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nresults written to {args.output}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
