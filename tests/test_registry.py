"""CONTRIBUTING.md's "Adding assignment NN", followed with a toy assignment: a reference solution
in its own folder, a check table declared with checks.declare.Table, a known bug, its message,
a registry entry and a rubric are all it takes for the grader to score it (the reference 100, a
stub 0, the known bug losing its points with its hint). Nothing else in the package changes."""
from __future__ import annotations

import numpy as np
import pytest

from autograder import registry
from autograder.checks.declare import Table
from autograder.checks.families import Spec, case
from autograder.core import messages, rubric
from autograder.grading.runner import grade
from autograder.hints.declare import bug

TOY = "99_toy"

# step 2: the reference solution, solutions/99_toy/toy.py
SOLUTION = '''"""Scaling arrays (assignment 99, a toy)."""
import numpy as np


def scale(x, factor=2.0):
    """``factor * x`` as a new float64 array of x's shape (x is left unchanged)."""
    ### BEGIN SOLUTION
    return np.asarray(x, dtype=np.float64) * factor
    ### END SOLUTION
'''
STUB = '''def scale(x, factor=2.0):
    raise NotImplementedError("scale: return factor * x")
'''
ADDS = '''import numpy as np


def scale(x, factor=2.0):
    return np.asarray(x, dtype=np.float64) + factor
'''

# step 4: the check table, autograder/checks/toy.py
SCALE = Spec("scale", ("x",), ("out",), ("factor",))


def scale_cases(rng):
    return [case(x=rng.normal(size=(3, 4)), factor=f) for f in (0.5, 3.0)] + [case(x=np.arange(5), factor=2.0)]


def toy_checks():
    table = Table("toy")
    yield table.values("scale.values", SCALE, scale_cases, "factor * x on random arrays and integers")
    yield table.no_mutation("scale.no_mutation", SCALE, scale_cases, "x is left unchanged",
                            requires=("scale.values",))


# step 5: the known bugs, autograder/hints/toy.py
def _added(ref, c):
    return {"out": np.asarray(c.params["x"], dtype=np.float64) + c.params["factor"]}


BUGS = {"scale": [bug("toy_added", _added)]}

# step 8: the rubric, autograder/rubrics/99_toy.toml
RUBRIC = '''assignment = "99_toy"

[limits]
call_timeout_s = 10
import_timeout_s = 20
memory_mb = 1024

[tolerance.float64]
rtol = 1e-9
floor = 1e-9

[tolerance.float32]
rtol = 1e-4
floor = 1e-4

[public]
checks = ["scale.*"]

[points]
"scale.values" = { points = 80, why = "the values" }
"scale.no_mutation" = { points = 20, why = "x stays unchanged" }
'''


@pytest.fixture
def toy(tmp_path, monkeypatch):
    solutions = tmp_path / "solutions"
    (solutions / TOY).mkdir(parents=True)
    (solutions / TOY / "toy.py").write_text(SOLUTION, encoding="utf-8")                       # step 2
    monkeypatch.setitem(messages.CATALOG["en"], "hint.toy_added",                            # step 6
                        "Your scale adds the factor instead of multiplying by it.")
    monkeypatch.setitem(registry.ASSIGNMENTS, TOY, registry.Assignment(                      # step 7
        TOY, "A toy", modules=("toy",), tables=(toy_checks,), hints={"toy": BUGS}))
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / f"{TOY}.toml").write_text(RUBRIC, encoding="utf-8")                           # step 8
    monkeypatch.setattr(rubric, "RUBRICS", rubrics)
    return solutions


def _grade(tmp_path, source, solutions):
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    (folder / "toy.py").write_text(source, encoding="utf-8")
    return grade(folder, TOY, solutions=str(solutions))


def test_the_reference_earns_everything(tmp_path, toy):
    report = _grade(tmp_path, SOLUTION, toy)
    assert report.score == report.max_score == 100, [r.message for r in report.results]


def test_the_stub_earns_nothing(tmp_path, toy):
    report = _grade(tmp_path, STUB, toy)
    assert report.score == 0
    assert [r.status for r in report.results] == ["failed", "gated"]
    assert "not implemented yet" in report.results[0].message


def test_the_known_bug_loses_its_points_with_its_hint(tmp_path, toy):
    report = _grade(tmp_path, ADDS, toy)
    values = report.results[0]
    assert values.name == "scale.values" and not values.passed and values.hints == ("toy_added",)
    assert "adds the factor instead of multiplying" in values.message
    assert report.score == 0


def test_a_rubric_that_does_not_match_the_table_is_refused(tmp_path, toy):
    (rubric.RUBRICS / f"{TOY}.toml").write_text(RUBRIC.replace('"scale.no_mutation"', '"scale.other"'))
    with pytest.raises(rubric.RubricError, match="checks without points"):
        _grade(tmp_path, SOLUTION, toy)
