"""Grading assignment 04 (Keras): the reference earns 100, the stubs 0, a correct submission in
another style 100 but for the model files it lacks, each known bug loses its function's points
with the right message, and the trained model files earn credit on the rubric's linear scale.

Every grading run imports TensorFlow in a student process (5-10 s) and trains small models,
so the bugs are grouped: each submission below carries one bug per function (the checks of
one function never depend on another's), graded once per module.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.checks.keras_expected import lenet5_table, numpy_forward, random_weights
from autograder.core.rubric import load_rubric

import keras_model_files as kmf
from corpus_tools import patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS, by_name, function_score, grade_files

pytest.importorskip("keras")

ASSIGNMENT = "04_keras_cnn"
REFERENCE = (SOLUTIONS / ASSIGNMENT / "keras_cnn.py").read_text(encoding="utf-8")
FUNCTIONS = ("build_lenet5", "build_fashion_cnn", "build_model", "train", "build_transfer_model",
             "unfreeze_top", "extract_features")
MODEL_FILES = ("mnist_cnn.accuracy", "fashion_cnn.accuracy")

# ---------------------------------------------------------------------------
# Bugs: (function, replacement source, {check: substring of its message}, checks that pass)
# ---------------------------------------------------------------------------

BUGS_A = {
    "build_lenet5": ('''
def build_lenet5(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(12, (5, 5), activation="relu", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Conv2D(25, (5, 5), activation="relu", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(180, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
        layers.Dense(num_classes, activation="softmax", kernel_initializer="he_normal"),
    ])
    return compile_classifier(model)
''', {"build_lenet5.layers": "the model has 9 layers"}, ()),
    "build_model": ('''
def build_model(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(16, 3, activation="relu"),
                              layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(num_classes)])
    return compile_classifier(model)
''', {"build_model.contract": "are not probabilities"}, ()),
    "train": ('''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    return model.fit(x, y, epochs=epochs, validation_split=validation_split, verbose=0)
''', {"train.arguments": "each epoch had 3 steps, expected 5"}, ("train.history", "train.learns")),
    "build_transfer_model": ('''
def build_transfer_model(base, num_classes, freeze=True, hidden=100):
    model = keras.Sequential([keras.Input(shape=base.input_shape[1:]), *feature_layers(base),
                              layers.Dense(hidden, activation="relu"), layers.Dropout(0.5),
                              layers.Dense(num_classes, activation="softmax")])
    return compile_classifier(model)
''', {"build_transfer_model.frozen": "expected 10,403 (the new classifier's"}, ("build_transfer_model.unfrozen",)),
    "unfreeze_top": ('''
def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    convs = [layer for layer in feature_layers(model) if layer.weights]
    for index, layer in enumerate(convs):
        layer.trainable = index < n_layers
    return compile_classifier(model, learning_rate)
''', {"unfreeze_top.values": "layer 0 (Conv2D) has trainable=True, expected False"}, ()),
    "extract_features": ('''
def extract_features(model, x, batch_size=256):
    extractor = keras.Sequential([keras.Input(shape=model.input_shape[1:]), *feature_layers(model)])
    return np.asarray(extractor(x, training=True))
''', {"extract_features.values": "dropout off"}, ("extract_features.conv",)),
}

BUGS_B = {
    "build_lenet5": ('''
def build_lenet5(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(12, (5, 5), activation="relu", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Conv2D(25, (5, 5), activation="relu", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(180, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax", kernel_initializer="he_normal"),
    ])
    return compile_classifier(model)
''', {"build_lenet5.other_input": "takes images of shape (28, 28, 1), expected (32, 32, 3)"},
        ("build_lenet5.layers", "build_lenet5.initializers", "build_lenet5.compiled")),
    "build_model": ('''
def build_model(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(16, 3, activation="relu"),
                              layers.MaxPooling2D(2), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''', {"build_model.contract": "categorical_crossentropy expects one-hot labels"}, ()),
    "train": ('''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, verbose=0)
''', {"train.history": "returned a NoneType", "train.arguments": "returned a NoneType"}, ()),
    "build_transfer_model": ('''
def build_transfer_model(base, num_classes, freeze=True, hidden=100):
    copy = keras.models.clone_model(base)
    for layer in feature_layers(copy):
        layer.trainable = not freeze
    model = keras.Sequential([keras.Input(shape=base.input_shape[1:]), *feature_layers(copy),
                              layers.Dense(hidden, activation="relu"), layers.Dropout(0.5),
                              layers.Dense(num_classes, activation="softmax")])
    return compile_classifier(model)
''', {"build_transfer_model.frozen": "not new or re-initialised copies"}, ()),
    "unfreeze_top": ('''
def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    convs = [layer for layer in feature_layers(model) if layer.weights]
    for index, layer in enumerate(convs):
        layer.trainable = index >= len(convs) - n_layers
    return model
''', {"unfreeze_top.values": "learning rate 0.001, expected 0.0001"}, ()),
    "extract_features": ('''
def extract_features(model, x, batch_size=256):
    return model.predict(x, verbose=0)
''', {"extract_features.values": "has shape (20, 3), expected (20, 36)"}, ()),
}

BUGS_C = {
    "build_lenet5": ('''
def build_lenet5(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(12, (5, 5), activation="relu", padding="same", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Conv2D(25, (5, 5), activation="relu", padding="same", kernel_initializer="he_normal"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(180, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax", kernel_initializer="he_normal"),
    ])
    return compile_classifier(model)
''', {"build_lenet5.layers": "layer 0 (Conv2D relu) has output shape (28, 28, 12), expected (24, 24, 12)"}, ()),
    "build_model": ('''
def build_model(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(32, 3, activation="relu"),
                              layers.Flatten(), layers.Dense(256, activation="relu"),
                              layers.Dense(num_classes, activation="softmax")])
    return compile_classifier(model)
''', {"build_model.budget": "more than the budget of 500,000"}, ("build_model.contract",)),
    "train": ('''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    copy = keras.models.clone_model(model)
    compile_classifier(copy)
    return copy.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, verbose=0)
''', {"train.learns": "the model you train is the one you were given"}, ("train.history", "train.arguments")),
    "build_transfer_model": ('''
def build_transfer_model(base, num_classes, freeze=True, hidden=100):
    for layer in base.layers[:-1]:
        layer.trainable = not freeze
    model = keras.Sequential([keras.Input(shape=base.input_shape[1:]), *base.layers[:-1],
                              layers.Dense(num_classes, activation="softmax")])
    return compile_classifier(model)
''', {"build_transfer_model.frozen": "51 weights are trainable, expected 1,667 (the new classifier's"}, ()),
    "unfreeze_top": ('''
def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    for layer in model.layers:
        layer.trainable = False
    for layer in model.layers[len(model.layers) - n_layers - 1:]:
        layer.trainable = True
    return compile_classifier(model, learning_rate)
''', {"unfreeze_top.values": "layer 3 (Conv2D) has trainable=False, expected True"}, ()),
}

# A correct submission in another style: the functional API, activations as separate layers,
# a frozen base wrapped as one layer, features through keras.Model on the model's own graph.
OTHER_STYLE = '''
def build_lenet5(input_shape=(28, 28, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    h = inputs
    for filters in (12, 25):
        h = layers.Conv2D(filters, 5, kernel_initializer=keras.initializers.HeNormal(seed=1))(h)
        h = layers.ReLU()(h)
        h = layers.MaxPool2D(pool_size=(2, 2))(h)
    h = layers.Flatten()(h)
    for units in (180, 100):
        h = layers.Dense(units, kernel_initializer="he_normal")(h)
        h = layers.Activation("relu")(h)
        h = layers.Dropout(rate=0.5)(h)
    outputs = layers.Dense(num_classes, activation="softmax", kernel_initializer="he_normal")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(), metrics=["sparse_categorical_accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy())
    return model


def build_model(input_shape=(28, 28, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    h = layers.Conv2D(32, 5, activation="relu", padding="same")(inputs)
    h = layers.MaxPooling2D()(h)
    h = layers.SeparableConv2D(64, 3, activation="relu", padding="same")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    h = layers.Dropout(0.3)(h)
    h = layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4))(h)
    outputs = layers.Dense(num_classes, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    history = model.fit(x=x, y=y, batch_size=batch_size, epochs=epochs, verbose=0,
                        validation_split=validation_split)
    return history


def build_transfer_model(base, num_classes, freeze=True, hidden=100):
    flatten = next(layer for layer in base.layers if isinstance(layer, layers.Flatten))
    body = keras.Model(base.inputs, flatten.output)
    body.trainable = not freeze
    inputs = keras.Input(shape=base.input_shape[1:])
    h = layers.Dense(hidden, kernel_initializer="he_normal")(body(inputs, training=False))
    h = layers.Dropout(0.5)(layers.ReLU()(h))
    outputs = layers.Dense(num_classes, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", ["accuracy"])
    return model


def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    seen_flatten = False
    convs, rest = [], []
    for layer in model.layers:
        (rest if seen_flatten else convs).append(layer)
        seen_flatten = seen_flatten or isinstance(layer, layers.Flatten)
    convs = [layer for layer in convs if layer.count_params() > 0]
    for i, layer in enumerate(convs):
        layer.trainable = i >= len(convs) - n_layers
    for layer in rest:
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def extract_features(model, x, batch_size=256):
    flatten = next(layer for layer in model.layers if isinstance(layer, layers.Flatten))
    extractor = keras.Model(inputs=model.inputs, outputs=flatten.output)
    return extractor.predict(x, verbose=0)
'''


def _submission(bugs: dict) -> str:
    return patch_module(REFERENCE, "\n\n".join(source for source, _, _ in bugs.values()))


def _with_model_files(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade each submission once: name -> report. The reference hands in nearest-template
    models (tests/keras_model_files.py) as its trained files: MNIST at 99.35%, Fashion-MNIST
    at 92% with scores (not probabilities) out, saved compiled with Adam's state: 7 MB, a
    trained CNN's size, more than a sandboxed process may write to disk; the others hand in
    none."""
    def run(name, source, files=None):
        folder = _with_model_files(tmp_path_factory.mktemp(name) / "submission", files or {})
        return grade_files(folder.parent, ASSIGNMENT, {"keras_cnn.py": source})
    files = {"mnist_cnn.keras": kmf.template_file("mnist", 0.9935)[0],
             "fashion_cnn.keras": kmf.template_file("fashion", 0.92, logits=True, adam=True)[0]}
    assert len(files["fashion_cnn.keras"]) > 4 << 20
    return {"reference": run("reference", REFERENCE, files), "A": run("A", _submission(BUGS_A)),
            "B": run("B", _submission(BUGS_B)), "C": run("C", _submission(BUGS_C)),
            "other_style": run("other", patch_module(REFERENCE, OTHER_STYLE))}


def test_the_reference_earns_full_points(graded):
    report = graded["reference"]
    failed = {r.name: r.message for r in report.results if r.status != "passed"}
    assert not failed, failed
    assert report.score == report.max_score == 100


def test_a_correct_submission_in_another_style_earns_full_points(graded):
    """... but for the model files it does not hand in: those checks only, with a message."""
    report = graded["other_style"]
    failed = {r.name: r.message for r in report.results if r.status != "passed"}
    assert set(failed) == set(MODEL_FILES), failed
    for name in MODEL_FILES:
        assert f"{name.split('.')[0]}.keras is missing from the submission" in failed[name]
    rubric = load_rubric(ASSIGNMENT)
    assert report.score == 100 - sum(rubric.points[name].points for name in MODEL_FILES)


@pytest.mark.parametrize("group", ["A", "B", "C"])
def test_each_bug_loses_its_checks_with_the_right_message(graded, group):
    bugs = {"A": BUGS_A, "B": BUGS_B, "C": BUGS_C}[group]
    results = by_name(graded[group])
    rubric = load_rubric(ASSIGNMENT)
    for function, (_, failing, passing) in bugs.items():
        for check, text in failing.items():
            result = results[check]
            assert not result.passed and result.score == 0, f"{group}/{function}: {check} passed"
            assert text in result.message, f"{group}/{function}: {check} says {result.message!r}, not {text!r}"
        for check in passing:
            assert results[check].status == "passed", f"{group}/{function}: {check}: {results[check].message}"
        score, _ = function_score(graded[group], function)
        lost = sum(rubric.points[c].points for c in failing)
        assert score <= 100 - lost, f"{group}/{function}: {score} points"
    untouched = [f for f in FUNCTIONS if f not in bugs]
    for function in untouched:
        score, maximum = function_score(graded[group], function)
        assert score == maximum, f"{group}: {function} has no bug but scored {score}/{maximum}"


def test_the_stubs_score_zero(tmp_path):
    stub = (ASSIGNMENTS / ASSIGNMENT / "keras_cnn.py").read_text(encoding="utf-8")
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": stub}, only="lenet5")
    assert report.score == 0 and report.max_score > 0
    assert "not implemented yet" in by_name(report)["build_lenet5.layers"].message


def test_a_pytorch_import_costs_the_module_and_keras_is_allowed(tmp_path):
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": "import torch\n" + REFERENCE}, only="lenet5.layers")
    message = by_name(report)["build_lenet5.layers"].message
    assert report.score == 0 and "imports torch" in message and "assignment 04" in message


# ---------------------------------------------------------------------------
# What the checks expect, computed without Keras
# ---------------------------------------------------------------------------

def test_lenet5_table_has_the_slides_parameter_counts():
    table = lenet5_table((28, 28, 1), 10)
    assert [r["params"] for r in table] == [312, 0, 7525, 0, 0, 72180, 0, 18100, 0, 1010]
    assert sum(r["params"] for r in table) == 99127
    assert table[4]["output_shape"] == [400]
    assert lenet5_table((32, 32, 3), 7)[4]["output_shape"] == [625]


def test_numpy_forward_matches_keras():
    import keras
    import numpy as np

    from autograder.sandbox import probes

    rng = np.random.default_rng(0)
    spec = [["conv", 3, 3, "relu"], ["pool", 2], ["flatten"], ["dense", 4, "softmax"]]
    weights = random_weights(rng, spec, (9, 7, 2))
    model = probes.make_model(spec, (9, 7, 2), weights)
    x = rng.random((5, 9, 7, 2), dtype=np.float32)
    np.testing.assert_allclose(probes.predict(model, x), numpy_forward(spec, weights, x), rtol=1e-4, atol=1e-6)
    features = keras.Sequential(model.layers[:-1]).predict(x, verbose=0)
    np.testing.assert_allclose(features, numpy_forward(spec, weights, x, upto=3), rtol=1e-4, atol=1e-6)


def test_the_training_effect_shows_updates_images_and_validation_scores():
    """What fit leaves in the training-effect model's BatchNormalization statistics: how many
    batches it ran and on which images; the History's last val_loss and val_accuracy are the
    trained weights' own, recomputed in numpy on the images that were not trained on."""
    import numpy as np

    from autograder.checks.keras_cnn import EFFECT_MODEL, EFFECT_MOMENTUM, mnist_subset
    from autograder.checks.keras_expected import cross_entropy, mark_images, updates_counted
    from autograder.sandbox import probes

    x, y = mnist_subset("train", 120)
    x, markers, counters = mark_images(x)
    weights = random_weights(np.random.default_rng(0), EFFECT_MODEL, (28, 28, 1))
    model = probes.make_model(EFFECT_MODEL, (28, 28, 1), weights)
    history = model.fit(x, y, epochs=3, batch_size=20, validation_split=0.25, verbose=0)
    trained_weights = probes.history(history)["weights"]
    mean, variance = trained_weights[1][2], trained_weights[1][3]
    assert updates_counted(variance[counters], EFFECT_MOMENTUM) == pytest.approx(15, abs=1e-3)
    trained = mean[markers] != 0
    assert trained[:90].all() and not trained[90:].any()
    probs = numpy_forward(EFFECT_MODEL, trained_weights, x[90:])
    assert history.history["val_loss"][-1] == pytest.approx(cross_entropy(probs, y[90:]), rel=1e-4)
    assert history.history["val_accuracy"][-1] == pytest.approx(np.mean(probs.argmax(axis=1) == y[90:]))


def test_the_reference_lenet5_is_the_table(tmp_path):
    """The shape arithmetic of the check and the reference solution agree (through Keras)."""
    import importlib.util

    from autograder.checks.keras_cnn import normalised_rows
    from autograder.sandbox import probes

    spec = importlib.util.spec_from_file_location("ref_keras_cnn", SOLUTIONS / ASSIGNMENT / "keras_cnn.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for shape, classes in (((28, 28, 1), 10), ((32, 32, 3), 7)):
        rows = normalised_rows(probes.model_table(module.build_lenet5(shape, classes)))
        for row, expected in zip(rows, lenet5_table(shape, classes), strict=True):
            assert row["type"] == expected["type"] and row["output_shape"][1:] == expected["output_shape"]
            assert row["params"] == expected["params"]


def test_a_model_that_cannot_learn_in_the_budget_loses_the_learning_check(tmp_path):
    slow = patch_module(REFERENCE, '''
def build_model(input_shape=(28, 28, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(16, 3, activation="relu"),
                              layers.MaxPooling2D(2), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(1e-5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
''')
    results = by_name(grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": slow}, only="build_model.learns"))
    assert results["build_model.contract"].status == "passed"
    assert not results["build_model.learns"].passed
    assert "at least 70%" in results["build_model.learns"].message


TRAIN_BY_EFFECT = {
    "a fixed validation split": ('''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=0.1, verbose=0)
''', "the model was trained on 108 of the 120 images, expected 90"),
    "a polished history": ('''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, verbose=0)
    history.history["val_accuracy"] = [min(1.0, a + 0.25) for a in history.history["val_accuracy"]]
    return history
''', "the History says the last epoch's val_accuracy was"),
}


@pytest.mark.parametrize("name", sorted(TRAIN_BY_EFFECT))
def test_train_is_judged_by_what_fit_left_in_the_weights(tmp_path, name):
    """The images trained on are read from the weights, and the History counts only where it
    agrees with the model it belongs to."""
    source, message = TRAIN_BY_EFFECT[name]
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": patch_module(REFERENCE, source)},
                         only="train.arguments")
    result = by_name(report)["train.arguments"]
    assert not result.passed and message in result.message, result.message


def test_a_grader_without_keras_refuses_instead_of_scoring_zero(tmp_path, monkeypatch):
    import importlib.util as util

    from autograder.grading import runner

    real = util.find_spec
    monkeypatch.setattr(util, "find_spec", lambda name, *a: None if name == "keras" else real(name, *a))
    with pytest.raises(runner.GraderSetupError, match=r"needs keras.*cnn-autograder\[tf\]"):
        grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": REFERENCE})


def test_a_train_that_kills_its_process_costs_train_only(tmp_path):
    """os._exit in one function: the student process restarts (importing Keras again) and
    every other function keeps its points."""
    killer = patch_module(REFERENCE, '''
def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    import os
    os._exit(3)
''')
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": killer}, only="e")
    results = by_name(report)
    assert "exited with code 3" in results["train.history"].message
    assert function_score(report, "train")[0] == 0
    for function in ("build_lenet5", "build_transfer_model", "unfreeze_top", "extract_features"):
        score, maximum = function_score(report, function)
        assert score == maximum > 0, f"{function}: {score} / {maximum}"


# ---------------------------------------------------------------------------
# The trained model files: credit linear in the test accuracy between the rubric's thresholds
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("mnist, fashion, credits", [
    (0.98, 0.9025, (0.5, 0.5)),          # half way between 97% and 99%, and 89% and 91.5%
    (0.865, None, (0.0, 0.0)),           # far below; no fashion_cnn.keras at all
])
def test_model_files_earn_credit_on_the_rubric_scale(tmp_path, mnist, fashion, credits):
    files = {"mnist_cnn.keras": kmf.template_file("mnist", mnist)[0]}
    if fashion is not None:
        files["fashion_cnn.keras"] = kmf.template_file("fashion", fashion)[0]
    folder = _with_model_files(tmp_path / "submission", files)
    report = grade_files(tmp_path, ASSIGNMENT, {"keras_cnn.py": "# no function: only the files are graded\n"},
                         only="cnn.accuracy")
    results = by_name(report)
    assert folder.is_dir() and set(results) == set(MODEL_FILES)
    rubric = load_rubric(ASSIGNMENT)
    for name, credit in zip(MODEL_FILES, credits):
        result, points = results[name], rubric.points[name].points
        assert not result.passed and result.score == pytest.approx(credit * points, abs=0.02 * points), \
            f"{name}: {result.score} / {points}: {result.message}"
    message = results["mnist_cnn.accuracy"].message
    assert f"right on {mnist:.2%} of the 10,000 MNIST test images" in message
    assert f"{credits[0]:.0%} of this check's points" in message
    if fashion is None:
        assert "fashion_cnn.keras is missing" in results["fashion_cnn.accuracy"].message
