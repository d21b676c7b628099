"""Fairness: one function's bug costs only that function's points, and the checks stay within
the documented contract (docs/contract.md §1-5), so every correct implementation earns full marks.

The generic test takes a reference solution, breaks exactly one student function (it returns
wrong values of the right type and shape, or raises) while the solution's other functions keep
calling a private correct copy of it, and asserts that every check of every other function
still passes. The only exceptions are the contract's own: a backward pass is graded through the
student's own forward pass, and 03's training task runs the student's adam, l2_penalty and
he_init.
"""
from __future__ import annotations

import re

import pytest

from autograder.registry import ASSIGNMENTS

from grading_helpers import SOLUTIONS, by_name, function_score, grade_files

# What the helpers appended to a broken module do: a wrong value of the right kind.
WRONG = '''

def _wrong_on_purpose(value):
    """A wrong answer shaped like ``value``: zeros for arrays, off by one for numbers, the
    opposite for booleans; of a tuple (an output and a cache, a step and its state) only the
    first item is wrong."""
    import numpy
    if isinstance(value, tuple):
        return (_wrong_on_purpose(value[0]),) + value[1:]
    if isinstance(value, numpy.ndarray):
        return numpy.zeros_like(value)
    if isinstance(value, (bool, numpy.bool_)):
        return not value
    return value + 1
'''
BODIES = {
    "wrong": "    return _wrong_on_purpose(_good_{name}(*args, **kwargs))\n",
    "raises": "    raise RuntimeError('{name} is broken on purpose')\n",
}

# docs/contract.md §5 (03): the training task runs the student's adam, l2_penalty and he_init.
BY_DESIGN = {"adam": {"train"}, "l2_penalty": {"train"}, "he_init": {"train"}}
# dropout_backward's check reads the mask off dropout_forward's output (dx = dout * out / x).
OUTPUT_READ_BY_BACKWARD = {"dropout_forward"}


def also_costs(function: str, mode: str) -> set[str]:
    """The other functions (or check groups) that rightly depend on ``function``: docs/contract.md §7, "a
    backward function is graded through the student's own forward (the cache is opaque)", so a
    forward pass that raises costs its backward pass; one with wrong outputs but its cache
    intact costs it nothing (except dropout's, see above)."""
    costs = set(BY_DESIGN.get(function, ()))
    if function.endswith("_forward") and (mode == "raises" or function in OUTPUT_READ_BY_BACKWARD):
        costs.add(function.replace("_forward", "_backward"))
    return costs


def break_one(source: str, function: str, mode: str) -> str:
    """``source`` whose public ``function`` is broken (``mode``: wrong values, or raises); the
    module's other functions call ``_good_<function>``, a correct copy, so only it is wrong."""
    renamed = re.sub(rf"\b{function}\(", f"_good_{function}(", source)
    assert renamed != source, f"{function} is not defined in the reference"
    return (renamed + WRONG + f"\n\ndef {function}(*args, **kwargs):\n"
            + BODIES[mode].format(name=function))


def functions_of(assignment: str) -> list[tuple[str, str]]:
    """(module, function) of every graded student function, in report order."""
    seen = {}
    for check in ASSIGNMENTS[assignment].checks():
        if check.function is not None:
            seen.setdefault(check.function, check.module)
    return [(module, function) for function, module in seen.items()]


def reference_files(assignment: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (SOLUTIONS / assignment).glob("*.py")}


# 03 grades in ~5 s (its training task), so only the mode that catches every use of a broken
# function by another's checks (it raises wherever it is called) runs there.
MODES = {"01_convolution": tuple(BODIES), "02_cnn_layers": tuple(BODIES), "03_optimization": ("raises",)}
CASES = [pytest.param(assignment, module, function, mode, id=f"{assignment}-{function}-{mode}")
         for assignment, modes in MODES.items()
         for module, function in functions_of(assignment)
         for mode in modes]


@pytest.mark.parametrize("assignment, module, function, mode", CASES)
def test_one_broken_function_costs_only_itself(assignment, module, function, mode, tmp_path):
    files = reference_files(assignment)
    files[f"{module}.py"] = break_one(files[f"{module}.py"], function, mode)
    report = grade_files(tmp_path, assignment, files)
    score, max_score = function_score(report, function)
    assert score < max_score, f"broken {function} ({mode}) kept all its {max_score:g} points"
    allowed = {function} | also_costs(function, mode)
    lost = [(r.name, r.message) for r in report.results
            if r.status != "passed" and (r.function or r.name.split(".")[0]) not in allowed]
    assert not lost, f"broken {function} ({mode}) also cost {lost}"


def test_a_wrong_quiz_costs_only_the_quiz(tmp_path):
    files = reference_files("01_convolution")
    files["quiz_answers.py"] = 'STUDENT_ID = "reference"\nANSWERS = {"q1": (1, 1, 1), "q3": 99}\n'
    report = grade_files(tmp_path, "01_convolution", files)
    assert function_score(report, "quiz")[0] == 0
    assert all(r.status == "passed" for r in report.results if r.function is not None)


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_requires_gate_a_check_only_on_its_own_function(assignment):
    """A check may wait for another check of the same function (properties count only with
    correct values); never for another function's, except 03's training task (docs/contract.md §5)."""
    checks = ASSIGNMENTS[assignment].checks()
    group = {c.name: c.function or c.name.split(".")[0] for c in checks}
    crossing = {(c.name, r) for c in checks for r in c.requires if group[r] != group[c.name]}
    assert crossing <= {("train.mnist", "adam.defaults"), ("train.mnist", "l2_penalty.values"),
                        ("train.mnist", "he_init.moments")}, crossing


# ---------------------------------------------------------------------------
# 01: the documented contract, and nothing beyond it
# ---------------------------------------------------------------------------

# Functions written to the letter of docs/contract.md §1-5 and no further: ints only where it says int (no
# (h, w) pairs), float32 kept by arithmetic rather than by an explicit cast, plain loops.
CONTRACT_ONLY = '''
def conv_param_count(f, c_in, c_out, bias=True):
    if type(f) is not int:
        raise TypeError("f is the filter's side, an int")
    return f * f * c_in * c_out + (c_out if bias else 0)


def dense_param_count(n_in, n_out, bias=True):
    if type(n_in) is not int or type(n_out) is not int:
        raise TypeError("n_in and n_out are ints")
    return n_in * n_out + (n_out if bias else 0)


def max_pool2d(image, size=2, stride=2, ceil_mode=False):
    if type(size) is not int or type(stride) is not int:
        raise TypeError("size and stride are ints")
    h, w = image.shape
    if size > h or size > w:
        raise ValueError(f"the pooling window (size={size}) is larger than the image")

    def n_out(n):
        if not ceil_mode:
            return (n - size) // stride + 1
        out = -(-(n - size) // stride) + 1
        return out - 1 if (out - 1) * stride >= n else out

    out = np.empty((n_out(h), n_out(w)), dtype=image.dtype if image.dtype.kind == "f" else np.float64)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = image[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def relu(x):
    out = np.maximum(x, 0)
    return out if out.dtype.kind == "f" else out.astype(np.float64)   # ints give float64
'''


def test_a_solution_that_follows_only_the_documented_contract_earns_full_marks(tmp_path):
    from corpus_tools import patch_module

    files = reference_files("01_convolution")
    files["convolution.py"] = patch_module(files["convolution.py"], CONTRACT_ONLY)
    report = grade_files(tmp_path, "01_convolution", files)
    failed = {r.name: r.message for r in report.results if r.status != "passed"}
    assert failed == {} and report.score == 100


def test_conv_param_count_values_take_an_int_filter_side_only(tmp_path):
    """Issue 14 §4: a case passed f as a tuple, outside the documented signature."""
    files = reference_files("01_convolution")
    files["convolution.py"] += ('\n\ndef conv_param_count(f, c_in, c_out, bias=True):\n'
                                '    return f * f * c_in * c_out + (c_out if bias else 0)\n')
    report = grade_files(tmp_path, "01_convolution", files, function="conv_param_count")
    assert by_name(report)["conv_param_count.values"].status == "passed"


def test_template_match_without_division_costs_no_pooling_points(tmp_path):
    """Issue 14 §4: max_pool2d.xo pooled the student's own template_match output."""
    files = reference_files("01_convolution")
    files["convolution.py"] = files["convolution.py"].replace(
        "return correlate2d(image, template) / template.size", "return correlate2d(image, template)")
    report = grade_files(tmp_path, "01_convolution", files)
    assert function_score(report, "template_match")[0] == 0
    assert function_score(report, "max_pool2d")[0] == function_score(report, "max_pool2d")[1]
    assert by_name(report)["max_pool2d.xo"].status == "passed"
