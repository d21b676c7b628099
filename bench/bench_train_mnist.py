"""Benchmark: the numpy CNN of assignment 03 trained on full MNIST; test accuracy and wall time.

The network is ``solutions/03_optimization/network.py`` built from the reference layers (02),
optimizers and regularization (03):

    conv 3x3x16 (pad 1) -> relu -> max pool 2 -> conv 3x3x32 (pad 1) -> relu -> max pool 2
    -> affine 1568 -> 128 -> relu -> affine 128 -> 10, He initialisation, float32

trained with Adam (learning rate 1e-3) on mini-batches of 64 of the 60,000 training images,
for 3 epochs; the 10,000 test images are evaluated after every epoch. The target is at least
98% test accuracy within 5 minutes of wall time (training plus evaluation) on the course's
2-core machine.

    .venv/bin/python bench/bench_train_mnist.py [--epochs 3] [--subset 5000]

``--subset N`` trains on the first N training images only (a quick run; the targets then do
not apply). BLAS runs single-threaded unless ``--blas-threads`` says otherwise: the matrices
of a batch of 64 are small, and a second BLAS thread mostly waits for a busy core. A training
curve is saved to ``bench/results/train_mnist.png``. The exit code is 1 when a full run misses
a target.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ACCURACY = 0.98
TARGET_SECONDS = 300.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="passes over the training set (3)")
    parser.add_argument("--subset", type=int, default=None,
                        help="train on the first N training images only (quick run)")
    parser.add_argument("--batch-size", type=int, default=64, help="mini-batch size (64)")
    parser.add_argument("--learning-rate", type=float, default=1e-3, help="Adam's step size (1e-3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the initialisation and shuffling")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="threads of numpy's BLAS (1; 0 keeps the environment's setting)")
    parser.add_argument("--no-progress", action="store_true", help="no tqdm progress bar")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "train_mnist.png",
                        help="where to save the training curve (PNG)")
    return parser.parse_args(argv)


def save_curve(history, path: Path, steps_per_epoch: int, title: str) -> None:
    """Training loss per step (and its running mean) and accuracy per epoch, as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    steps = np.arange(1, len(history.step_loss) + 1)
    left.plot(steps, history.step_loss, lw=0.5, alpha=0.4, label="mini-batch loss")
    window = min(50, len(history.step_loss))
    smooth = np.convolve(history.step_loss, np.ones(window) / window, mode="valid")
    left.plot(steps[window - 1:], smooth, lw=1.5, label=f"running mean of {window}")
    left.set(xlabel="step", ylabel="cross-entropy loss", yscale="log", title="training loss")
    left.legend()
    epochs = np.arange(1, len(history.accuracy) + 1)
    right.plot(epochs, history.accuracy, "o-", label="training (mean over the epoch)")
    if history.val_accuracy:
        right.plot(epochs, history.val_accuracy, "s-", label="test")
    right.axhline(TARGET_ACCURACY, color="gray", ls="--", lw=1, label=f"target {TARGET_ACCURACY:.0%}")
    right.set(xlabel="epoch", ylabel="accuracy", title="accuracy", xticks=epochs)
    right.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.blas_threads:                 # must happen before numpy is imported
        for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
            os.environ[name] = str(args.blas_threads)
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from autograder.datasets import add_channel, load_mnist, to_float
    from autograder.references import reference

    layers = reference("02_cnn_layers", "layers")
    optim = reference("03_optimization", "optim")
    regularization = reference("03_optimization", "regularization")
    network = reference("03_optimization", "network")

    start = time.perf_counter()
    data = load_mnist()
    n = len(data.train.labels) if args.subset is None else args.subset
    x_train = add_channel(to_float(data.train.images[:n]))     # (N, 28, 28, 1) float32 in [0, 1]
    y_train = data.train.labels[:n].astype(np.int64)
    x_test = add_channel(to_float(data.test.images))
    y_test = data.test.labels.astype(np.int64)
    load_seconds = time.perf_counter() - start

    rng = np.random.default_rng(args.seed)
    net = network.ConvNet(layers, regularization, rng, input_shape=(28, 28, 1), channels=(16, 32),
                          filter_size=3, hidden=128, init="he", dtype=np.float32)
    print(f"numpy CNN conv3x3x16-pool-conv3x3x32-pool-fc128-fc10 "
          f"({sum(p.size for p in net.params.values()):,} parameters); Adam lr {args.learning_rate}, "
          f"batch {args.batch_size}, {args.epochs} epochs on {n:,} training images; "
          f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; {os.cpu_count()} CPUs")
    start = time.perf_counter()
    history = network.train(net, optim, x_train, y_train, rng=rng, x_val=x_test, y_val=y_test,
                            optimizer="adam", config={"learning_rate": args.learning_rate},
                            epochs=args.epochs, batch_size=args.batch_size,
                            progress=not args.no_progress)
    seconds = time.perf_counter() - start

    for epoch, (loss, acc, test_acc, sec) in enumerate(
            zip(history.loss, history.accuracy, history.val_accuracy, history.seconds), start=1):
        print(f"epoch {epoch}: train loss {loss:.4f}, train accuracy {acc:.4f}, "
              f"test accuracy {test_acc:.4f}, {sec:.1f} s")
    accuracy = history.val_accuracy[-1]
    print(f"test accuracy {accuracy:.4f} ({len(y_test):,} images); wall time {seconds:.1f} s "
          f"training + evaluation ({load_seconds:.1f} s loading MNIST)")
    steps_per_epoch = -(-n // args.batch_size)
    save_curve(history, args.output, steps_per_epoch,
               f"numpy CNN on MNIST: {accuracy:.2%} test accuracy, {seconds:.0f} s")
    print(f"training curve saved to {args.output}")
    if args.subset is not None:
        return 0
    met = accuracy >= TARGET_ACCURACY and seconds <= TARGET_SECONDS
    print(f"target >= {TARGET_ACCURACY:.0%} in <= {TARGET_SECONDS:.0f} s: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
