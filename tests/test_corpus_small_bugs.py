"""Broken implementations of 01 and 03, one bug each, made by a one-line edit of the reference:
each must lose points on the right function, with the expected hint or message, and cost no
other function anything."""
from dataclasses import dataclass

import pytest

from grading_helpers import SOLUTIONS, function_score, grade_files


@dataclass(frozen=True)
class Bug:
    id: str
    assignment: str
    file: str
    old: str
    new: str
    function: str
    hint: str | None = None
    message: str = ""
    also: tuple = ()
    checks: tuple = ()          # when given: exactly these checks fail, nothing else


BUGS = [
    Bug("correlate_flips", "01_convolution", "convolution.py",
        "padded = np.pad(image.astype(dtype, copy=False), pad)",
        "padded = np.pad(image.astype(dtype, copy=False), pad); kernel = kernel[::-1, ::-1]",
        "correlate2d", "correlate_flipped", also=("convolve2d", "template_match")),
    Bug("convolve_no_flip", "01_convolution", "convolution.py",
        "return correlate2d(image, kernel[::-1, ::-1], stride=stride, pad=pad)",
        "return correlate2d(image, kernel, stride=stride, pad=pad)", "convolve2d", "convolve_not_flipped"),
    Bug("template_not_divided", "01_convolution", "convolution.py",
        "return correlate2d(image, template) / template.size", "return correlate2d(image, template)",
        "template_match", "template_not_divided"),
    Bug("relu_float64", "01_convolution", "convolution.py",
        "return np.where(x > 0, x, 0).astype(_float_dtype(x), copy=False)", "return x * (x > 0).astype(float)",
        "relu", "relu_float64", message="has dtype float64, expected float32", checks=("relu.float32",)),
    Bug("relu_ints_stay_ints", "01_convolution", "convolution.py",
        "return np.where(x > 0, x, 0).astype(_float_dtype(x), copy=False)", "return np.maximum(x, 0)",
        "relu", message="has dtype int64, expected float64", checks=("relu.integers",)),
    Bug("convolve_flips_in_place", "01_convolution", "convolution.py",
        "return correlate2d(image, kernel[::-1, ::-1], stride=stride, pad=pad)",
        "kernel[...] = kernel[::-1, ::-1].copy()\n    return correlate2d(image, kernel, stride=stride, pad=pad)",
        "convolve2d", message="modified its argument kernel", checks=("convolve2d.no_mutation",)),
    Bug("template_float64_divisor", "01_convolution", "convolution.py",
        "return correlate2d(image, template) / template.size",
        "return correlate2d(image, template) / np.float64(template.size)",
        "template_match", message="has dtype float64, expected float32", checks=("template_match.float32",)),
    Bug("ceil_pads_zeros", "01_convolution", "convolution.py",
        "padded = np.full((max(h, need_h), max(w, need_w)), -np.inf, dtype=dtype)",
        "padded = np.zeros((max(h, need_h), max(w, need_w)), dtype=dtype)", "max_pool2d", "ceil_zero_padding"),
    Bug("fits_ignores_pad", "01_convolution", "convolution.py",
        "    return (n + 2 * pad - f) % stride == 0", "    return (n - f) % stride == 0", "fits",
        message="expected"),
    Bug("receptive_field_no_jump", "01_convolution", "convolution.py",
        "        r += (f - 1) * jump", "        r += (f - 1)", "receptive_field", message="expected"),
    Bug("adam_eps_inside", "03_optimization", "optim.py",
        'm_hat / (np.sqrt(v_hat) + config["epsilon"])', 'm_hat / np.sqrt(v_hat + config["epsilon"])',
        "adam", "adam_eps_inside", also=("train",)),
    Bug("adam_no_bias_correction", "03_optimization", "optim.py",
        "    m_hat = m / (1 - beta1 ** t)\n    v_hat = v / (1 - beta2 ** t)", "    m_hat = m\n    v_hat = v",
        "adam", "adam_no_bias_correction", also=("train",)),
    Bug("adagrad_eps_outside", "03_optimization", "optim.py",
        'return w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"]), config\n'
        '    ### END SOLUTION\n\n\ndef rmsprop',
        'return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config\n'
        '    ### END SOLUTION\n\n\ndef rmsprop',
        "adagrad", "adagrad_eps_outside"),
    Bug("rmsprop_swapped_decay", "03_optimization", "optim.py",
        "cache = gamma * _state(config, \"cache\", w) + (1 - gamma) * dw * dw",
        "cache = (1 - gamma) * _state(config, \"cache\", w) + gamma * dw * dw", "rmsprop", "rmsprop_swapped_decay"),
    Bug("nesterov_is_momentum", "03_optimization", "optim.py",
        "return w + gamma * v - (1 + gamma) * v_new, config", "return w - v_new, config",
        "nesterov", "nesterov_plain_momentum"),
    Bug("momentum_state_renamed", "03_optimization", "optim.py",
        '    v = _state(config, "velocity", w)\n'
        '    v = config["momentum"] * v + config["learning_rate"] * dw\n    config["velocity"] = v',
        '    v = config.get("vel", np.zeros_like(w))\n'
        '    v = config["momentum"] * v + config["learning_rate"] * dw\n    config["vel"] = v',
        "momentum", message="the returned config has no 'velocity'"),
    Bug("sgd_ascent", "03_optimization", "optim.py",
        'next_w = w - config["learning_rate"] * dw', 'next_w = w + config["learning_rate"] * dw', "sgd", "sgd_ascent"),
    Bug("adadelta_no_lr", "03_optimization", "optim.py",
        'return w + config["learning_rate"] * step, config', "return w + step, config", "adadelta", "adadelta_no_lr"),
    Bug("l2_no_two", "03_optimization", "regularization.py", "(2 * scale * w)", "(scale * w)",
        "l2_penalty", "l2_no_two", also=("elastic_net_penalty", "train")),
    Bug("l1_ignores_n", "03_optimization", "regularization.py",
        "    scale = lam / n\n    return float(scale * np.abs(w).sum())",
        "    scale = lam\n    return float(scale * np.abs(w).sum())",
        "l1_penalty", "l1_ignores_n", also=("elastic_net_penalty",)),
    Bug("dropout_global_rng", "03_optimization", "regularization.py",
        "mask = (rng.random(x.shape) >= rate)", "mask = (np.random.random(x.shape) >= rate)",
        "dropout_forward", message="rng argument"),
    Bug("dropout_keeps_rate", "03_optimization", "regularization.py",
        "mask = (rng.random(x.shape) >= rate)", "mask = (rng.random(x.shape) < rate)",
        "dropout_forward", "dropout_keep_rate"),
    Bug("dropout_no_scale", "03_optimization", "regularization.py",
        "/ x.dtype.type(1 - rate)", "", "dropout_forward", message="x / (1 - rate)", also=("dropout_backward",)),
    Bug("he_uses_fan_out", "03_optimization", "regularization.py",
        "shape, fan_in, _ = _fans(shape)\n    _check_rng(rng)\n    return rng.normal(0.0, math.sqrt(2.0 / fan_in)",
        "shape, _, fan_in = _fans(shape)\n    _check_rng(rng)\n    return rng.normal(0.0, math.sqrt(2.0 / fan_in)",
        "he_init", message="standard deviation", also=("train",)),
]


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_bug_loses_points_on_its_function_only(bug, tmp_path):
    folder = SOLUTIONS / bug.assignment
    files = {p.name: p.read_text() for p in folder.glob("*.py")}
    assert files[bug.file].count(bug.old) == 1, f"{bug.id}: the edit does not apply to the reference"
    files[bug.file] = files[bug.file].replace(bug.old, bug.new)
    report = grade_files(tmp_path, bug.assignment, files)
    score, max_score = function_score(report, bug.function)
    assert score < max_score, f"{bug.id}: {bug.function} kept all its points"
    failing = [r for r in report.results if r.function == bug.function and not r.passed]
    if bug.hint:
        assert any(bug.hint in r.hints for r in failing), [(r.name, r.hints, r.message) for r in failing]
    if bug.message:
        assert any(bug.message in r.message for r in failing), [r.message for r in failing]
    if bug.checks:
        assert {r.name for r in report.results if not r.passed} == set(bug.checks), \
            [(r.name, r.message) for r in report.results if not r.passed]
    for r in report.results:
        if (r.function or r.name.split(".")[0]) not in (bug.function, *bug.also):
            assert r.status == "passed", f"{bug.id} also cost {r.name}: {r.message}"
