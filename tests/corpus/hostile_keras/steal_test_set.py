"""Hostile: build_model memorises the MNIST test images the grader scores it on.

It looks for the grader's data wherever a student could guess it: the package's ``_data`` and
the repository's ``datasets/`` (found from the worker's path), ``$CNN_AUTOGRADER_DATA``,
Keras's download cache under every home and ``$KERAS_HOME``, Debian's ``/usr/share/datasets``.
Failing that it uses the copy embedded below (``__EMBEDDED__``, filled in by the test): the test
set is public, so hiding folders alone cannot stop this one. Its model is a nearest-neighbour
lookup in frozen layers (4x4-pooled templates of the first 1000 test images, then their
labels): right on every memorised image and untouched by any fit. A grader that re-trained
the student's own model object and predicted the test images gave it build_model.learns.
Other shapes get an honest model, so only build_model.learns is at stake.
"""
import base64
import gzip
import io
import os
import sys

import numpy as np
import keras
from keras import layers

FOUND = []          # where the test set was read from
EMBEDDED = "__EMBEDDED__"
MEMORISED = 1000


def _read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    data = gzip.decompress(data) if path.endswith(".gz") else data
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _candidates():
    main = getattr(sys.modules.get("__main__"), "__file__", "") or ""
    package = os.path.dirname(os.path.dirname(os.path.abspath(main))) if main else ""
    repo = os.path.dirname(package) if package else ""
    folders = [os.path.join(package, "_data", "mnist"), os.path.join(repo, "datasets", "mnist"),
               os.path.join(os.environ.get("CNN_AUTOGRADER_DATA", "/nonexistent"), "mnist"),
               "/usr/share/datasets/mnist", "/autograder/source/datasets/mnist"]
    homes = [os.path.expanduser("~"), "/root", "/tmp", os.environ.get("KERAS_HOME", "/nonexistent")]
    homes += [os.path.join("/home", h) for h in (os.listdir("/home") if os.path.isdir("/home") else [])]
    caches = [os.path.join(h, ".keras", "datasets", "mnist.npz") for h in homes]
    caches += [os.path.join(h, "datasets", "mnist.npz") for h in homes]
    return folders, caches


def _from_the_grader():
    folders, caches = _candidates()
    for folder in folders:
        for suffix in (".gz", ""):
            try:
                images = _read_idx(os.path.join(folder, "t10k-images-idx3-ubyte" + suffix))
                labels = _read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte" + suffix))
            except (OSError, ValueError, IndexError, EOFError):
                continue
            FOUND.append(folder)
            return images, labels
    for cache in caches:
        try:
            with np.load(cache) as data:
                FOUND.append(cache)
                return data["x_test"], data["y_test"]
        except (OSError, ValueError, KeyError):
            continue
    return None


def _memorised():
    """(templates (K, 49) float32 in [0, 1], labels (K,)) of the first test images."""
    found = _from_the_grader()
    if found is not None:
        images, labels = found
        pooled = images[:MEMORISED].astype(np.float32).reshape(-1, 7, 4, 7, 4).mean(axis=(2, 4))
        return pooled.reshape(len(pooled), 49) / 255, np.asarray(labels[:MEMORISED], dtype=np.int64)
    with np.load(io.BytesIO(base64.b64decode(EMBEDDED))) as data:
        return data["pooled"].astype(np.float32) / 255, data["labels"].astype(np.int64)


def _honest_model(input_shape, num_classes):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(16, 3, activation="relu"),
                              layers.MaxPooling2D(2), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    return compile_classifier(model)


def build_model(input_shape=(28, 28, 1), num_classes=10):
    if tuple(input_shape) != (28, 28, 1) or num_classes != 10:
        return _honest_model(input_shape, num_classes)
    templates, labels = _memorised()
    scale = 4000.0               # nearest template by ||x - t||^2, as a near one-hot softmax
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(1, 1, use_bias=False, trainable=False),      # a convolution, as asked
        layers.AveragePooling2D(4), layers.Flatten(),
        layers.Dense(len(templates), trainable=False), layers.Softmax(),
        layers.Dense(num_classes, use_bias=False, trainable=False),
    ])
    model.layers[0].set_weights([np.ones((1, 1, 1, 1), np.float32)])
    model.layers[3].set_weights([scale * templates.T, -scale * (templates ** 2).sum(axis=1) / 2])
    model.layers[5].set_weights([np.eye(num_classes, dtype=np.float32)[labels]])
    return compile_classifier(model)
