"""Grading assignment 02 end to end: the solutions earn 100, the stubs 0, deterministically."""
import json

import pytest

from autograder.grading.runner import grade
from autograder.report import to_json

from grading_helpers import ASSIGNMENTS, SOLUTIONS, by_name


@pytest.fixture(scope="module")
def solution_report():
    return grade(SOLUTIONS / "02_cnn_layers", "02_cnn_layers")


def test_solutions_earn_full_marks(solution_report):
    failed = {r.name: r.message for r in solution_report.results if r.status != "passed"}
    assert failed == {}
    assert solution_report.score == 100 and solution_report.max_score == 100


def test_stubs_earn_zero():
    report = grade(ASSIGNMENTS / "02_cnn_layers", "02_cnn_layers")
    assert report.score == 0
    results = by_name(report)
    assert "is not implemented yet" in results["conv_forward.basic"].message
    assert "counts only together with correct values" in results["conv_forward.no_mutation"].message


def test_grading_is_deterministic(solution_report):
    again = grade(SOLUTIONS / "02_cnn_layers", "02_cnn_layers")

    def strip(report):
        data = json.loads(to_json(report))
        data.pop("execution_time")
        for test in data["tests"]:
            test.pop("elapsed")
        return data

    assert strip(again) == strip(solution_report)


@pytest.mark.parametrize("assignment", ["01_convolution", "03_optimization"])
def test_other_assignments_solutions_full_stubs_zero(assignment):
    full = grade(SOLUTIONS / assignment, assignment)
    assert {r.name: r.message for r in full.results if r.status != "passed"} == {}
    assert full.score == 100
    assert grade(ASSIGNMENTS / assignment, assignment).score == 0
