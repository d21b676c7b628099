"""One source of truth: assignments/ is exactly what `release` makes of solutions/, and no
solution code, marker or path to the solutions survives in it."""
import ast
import filecmp
from pathlib import Path

import numpy as np
import pytest

from autograder.core import recording
from autograder.core.rubric import load_rubric
from autograder.release import BEGIN, END, ReleaseError, release, stub_notebook, stub_source
from autograder.sandbox import wire

from grading_helpers import ASSIGNMENTS, SOLUTIONS


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    target = tmp_path_factory.mktemp("release")
    release(SOLUTIONS, target)
    return target


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}


def _stale(committed: Path, fresh: Path) -> str | None:
    """Why a committed release file differs from a fresh one, or None. Recordings of reference
    outputs went through BLAS, whose last bits differ between CPUs: they are compared by value,
    with the assignment's own tolerances; everything else byte for byte."""
    if committed.name != recording.FILENAME:
        return None if filecmp.cmp(committed, fresh, shallow=False) else "differs"
    tolerances = load_rubric(committed.parent.name).tolerances
    found = recording.differences(recording.load(committed), recording.load(fresh), tolerances)
    return "; ".join(found) or None


def test_assignments_do_not_drift_from_the_solutions(fresh):
    assert _files(ASSIGNMENTS) == _files(fresh), "run `cnn-autograder release` and commit assignments/"
    stale = {f: why for f in sorted(_files(fresh)) if (why := _stale(ASSIGNMENTS / f, fresh / f))}
    assert stale == {}, f"stale files (run `cnn-autograder release`): {stale}"


def test_recordings_compare_by_value_not_by_bytes():
    """Last-bit differences (another CPU's BLAS) are no drift; a changed value, a missing call or
    a changed dtype is."""
    tolerances = load_rubric("02_cnn_layers").tolerances
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    old = {"a": (x, 1.5, wire.ScalarValue(np.float32(2.0))), "b": {"loss": 0.25, "n": 3}}
    rounded = {"a": (x * (1 + 2e-16) + 4.4e-280, 1.5 * (1 + 3.6e-15), wire.ScalarValue(np.float32(2.0))),
               "b": {"loss": 0.25 + 2.2e-16, "n": 3}}
    assert recording.differences(old, rounded, tolerances) == []
    changed = {"a": (x * 1.001, 1.5, wire.ScalarValue(np.float32(2.0))), "b": {"loss": 0.25, "n": 3}}
    assert "values differ" in " ".join(recording.differences(old, changed, tolerances))
    assert recording.differences(old, {**old, "b": {"loss": 0.25, "n": 4}}, tolerances)
    assert recording.differences(old, {"a": old["a"]}, tolerances)
    recast = {**old, "a": (x.astype(np.float32), 1.5, wire.ScalarValue(np.float32(2.0)))}
    assert "became float32" in " ".join(recording.differences(old, recast, tolerances))


def _solution_lines(path: Path) -> set[str]:
    """The distinctive lines inside the solution regions of one file that the provided code
    outside them does not also contain (a shared argument check is not a leak)."""
    inside_lines, outside_lines, inside = set(), set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text == BEGIN:
            inside = True
        elif text == END:
            inside = False
        elif len(text) >= 30 and not text.startswith(("#", '"', "'", "raise ValueError", "f\"")):
            (inside_lines if inside else outside_lines).add(text)
    return inside_lines - outside_lines


def test_no_solution_code_or_marker_survives():
    leaked = []
    for solution in SOLUTIONS.rglob("*.py"):
        secret = _solution_lines(solution)
        student = ASSIGNMENTS / solution.relative_to(SOLUTIONS)
        text = student.read_text(encoding="utf-8")
        assert BEGIN not in text and END not in text, f"{student} keeps solution markers"
        leaked += [f"{student.name}: {line}" for line in secret if line in text]
    for notebook in ASSIGNMENTS.rglob("*.ipynb"):
        assert BEGIN not in notebook.read_text(encoding="utf-8"), f"{notebook} keeps solution markers"
    assert leaked == []


def test_nothing_under_assignments_can_import_the_solutions():
    for path in ASSIGNMENTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("solutions", "autograder.references") for n in names), path
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "solutions/" not in node.value and "solutions_dir" not in node.value, path


def test_stubs_raise_naming_the_task_and_what_to_return():
    stub = stub_source('def f(x):\n    """Square.\n\n    Returns (y, cache)."""\n'
                       '    ### BEGIN SOLUTION\n    return x * x, None\n    ### END SOLUTION\n', "02_cnn_layers")
    assert "return x * x" not in stub
    assert "raise NotImplementedError('02_cnn_layers, f: implement it (see the docstring); " \
           "it returns (y, cache).')" in stub
    namespace = {}
    exec(compile(stub, "stub", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="02_cnn_layers, f"):
        namespace["f"](3)


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx = 1\n", "x = 1\n### END SOLUTION\n",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n"])
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(ReleaseError):
        stub_source(source, "task")


def test_notebook_cells_are_stubbed_and_cleared():
    import json
    cell = {"cell_type": "code", "source": ["k = 3\n", "### BEGIN SOLUTION\n", "answer = k * 2\n",
                                            "### END SOLUTION\n", "print(answer)\n"],
            "outputs": [{"output_type": "stream", "text": "6"}], "execution_count": 4, "metadata": {}}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = json.loads(stub_notebook(json.dumps(notebook), "01_convolution"))
    source = "".join(out["cells"][0]["source"])
    assert "answer = k * 2" not in source and "raise NotImplementedError" in source
    assert source.startswith("k = 3\n") and source.endswith("print(answer)\n")
    assert out["cells"][0]["outputs"] == [] and out["cells"][0]["execution_count"] is None
