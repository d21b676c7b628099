"""Model files for the tests of 04's trained-model checks, built without training.

:func:`template_model` is a nearest-template classifier of Keras built-in layers that is right
on an exact number of test images: AveragePooling2D(4) -> Flatten -> Dense(one unit per test
image, its pooled pixels as weights, -|t|^2 / 2 as bias, scaled) -> Softmax -> Dense(10, the
one-hot label of each template). Its largest logit is the template nearest the input (squared
distance |x - t|^2 = |x|^2 - 2 (x . t - |t|^2 / 2)), so on the test set each image finds itself;
giving some templates a wrong label sets the accuracy to the image. It also shows that a
public test set can be memorised by a small model (600,000 parameters for MNIST's 10,000).

The hostile and broken files (:data:`HOSTILE`) are each what a student could hand in as
``mnist_cnn.keras``; each maps to the refusal (``keras.file.<kind>``) the grader must give.
"""
from __future__ import annotations

import io
import json
import shutil
import struct
import tempfile
import zipfile
import zlib
from functools import cache
from pathlib import Path

import numpy as np

POOL = 4


def _pooled(images: np.ndarray, pool: int = POOL) -> np.ndarray:
    """(N, 28, 28) uint8 -> (N, (28 / pool)^2) float64: pool x pool means of the [0, 1] pixels,
    as the model's AveragePooling2D(pool) sees them."""
    n, side = len(images), 28 // pool
    return (images.astype(np.float64) / 255).reshape(n, side, pool, side, pool).mean(axis=(2, 4)).reshape(n, -1)


SCALE = 4000.0     # logits scale: the own template's softmax weight is ~1 but for near-duplicates


def _scores(x: np.ndarray, templates: np.ndarray, scale: float) -> np.ndarray:
    """scale * (x . t - |t|^2 / 2) for every row of x (M, 49) and template (N, 49): the logits."""
    return scale * (x @ templates.T - (templates ** 2).sum(axis=1) / 2)


def _outputs(x: np.ndarray, labels: np.ndarray, scale: float) -> np.ndarray:
    """The model's outputs (softmax of the logits, summed per template label) in float64."""
    out = np.empty((len(x), 10))
    for start in range(0, len(x), 500):
        logits = _scores(x[start:start + 500], x, scale)
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        out[start:start + 500] = weights @ np.eye(10)[labels]
    return out


def template_labels(images: np.ndarray, labels: np.ndarray, accuracy: float,
                    scale: float = SCALE, pool: int = POOL) -> tuple[np.ndarray, float]:
    """Labels for the templates (the test images) so that the nearest-template model is right
    on round(accuracy * N) images: (labels, the accuracy they give, computed in float64).

    Only templates that win their own image by a wide margin (the next template's logit 50
    lower) get a wrong label (the next class), so each change costs exactly that image."""
    x = _pooled(images, pool)
    labels = labels.astype(np.int64)
    right = _outputs(x, labels, scale).argmax(axis=1) == labels
    clear = []
    for start in range(0, len(x), 500):
        logits = _scores(x[start:start + 500], x, scale)
        own = logits[np.arange(len(logits)), start + np.arange(len(logits))]
        logits[np.arange(len(logits)), start + np.arange(len(logits))] = -np.inf
        clear.extend(start + np.flatnonzero(own - logits.max(axis=1) > 50))
    clear = [i for i in clear if right[i]]
    wrong = int(right.sum()) - round(accuracy * len(x))
    if not 0 <= wrong <= len(clear):
        raise ValueError(f"cannot reach {accuracy}: {int(right.sum())} right, {len(clear)} changeable")
    chosen = labels.copy()
    flipped = np.asarray(clear[:wrong], dtype=np.int64)
    chosen[flipped] = (chosen[flipped] + 1) % 10
    return chosen, float(np.mean(_outputs(x, chosen, scale).argmax(axis=1) == labels))


def template_model(images: np.ndarray, template_labels_: np.ndarray, scale: float = SCALE,
                   logits: bool = False, pool: int = POOL):
    """The nearest-template Keras model (see the module docstring) of ``images`` (N, 28, 28)
    uint8 with labels ``template_labels_`` (N,); with ``logits``, a last Dense(10) maps its
    probabilities p to 5 p - 2 (scores, not probabilities: the same argmax)."""
    import keras
    from keras import layers

    x = _pooled(images, pool)
    n = len(x)
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)), layers.AveragePooling2D(pool), layers.Flatten(),
        layers.Dense(n), layers.Softmax(), layers.Dense(10, use_bias=False),
        *([layers.Dense(10)] if logits else [])], name="templates")
    model.layers[2].set_weights([(scale * x.T).astype(np.float32),
                                 (-scale * (x ** 2).sum(axis=1) / 2).astype(np.float32)])
    model.layers[4].set_weights([np.eye(10, dtype=np.float32)[template_labels_]])
    if logits:
        model.layers[5].set_weights([5 * np.eye(10, dtype=np.float32), np.full(10, -2, np.float32)])
    return model


@cache
def template_file(data: str, accuracy: float, logits: bool = False, adam: bool = False) -> tuple[bytes, float]:
    """(the .keras file of a template model right on ``accuracy`` of the test images of
    ``data`` ("mnist" or "fashion"), that accuracy as computed in float64); built once per
    test session. With ``adam`` the model is compiled and the file holds Adam's two moments
    too, as a trained CNN's does: 7 MB, more than the sandbox lets a process write to disk."""
    from autograder.datasets import load_fashion_mnist, load_mnist

    split = (load_mnist() if data == "mnist" else load_fashion_mnist()).test
    labels, exact = template_labels(split.images, split.labels, accuracy)
    model = template_model(split.images, labels, logits=logits)
    if adam:
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.optimizer.build(model.trainable_variables)
    folder = Path(tempfile.mkdtemp(prefix="templates-"))
    try:
        return save(model, folder / "model.keras"), exact
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def save(model, path: Path) -> bytes:
    """``model.save(path)``; the file's bytes."""
    model.save(path)
    return Path(path).read_bytes()


def small_model(input_shape=(28, 28, 1)):
    """A small honest CNN (untrained), compiled."""
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(4, 3, activation="relu"),
                              layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# ---------------------------------------------------------------------------
# Hostile and broken files
# ---------------------------------------------------------------------------

def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes], compress: int = zipfile.ZIP_STORED) -> bytes:
    """A zip of ``parts`` (name -> bytes), names taken as they are (even '../x')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compress
            archive.writestr(info, content)
    return buffer.getvalue()


def with_config(data: bytes, change) -> bytes:
    """The .keras file ``data`` with its config.json changed by ``change(config)``."""
    parts = members(data)
    config = json.loads(parts["config.json"])
    change(config)
    parts["config.json"] = json.dumps(config).encode()
    return rezip(parts)


def lambda_model(marker: Path):
    """A model whose Lambda layer writes ``marker`` when it runs (its code is in the file)."""
    import keras
    from keras import layers

    code = eval(f"lambda x: (open({str(marker)!r}, 'w').write('ran'), x)[1]")   # noqa: S307 - test fixture
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Lambda(code), layers.Flatten(),
                              layers.Dense(10, activation="softmax")])
    if not marker.exists():
        raise AssertionError("building the model ran the Lambda, which should have written the marker")
    marker.unlink()            # written here, by the test's own build: the grader must not write it
    return model


def custom_layer_model():
    """A model with a student-defined layer class (registered, so that Keras saves it)."""
    import keras
    from keras import layers

    @keras.saving.register_keras_serializable(package="student")
    class Doubling(layers.Layer):
        def call(self, x):
            return 2 * x

    return keras.Sequential([keras.Input(shape=(28, 28, 1)), Doubling(), layers.Flatten(),
                             layers.Dense(10, activation="softmax")])


def _zip_raw(name: str, stream: bytes, size: int, crc: int, others: dict[str, bytes]) -> bytes:
    """A zip written by hand: ``name`` as the deflate ``stream`` declared to inflate to ``size``
    bytes with ``crc``, then ``others`` stored (headers of a plain zip, sizes under 4 GiB)."""
    local = struct.Struct("<4s5H3L2H")
    central = struct.Struct("<4s6H3L5H2L")
    entries = [(name.encode(), zipfile.ZIP_DEFLATED, stream, size, crc)]
    entries += [(n.encode(), zipfile.ZIP_STORED, d, len(d), zlib.crc32(d)) for n, d in others.items()]
    body, directory = b"", b""
    for raw, method, data, usize, check in entries:
        offset = len(body)
        body += local.pack(b"PK\x03\x04", 20, 0, method, 0, 0x21, check, len(data), usize, len(raw), 0) + raw + data
        directory += central.pack(b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, check, len(data), usize, len(raw),
                                  0, 0, 0, 0, 0, offset) + raw
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + directory + end


def config_bomb(inflated: int = 2 << 30) -> bytes:
    """A .keras-shaped zip (about 2 MB) whose deflated config.json inflates to ``inflated``
    bytes (2 GiB) of spaces: one compressed MiB repeated (each copy starts from an empty
    dictionary, after a full flush), then an empty last block."""
    mib = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    copies = inflated >> 20
    crc = 0
    for _ in range(copies):
        crc = zlib.crc32(mib, crc)
    stream = segment * copies + last.compress(b"") + last.flush()
    return _zip_raw("config.json", stream, copies << 20, crc, {"metadata.json": b"{}", "model.weights.h5": b""})


def terabyte_layer(honest: bytes) -> bytes:
    """``honest`` (a saved small_model) with its Dense layer declaring 10**12 units."""
    def change(config):
        dense = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")
        dense["config"]["units"] = 10 ** 12
    return with_config(honest, change)


def zip_slip(honest: bytes) -> bytes:
    parts = members(honest)
    parts["../../model.weights.h5"] = parts.pop("model.weights.h5")
    return rezip(parts)


def legacy_hdf5(model, folder: Path) -> bytes:
    path = folder / "legacy.h5"
    model.save(path)
    return path.read_bytes()

