"""Hostile submissions of 04's keras_cnn.py (issue 14, section 3): a student process that reads
or memorises the held-out data, or forges what the grader reads about training, loses exactly
the checks it plays and nothing else.

Each file of ``tests/corpus/hostile_keras/`` replaces functions of the reference solution
(``corpus_tools.patch_module``). Also here: the data folders are hidden from the student
process, and the clean evaluator refuses forged model configurations before building them.
"""
from __future__ import annotations

import base64
import io
import json
import types
from pathlib import Path

import numpy as np
import pytest

from autograder.datasets import load_mnist
from autograder.grading.runner import hidden_paths
from autograder.paths import PACKAGED_DATA, REPO_ROOT, data_dir
from autograder.sandbox import Sandbox, SandboxLimits, evaluator
from autograder.sandbox.limits import isolation_level

from corpus_tools import patch_module
from grading_helpers import SOLUTIONS, by_name, function_score, grade_files

pytest.importorskip("keras")

ASSIGNMENT = "04_keras_cnn"
REFERENCE = (SOLUTIONS / ASSIGNMENT / "keras_cnn.py").read_text(encoding="utf-8")
CORPUS = Path(__file__).parent / "corpus" / "hostile_keras"
FUNCTIONS = ("build_lenet5", "build_model", "train", "build_transfer_model", "unfreeze_top",
             "extract_features")
ROOT_ONLY = pytest.mark.skipif(isolation_level() != "full", reason="hiding folders needs root")
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _hostile(name: str, **fields: str) -> str:
    patch = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    for key, value in fields.items():
        patch = patch.replace(key, value)
    return patch_module(REFERENCE, patch)


def _embedded_test_set(n: int = 1000) -> str:
    """The first n test images, 4x4-pooled to 7x7 (uint8), and their labels: what a student
    could paste into a submission (MNIST's test set is public)."""
    test = load_mnist().test
    pooled = test.images[:n].astype(np.float32).reshape(n, 7, 4, 7, 4).mean(axis=(2, 4)).reshape(n, 49)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, pooled=np.round(pooled).astype(np.uint8), labels=test.labels[:n])
    return base64.b64encode(buffer.getvalue()).decode()


# ---------------------------------------------------------------------------
# The held-out data is out of the student process's reach
# ---------------------------------------------------------------------------

def test_hidden_paths_cover_every_copy_of_the_data(tmp_path, monkeypatch):
    fashion, keras_home = tmp_path / "fashion", tmp_path / "keras-home"
    (fashion).mkdir()
    (keras_home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(fashion))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    hidden = [Path(p) for p in hidden_paths()]

    def covered(folder: Path) -> bool:
        return any(folder.resolve().is_relative_to(h) for h in hidden)

    for folder in (data_dir(), REPO_ROOT / "datasets", PACKAGED_DATA, fashion, keras_home / "datasets"):
        assert covered(folder), f"{folder} is not hidden: {hidden}"


PEEK = '''
def readable(paths):
    """The paths this process can open and read a byte of."""
    found = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                if f.read(1):
                    found.append(path)
        except OSError:
            pass
    return found
'''


@ROOT_ONLY
def test_the_student_process_cannot_read_the_test_set():
    folders = [data_dir() / "mnist", REPO_ROOT / "datasets" / "mnist", PACKAGED_DATA / "mnist",
               Path.home() / ".keras" / "datasets"]
    paths = [str(f / name) for f in folders for name in TEST_FILES] + [str(Path.home() / ".keras/datasets/mnist.npz")]
    present = [p for p in paths if Path(p).is_file()]
    assert len(present) >= 2, "the grader's own MNIST is missing: nothing to hide"
    limits = SandboxLimits(call_timeout=30, import_timeout=30)
    with Sandbox({"peek.py": PEEK.encode()}, limits, hidden_paths()) as box:
        result = box.call("peek", "readable", present)
    assert result.ok, result
    assert result.value == [], f"the student process read {result.value}"


# ---------------------------------------------------------------------------
# build_model.learns: only the architecture comes from the student
# ---------------------------------------------------------------------------

def test_the_memorising_model_is_a_real_cheat():
    """Run here, the hostile build_model is right on every memorised test image, fit or not:
    a grader predicting with the student's own model object would give it the points."""
    import keras  # noqa: F401 - the patched module imports it

    from autograder.checks.keras_cnn import mnist_subset

    module = types.ModuleType("steal_test_set")
    exec(compile(_hostile("steal_test_set", __EMBEDDED__=_embedded_test_set()), "steal", "exec"), module.__dict__)
    module._from_the_grader = lambda: None          # the embedded copy, whatever this machine holds
    model = module.build_model()
    x, y = mnist_subset("train", 256)
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    x_test, y_test = mnist_subset("test", 1000)
    assert np.mean(model.predict(x_test, verbose=0).argmax(axis=1) == y_test) >= 0.99


def test_a_build_model_that_memorised_the_test_set_earns_nothing_for_learns(tmp_path):
    source = _hostile("steal_test_set", __EMBEDDED__=_embedded_test_set())
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": source}, only="build_model")
    results = by_name(report)
    for name in ("build_model.contract", "build_model.budget", "build_model.other_input"):
        assert results[name].status == "passed", f"{name}: {results[name].message}"
    learns = results["build_model.learns"]
    assert not learns.passed and learns.score == 0
    assert "internal grader error" not in learns.message
    assert "after training, the model is right on" in learns.message or "re-training a fresh copy" in learns.message


# ---------------------------------------------------------------------------
# train: judged by its effect on the weights, not by what the student process says
# ---------------------------------------------------------------------------

def test_a_train_that_forges_its_history_and_the_probes_earns_no_train_points(tmp_path):
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": _hostile("forge_history")})
    results = by_name(report)
    for name in ("train.history", "train.arguments", "train.learns"):
        assert not results[name].passed and results[name].score == 0, f"{name} passed"
    for name in ("train.history", "train.arguments"):
        assert "do not show a training by model.fit" in results[name].message, results[name].message
    for function in FUNCTIONS:
        if function != "train":
            score, maximum = function_score(report, function)
            assert score == maximum > 0, f"{function}: {score} / {maximum}"


# ---------------------------------------------------------------------------
# The clean evaluator refuses what it must not build
# ---------------------------------------------------------------------------

def _text(config: dict) -> np.ndarray:
    return np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)


def _layer(class_name, module="keras.layers", **config):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None}


def _sequential(*layers, loss="sparse_categorical_crossentropy", optimizer="adam"):
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": "s", "layers": [_layer("InputLayer", batch_shape=[None, 28, 28, 1]), *layers]},
            "compile_config": {"optimizer": optimizer, "loss": loss, "metrics": ["accuracy"]}}


DENSE = _layer("Dense", units=10, activation="softmax")
REFUSED = {
    "lambda": (_sequential(_layer("Flatten"), _layer("Lambda", function={"class_name": "__lambda__",
                                                                         "config": {"code": "AAAA"}}), DENSE),
               "class", {"name": "keras.layers.Lambda"}),
    "custom class": (_sequential(_layer("MyLayer", module="keras_cnn"), DENSE), "class",
                     {"name": "keras_cnn.MyLayer"}),
    "registered custom": (_sequential({**_layer("Dense", units=10), "registered_name": "Custom>Dense"}),
                          "class", {"name": "keras.layers.Dense"}),
    "module import": (_sequential({"module": "os", "class_name": "system", "config": "id"}), "class",
                      {"name": "os.system"}),
    "function from elsewhere": (_sequential(_layer("Dense", units=10, activation={
        "module": "posix", "class_name": "function", "config": "system", "registered_name": "function"})),
        "class", {"name": "posix.function"}),
    "subclassed model": ({**_sequential(DENSE), "class_name": "MyNet", "module": "keras_cnn"}, "class",
                         {"name": "MyNet"}),
    "weights in an initializer": (_sequential(_layer("Flatten"), _layer(
        "Dense", units=10, kernel_initializer=_layer("Constant", module="keras.initializers",
                                                     value=[0.5] * 7840))), "data", {"count": 7840}),
    "numpy array node": (_sequential(_layer("Flatten"), _layer(
        "Dense", units=10, kernel_initializer=_layer("Constant", module="keras.initializers", value={
            "class_name": "__numpy__", "config": {"value": [[1.0]], "dtype": "float32"}}))), "class",
        {"name": "__numpy__"}),
    "not compiled": ({k: v for k, v in _sequential(DENSE).items() if k != "compile_config"}, "not_compiled", {}),
    "one-hot loss": (_sequential(_layer("Flatten"), DENSE, loss="categorical_crossentropy"), "loss",
                     {"loss": "categorical_crossentropy"}),
    "long string": (_sequential(_layer("Flatten", name="x" * 5000), DENSE), "unreadable", {}),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_evaluator_refuses_forged_configurations(name):
    config, kind, fields = REFUSED[name]
    with pytest.raises(evaluator.Refused) as refused:
        evaluator.split_config(evaluator.parse_config(_text(config)))
    assert (refused.value.kind, refused.value.fields) == (kind, fields)


@pytest.mark.parametrize("data", [b"", b"{", b"[1, 2]", b"x" * (evaluator.MAX_TEXT + 1),
                                  b"[" * 100_000 + b"]" * 100_000, "not bytes"])
def test_the_evaluator_refuses_what_is_not_a_configuration(data):
    with pytest.raises(evaluator.Refused) as refused:
        evaluator.parse_config(np.frombuffer(data, np.uint8) if isinstance(data, bytes) else data)
    assert refused.value.kind == "unreadable"


def test_the_evaluator_counts_parameters_before_allocating_any():
    """A declared terabyte-sized layer is refused in milliseconds (no weight is created)."""
    import time

    huge = _sequential(_layer("Flatten"), _layer("Dense", units=10 ** 9), DENSE)
    start = time.monotonic()
    result = evaluator.retrain(_text(huge), np.zeros((2, 28, 28, 1)), np.zeros(2, int), np.zeros((2, 28, 28, 1)),
                               epochs=1, batch_size=2, seed=0, max_params=10 ** 7, input_shape=[28, 28, 1],
                               num_classes=10)
    assert result == {"refused": "params", "fields": {"params": 784 * 10 ** 9 + 10 ** 9 + 10 ** 10 + 10,
                                                      "limit": 10 ** 7}}
    assert time.monotonic() - start < 10


def test_honest_configurations_are_accepted():
    """The reference's nets, the functional API, a schedule, a regularizer, a loss object or
    function: every built-in way of writing a compiled CNN passes the check."""
    import keras
    from keras import layers

    from autograder.sandbox import probes

    module = types.ModuleType("reference")
    exec(compile(REFERENCE, "reference", "exec"), module.__dict__)
    inputs = keras.Input(shape=(28, 28, 1))
    h = layers.SeparableConv2D(8, 3, padding="same", pointwise_regularizer=keras.regularizers.L2(1e-4))(inputs)
    h = layers.Flatten()(layers.MaxPooling2D()(layers.ReLU()(layers.BatchNormalization()(h))))
    functional = keras.Model(inputs, layers.Dense(10, activation=keras.activations.softmax)(h))
    functional.compile(keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 100, 0.9)),
                       loss=keras.losses.sparse_categorical_crossentropy)
    other = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D(),
                              layers.Dense(10, activation="softmax")])
    other.compile(keras.optimizers.RMSprop(), keras.losses.SparseCategoricalCrossentropy())
    for model in (module.build_model(), module.build_lenet5(), functional, other):
        evaluator.split_config(evaluator.parse_config(probes.model_config(model)))
    result = evaluator.retrain(probes.model_config(functional), np.zeros((8, 28, 28, 1)), np.zeros(8, int),
                               np.zeros((4, 28, 28, 1)), epochs=1, batch_size=4, seed=0, max_params=10 ** 7,
                               input_shape=[28, 28, 1], num_classes=10)
    assert result["probs"].shape == (4, 10) and result["params"] == functional.count_params()


# ---------------------------------------------------------------------------
# Trained model files (issue 15): refused before Keras, never run, costing their check only
# ---------------------------------------------------------------------------

EMPTY_MODULE = "# the model-file checks call no function of keras_cnn.py\n"


@pytest.fixture(scope="module")
def model_files(tmp_path_factory):
    """name -> (bytes of a hostile or broken mnist_cnn.keras (None: no file), what the message
    says), and the marker file a Lambda's code would write."""
    import keras_model_files as kmf

    folder = tmp_path_factory.mktemp("model-files")
    marker = folder / "lambda-ran"
    small = kmf.small_model()
    honest = kmf.save(small, folder / "honest.keras")
    files = {
        "a Lambda layer with code": (kmf.save(kmf.lambda_model(marker), folder / "lambda.keras"),
                                     "names keras.layers.Lambda, which is not one of the Keras built-in"),
        "legacy HDF5 renamed .keras": (kmf.legacy_hdf5(small, folder), "it is an HDF5 file"),
        "a custom layer class": (kmf.save(kmf.custom_layer_model(), folder / "custom.keras"),
                                 "Doubling, which is not one of the Keras built-in"),
        "a truncated zip": (honest[:len(honest) * 2 // 3], "the zip archive is truncated or damaged"),
        "not a zip": (b"#!/bin/sh\nrm -rf ~\n", "it is not a .keras file"),
        "zip-slip entries": (kmf.zip_slip(honest), "whose path leaves its folder (../../model.weights.h5)"),
        "a config inflating to 2 GiB": (kmf.config_bomb(), "config.json inflates to more than 1,048,576 bytes"),
        "a 32x32x3 input": (kmf.save(kmf.small_model((32, 32, 3)), folder / "rgb.keras"),
                            "inputs of shape (32, 32, 3), expected (28, 28, 1)"),
        "a terabyte-sized layer": (kmf.terabyte_layer(honest), "parameters, more than the 2,000,000"),
        "no file": (None, "mnist_cnn.keras is missing from the submission (or was not read"),
    }
    return files, marker


def _grade_model_file(folder: Path, module: str, files: dict, only: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "keras_cnn.py").write_text(module, encoding="utf-8")
    for name, data in files.items():
        if data is not None:
            (folder / name).write_bytes(data)
    from autograder.grading.runner import grade
    return grade(folder, ASSIGNMENT, only=only)


@pytest.mark.parametrize("name", ["a Lambda layer with code", "legacy HDF5 renamed .keras", "a custom layer class",
                                  "a truncated zip", "not a zip", "zip-slip entries", "a config inflating to 2 GiB",
                                  "a 32x32x3 input", "a terabyte-sized layer", "no file"])
def test_a_hostile_or_broken_model_file_scores_zero_with_a_message(tmp_path, model_files, name):
    files, marker = model_files
    data, says = files[name]
    report = _grade_model_file(tmp_path / "s", EMPTY_MODULE, {"mnist_cnn.keras": data}, only="mnist_cnn")
    result = by_name(report)["mnist_cnn.accuracy"]
    assert not result.passed and result.score == 0, result
    assert says in result.message and "internal grader error" not in result.message, result.message
    assert result.elapsed < 30, f"{name}: refused after {result.elapsed:.0f} s, not before loading"
    assert not marker.exists()


def test_a_lambda_model_file_runs_nothing_and_costs_nothing_else(tmp_path, model_files):
    """A submission whose mnist_cnn.keras carries a Lambda layer's code: that check scores 0,
    the code never runs (its marker is never written), and the honest build_fashion_cnn and
    fashion_cnn.keras (scores, not probabilities, out) keep every point."""
    import keras_model_files as kmf

    files, marker = model_files
    fashion, _ = kmf.template_file("fashion", 0.92, logits=True)
    report = _grade_model_file(tmp_path / "s", REFERENCE, {"mnist_cnn.keras": files["a Lambda layer with code"][0],
                                                           "fashion_cnn.keras": fashion}, only="cnn")
    results = by_name(report)
    assert set(results) == {"build_fashion_cnn.layers", "build_fashion_cnn.other_input", "mnist_cnn.accuracy",
                            "fashion_cnn.accuracy"}
    assert results["mnist_cnn.accuracy"].score == 0 and "Lambda" in results["mnist_cnn.accuracy"].message
    for name in ("build_fashion_cnn.layers", "build_fashion_cnn.other_input", "fashion_cnn.accuracy"):
        assert results[name].status == "passed" and results[name].score == results[name].max_score > 0, \
            f"{name}: {results[name].message}"
    assert not marker.exists()


def test_the_clean_process_refuses_on_its_own_and_keras_safe_mode_too(tmp_path, model_files):
    """Behind the grader's checks: the clean process's predict_file checks the configuration
    again (a Lambda, a terabyte-sized layer: refused in seconds, nothing built), and Keras's
    safe_mode refuses the Lambda's code as well. Loaded unsafely, that code does run: the
    marker proves what the refusals prevent."""
    import keras

    files, marker = model_files
    x = np.zeros((4, 28, 28, 1), np.uint8)
    lam, tera = files["a Lambda layer with code"][0], files["a terabyte-sized layer"][0]
    kwargs = {"max_params": 2_000_000, "input_shape": [28, 28, 1], "num_classes": 10}
    assert evaluator.predict_file(np.frombuffer(lam, np.uint8), x, **kwargs) == {
        "refused": "class", "fields": {"name": "keras.layers.Lambda"}}
    result = evaluator.predict_file(np.frombuffer(tera, np.uint8), x, **kwargs)
    assert result["refused"] == "params" and result["fields"]["params"] > 10 ** 14
    path = tmp_path / "lambda.keras"
    path.write_bytes(lam)
    with pytest.raises(ValueError, match="safe_mode"):
        keras.saving.load_model(path, safe_mode=True, compile=False)
    assert not marker.exists()
    keras.saving.load_model(path, safe_mode=False, compile=False)(np.zeros((1, 28, 28, 1), "float32"))
    assert marker.read_text() == "ran"
    marker.unlink()
