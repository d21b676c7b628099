"""autograder.core.model_file: a .keras file checked without Keras, and the accuracy scale of
autograder.checks.keras_files (pure parts; the gradings are in test_grading_keras.py and
test_hostile_keras.py)."""
from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from autograder.checks.keras_files import accuracy_of, credit
from autograder.core.model_file import MEMBERS, check_model_file, count_params
from autograder.grading import submission
from autograder.sandbox.evaluator import MAX_TEXT, Refused

import keras_model_files as kmf

keras = pytest.importorskip("keras")
layers = keras.layers

LIMIT = 2_000_000
INPUT = (28, 28, 1)


def check(data: bytes, max_params: int = LIMIT):
    return check_model_file(data, max_params=max_params, input_shape=INPUT)


def refused(data: bytes, max_params: int = LIMIT) -> tuple[str, dict]:
    with pytest.raises(Refused) as info:
        check(data, max_params)
    return info.value.kind, info.value.fields


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> bytes:
    return kmf.save(kmf.small_model(), tmp_path_factory.mktemp("honest") / "m.keras")


# ---------------------------------------------------------------------------
# Honest files pass, with Keras's own parameter count
# ---------------------------------------------------------------------------

def every_weighted_layer() -> keras.Model:
    """A functional model with one layer of every weighted kind the count knows, a nested
    Sequential, a layer without bias and normalisations over several axes."""
    inputs = keras.Input(shape=INPUT)
    a = layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
    a = layers.BatchNormalization(center=False)(a)
    a = layers.Conv2D(8, (3, 5), groups=2, padding="same")(a)
    b = layers.SeparableConv2D(6, 3, depth_multiplier=2, padding="same")(inputs)
    b = layers.DepthwiseConv2D(3, depth_multiplier=3, padding="same")(b)
    b = layers.Conv2DTranspose(8, 2, strides=1, padding="same")(b)
    h = layers.Concatenate()([a, b])
    h = layers.LayerNormalization(axis=[-2, -1])(h)
    h = layers.GroupNormalization(groups=4)(h)
    h = layers.PReLU(shared_axes=[1, 2])(h)
    h = layers.MaxPooling2D(4)(h)
    h = layers.Reshape((49, 16))(h)
    h = layers.Conv1D(4, 3)(h)
    nested = keras.Sequential([keras.Input((47, 4)), layers.Flatten(), layers.Dense(32, activation="relu"),
                               layers.PReLU()])
    outputs = layers.Dense(10, activation="softmax")(nested(h))
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("build", ["small", "every_layer", "templates"])
def test_honest_models_pass_with_keras_parameter_count(tmp_path, build):
    if build == "templates":
        images = np.random.default_rng(0).integers(0, 256, (300, 28, 28), dtype=np.uint8)
        model = kmf.template_model(images, np.arange(300) % 10)
    else:
        model = kmf.small_model() if build == "small" else every_weighted_layer()
    model_file = check(kmf.save(model, tmp_path / "m.keras"))
    assert model_file.params == model.count_params()
    assert "compile_config" not in model_file.config


def test_the_reference_nets_pass(tmp_path):
    """The solution's nets, compiled and saved as the notebook saves them (with Adam's state)."""
    from autograder.references import reference

    solution = reference("04_keras_cnn", "keras_cnn")
    for name in ("build_lenet5", "build_model", "build_fashion_cnn"):
        model = getattr(solution, name)()
        model.optimizer.build(model.trainable_variables)      # Adam's moments go into the file
        data = kmf.save(model, tmp_path / f"{name}.keras")
        assert check(data).params == model.count_params(), name


def test_the_count_needs_no_keras():
    """The parameter count is arithmetic on the configuration (no Keras, no allocation)."""
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1]}},
        {"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [3, 3]},
         "build_config": {"input_shape": [None, 28, 28, 1]}},
        {"class_name": "Dense", "config": {"units": 10 ** 12},
         "build_config": {"input_shape": [None, 2704]}}]}}
    assert count_params(config) == 40 + 2704 * 10 ** 12 + 10 ** 12


# ---------------------------------------------------------------------------
# What is refused, and why
# ---------------------------------------------------------------------------

def test_not_a_keras_zip_is_named(tmp_path, honest):
    assert refused(b"")[0] == "empty"
    assert refused(b"print('a python file')\n")[0] == "not_zip"
    assert refused(honest[:len(honest) // 2])[0] == "damaged"
    assert refused(kmf.legacy_hdf5(kmf.small_model(), tmp_path))[0] == "hdf5"
    crc = bytearray(honest)
    crc[honest.index(b"model.weights.h5") + 400] ^= 0xFF       # a byte of the stored weights
    assert refused(bytes(crc))[0] == "damaged"


def test_members_other_than_kerass_three_are_refused(honest):
    parts = kmf.members(honest)
    assert refused(kmf.zip_slip(honest)) == ("unsafe", {"name": "../../model.weights.h5"})
    assert refused(kmf.rezip({"/etc/config.json": b"{}", **parts}))[0] == "unsafe"
    kind, fields = refused(kmf.rezip({**parts, "assets/evil.py": b"x"}))
    assert kind == "members" and "assets/evil.py" in fields["got"] and fields["expected"] == ", ".join(MEMBERS)
    assert refused(kmf.rezip({k: v for k, v in parts.items() if k != "model.weights.h5"}))[0] == "members"
    assert refused(kmf.rezip(parts, zipfile.ZIP_BZIP2)) == ("method", {"member": "metadata.json"})


def test_an_encrypted_member_is_refused(honest):
    data = bytearray(kmf.rezip(kmf.members(honest)))
    for offset in (0, data.index(b"PK\x01\x02")):       # the general purpose flag of the first entry
        flag = offset + (6 if offset == 0 else 8)
        data[flag] |= 1
    assert refused(bytes(data))[0] == "encrypted"


def test_a_config_that_inflates_to_gigabytes_stops_at_its_bound():
    bomb = kmf.config_bomb()
    assert len(bomb) < 3 << 20
    assert refused(bomb) == ("too_large", {"member": "config.json", "limit": MAX_TEXT})


def test_a_weights_member_larger_than_its_parameters_need_is_refused(honest):
    parts = kmf.members(honest)
    parts["model.weights.h5"] += b"\0" * (5 << 20)
    kind, fields = refused(kmf.rezip(parts, zipfile.ZIP_DEFLATED))
    assert kind == "too_large" and fields["member"] == "model.weights.h5"


def _without_build_config(config):
    dense = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")
    del dense["build_config"]


def _two_inputs(config):
    config["config"]["layers"].insert(0, dict(config["config"]["layers"][0]))


CONFIG_REFUSALS = {
    "no model": (lambda c: c.clear(), "class"),
    "subclassed": (lambda c: c.update(class_name="MyNet", module="student"), "class"),
    "weights in the config": (lambda c: c["config"]["layers"][1]["config"].update(
        kernel_initializer={"module": "keras.initializers", "class_name": "Constant",
                            "config": {"value": [0.1] * 100}, "registered_name": None}), "data"),
    "unbuilt layer": (_without_build_config, "unbuilt"),
    "two inputs": (_two_inputs, "inputs"),
    "negative units": (lambda c: c["config"]["layers"][-1]["config"].update(units=-10), "unreadable"),
}


@pytest.mark.parametrize("name", sorted(CONFIG_REFUSALS))
def test_configurations_that_are_refused(honest, name):
    change, kind = CONFIG_REFUSALS[name]
    assert refused(kmf.with_config(honest, change))[0] == kind


def test_code_and_custom_classes_are_refused(tmp_path):
    marker = tmp_path / "marker"
    lam = kmf.save(kmf.lambda_model(marker), tmp_path / "lambda.keras")
    assert refused(lam) == ("class", {"name": "keras.layers.Lambda"})
    kind, fields = refused(kmf.save(kmf.custom_layer_model(), tmp_path / "custom.keras"))
    assert kind == "class" and "Doubling" in fields["name"]
    assert not marker.exists()


def test_the_input_shape_and_the_parameter_cap(tmp_path, honest):
    wrong = kmf.save(kmf.small_model((32, 32, 3)), tmp_path / "w.keras")
    assert refused(wrong) == ("input", {"got": "(32, 32, 3)", "expected": "(28, 28, 1)"})
    assert refused(kmf.terabyte_layer(honest)) == ("params", {"params": 13 * 13 * 4 * 10 ** 12 + 10 ** 12 + 40,
                                                             "limit": LIMIT})
    assert refused(honest, max_params=100) == ("params", {"params": 6810, "limit": 100})


# ---------------------------------------------------------------------------
# The accuracy scale, and the submission's cap for model files
# ---------------------------------------------------------------------------

def test_credit_is_linear_between_the_thresholds():
    assert [credit(a, 0.99, 0.97) for a in (0.9935, 0.99, 0.98, 0.97, 0.865)] == pytest.approx([1, 1, 0.5, 0, 0])


def test_accuracy_is_by_argmax_so_logits_count_like_probabilities():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(50, 10)) * 5
    labels = rng.integers(0, 10, 50)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert accuracy_of(logits, labels) == accuracy_of(probs, labels) == np.mean(logits.argmax(1) == labels)
    logits[0] = np.nan
    labels[0] = 0
    assert accuracy_of(logits, labels) == pytest.approx(np.sum((logits.argmax(1) == labels)[1:]) / 50)


def test_a_model_file_gets_its_own_size_cap(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "keras_cnn.py").write_text("x = 1\n")
    (folder / "mnist_cnn.keras").write_bytes(b"\0" * (6 << 20))           # over 2 MB: read
    (folder / "fashion_cnn.keras").write_bytes(b"\0" * (submission.MAX_MODEL_BYTES + 1))
    collected = submission.collect(folder, ("keras_cnn.py", "mnist_cnn.keras", "fashion_cnn.keras"))
    assert len(collected.files["mnist_cnn.keras"]) == 6 << 20
    assert "fashion_cnn.keras" in collected.missing
    assert any(f"fashion_cnn.keras is larger than {submission.MAX_MODEL_BYTES >> 20} MB" in n for n in collected.notes)
    assert submission.file_limit("keras_cnn.py") == submission.MAX_FILE_BYTES


@pytest.mark.parametrize("member", ["config.json", "metadata.json"])
def test_json_members_are_parsed_with_bounds(honest, member):
    parts = kmf.members(honest)
    for text in (b"not json", b"[1, 2]", b"[" * 30_000 + b"]" * 30_000, b"\xff\xfe"):
        assert refused(kmf.rezip({**parts, member: text}))[0] == "unreadable", text[:10]
    check(kmf.rezip({**parts, "metadata.json": json.dumps({"keras_version": "3"}).encode()}))
